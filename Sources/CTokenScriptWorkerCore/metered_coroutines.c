// coroutine.resume and coroutine.wrap as in Lua 5.4.4's lcorolib.c (MIT licence, Copyright (C)
// 1994-2022 Lua.org, PUC-Rio), plus one thing: whenever the resumed thread stops running (yield,
// return, error, or after its to-be-closed variables are closed), its instruction countdown is
// flushed into the budget (meter.c), so no coroutine runs uncharged. Creating a coroutine costs
// TSW_THREAD_UNITS (create is replaced for that) and each resume TSW_RESUME_UNITS.
#include <lauxlib.h>

#include "meter.h"

static int resume_and_flush(lua_State *L, lua_State *co, int narg) {
    int status, nres;
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1;
    }
    lua_xmove(L, co, narg);
    tsw_charge(TSW_RESUME_UNITS);
    status = lua_resume(co, L, narg, &nres);
    tsw_meter_flush(co);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            lua_pushliteral(L, "too many results to resume");
            return -1;
        }
        lua_xmove(co, L, nres);
        return nres;
    }
    lua_xmove(co, L, 1);
    return -1;
}

int tsw_coroutine_resume(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "thread");
    int r = resume_and_flush(L, co, lua_gettop(L) - 1);
    if (r < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -(r + 1));
    return r + 1;
}

static int wrapped_resume(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int r = resume_and_flush(L, co, lua_gettop(L));
    if (r < 0) {
        int stat = lua_status(co);
        if (stat != LUA_OK && stat != LUA_YIELD) {
            stat = lua_resetthread(co);  // runs pending __close handlers in co
            tsw_meter_flush(co);
            lua_xmove(co, L, 1);
        }
        if (stat != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L);
    }
    return r;
}

int tsw_coroutine_create(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    tsw_charge(TSW_THREAD_UNITS);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    return 1;
}

/* As lcorolib's luaB_cowrap: create (charged once), then close over the new thread. */
int tsw_coroutine_wrap(lua_State *L) {
    tsw_coroutine_create(L);
    lua_pushcclosure(L, wrapped_resume, 1);
    return 1;
}
