// os.time/os.date/os.clock on the execution's logical clock: time comes with the run request, so
// no script can read the node's clock, and deterministic runs replay byte for byte.
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "execution.h"

int tsw_os_time(lua_State *L) {
    if (lua_isnoneornil(L, 1)) {
        lua_pushinteger(L, (lua_Integer)tsw_x.logical_time);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/// Logical CPU seconds: instructions executed / 1e8 (deterministic; counted at hook granularity).
int tsw_os_clock(lua_State *L) {
    lua_pushnumber(L, (lua_Number)tsw_x.instructions_used / 1e8);
    return 1;
}

int tsw_os_date(lua_State *L) {
    const char *fmt = luaL_optstring(L, 1, "%c");
    lua_settop(L, 2);
    if (lua_isnil(L, 2)) {
        lua_pushinteger(L, (lua_Integer)tsw_x.logical_time);
        lua_replace(L, 2);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushstring(L, fmt);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    return 1;
}

