// os.time/os.date/os.clock on the execution's logical clock: time comes with the run request, so
// no script can read the node's clock, and deterministic runs replay byte for byte.
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "execution.h"
#include "meter.h"

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

/// Logical CPU seconds: budget units charged so far / 1e8 (deterministic; the running thread's current
/// countdown is not yet included).
int tsw_os_clock(lua_State *L) {
    lua_pushnumber(L, (lua_Number)tsw_x.instructions_used / 1e8);
    return 1;
}

/// os.date on the logical time; each conversion is a strftime call, charged TSW_FORMAT_SPEC_UNITS.
int tsw_os_date(lua_State *L) {
    size_t length;
    const char *fmt = luaL_optlstring(L, 1, "%c", &length);
    uint64_t specs = 0;
    for (size_t i = 0; i < length; i++) if (fmt[i] == '%') specs++;
    tsw_charge(tsw_byte_units(length) + specs * TSW_FORMAT_SPEC_UNITS);
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

