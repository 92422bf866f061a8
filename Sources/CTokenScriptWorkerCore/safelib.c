// The library set a script sees (sandbox.md §4.3). Opened per execution into a fresh lua_State.
//   base   without dofile/loadfile/warn; load text-only; collectgarbage("count") only; setmetatable
//          refuses __gc; tostring/print never show addresses; print goes to the captured log
//   string without dump; format refuses %p and never formats addresses; metatable locked
//   table, math (randomseed removed, seeded from the execution seed), utf8
//   coroutine without close (Debian 5.4.4 crash, upstream 1e64c139)
//   os     time/clock/date/difftime reading the execution's logical clock
// C library work of non-constant cost is charged to the instruction budget (metered_library.c,
// patterns.c). table.sort is a stable, charged merge sort in both modes; deterministic mode also replaces
// next/pairs (canonical key order, amortised O(1) per step).
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execution.h"
#include "meter.h"

static int is_reference_type(int t) {
    return t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TTHREAD || t == LUA_TUSERDATA || t == LUA_TLIGHTUSERDATA;
}

const char *tsw_safe_tostring(lua_State *L, int index, size_t *length) {
    index = lua_absindex(L, index);
    if (luaL_getmetafield(L, index, "__tostring") != LUA_TNIL) {
        lua_pushvalue(L, index);
        lua_call(L, 1, 1);
        if (!lua_isstring(L, -1)) luaL_error(L, "'__tostring' must return a string");
        return lua_tolstring(L, -1, length);
    }
    int t = lua_type(L, index);
    if (is_reference_type(t)) {
        lua_pushstring(L, lua_typename(L, t));  // never "table: 0x55..." (H17, ASLR aid)
        return lua_tolstring(L, -1, length);
    }
    return luaL_tolstring(L, index, length);  // nil, booleans, numbers, strings: no metamethods left
}

static int sb_tostring(lua_State *L) {
    luaL_checkany(L, 1);
    tsw_safe_tostring(L, 1, NULL);
    return 1;
}

/// print: one log line per call, sent to the parent at once; the output budget is process-fatal.
static int sb_print(lua_State *L) {
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        size_t len;
        tsw_safe_tostring(L, i, &len);
        if (i > 1) luaL_addchar(&b, '\t');
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char *line = lua_tolstring(L, -1, &len);
    tsw_x.output_used += len + 1;
    if (tsw_x.output_used > tsw_x.output_limit) tsw_fatal_limit(TSW_LIMIT_OUTPUT, "output limit exceeded");
    tsw_frame_begin(&tsw_x.out, 'L');
    if (tsw_buf_put(&tsw_x.out, line, len) != 0 || tsw_frame_send(tsw_x.fd, &tsw_x.out) != 0) _exit(3);
    return 0;
}

/// load: string chunks only, always text mode (no bytecode: CVE-2015-4335 class, ab859fe5). The
/// parser runs in C: charged TSW_SOURCE_BYTE_UNITS per source byte.
static int sb_load(lua_State *L) {
    size_t len;
    if (lua_type(L, 1) != LUA_TSTRING) return luaL_error(L, "load: only string chunks are allowed");
    const char *s = lua_tolstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "=(load)");
    tsw_charge(len > UINT64_MAX / TSW_SOURCE_BYTE_UNITS ? UINT64_MAX : (uint64_t)len * TSW_SOURCE_BYTE_UNITS + 1);
    int env = lua_isnone(L, 4) ? 0 : 4;
    if (luaL_loadbufferx(L, s, len, name, "t") == LUA_OK) {
        if (env) {
            lua_pushvalue(L, env);
            if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
        }
        return 1;
    }
    luaL_pushfail(L);
    lua_insert(L, -2);
    return 2;
}

static int sb_collectgarbage(lua_State *L) {
    const char *opt = luaL_optstring(L, 1, "collect");
    if (strcmp(opt, "count") != 0) return luaL_error(L, "collectgarbage: only 'count' is allowed");
    int k = lua_gc(L, LUA_GCCOUNT), b = lua_gc(L, LUA_GCCOUNTB);
    lua_pushnumber(L, (lua_Number)k + ((lua_Number)b / 1024));
    return 1;
}

/// setmetatable refusing any __gc field: a finalizer runs with hooks off (lgc.c GCTM), so it
/// would escape the instruction budget. A placeholder __gc (marking the object) is refused too.
static int sb_setmetatable(lua_State *L) {
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, "__gc metamethods are not allowed");
        lua_pop(L, 1);
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/// string.format without %p and without "table: 0x..." from %s; charged per format byte, per
/// specification and per digit a floating-point conversion prints (meter.h).
static int sb_format(lua_State *L) {
    size_t n;
    const char *f = luaL_checklstring(L, 1, &n);
    uint64_t units = tsw_byte_units(n);
    int arg = 1;
    for (size_t i = 0; i < n; i++) {
        if (f[i] != '%') continue;
        size_t j = i + 1;
        if (j < n && f[j] == '%') { i = j; continue; }
        arg++;
        units += TSW_FORMAT_SPEC_UNITS;
        int precision = 6;
        while (j < n && strchr("-+ #0123456789.", f[j]) != NULL) {
            if (f[j] == '.') precision = 0;
            else if (f[j] >= '0' && f[j] <= '9' && precision < 1000) precision = precision * 10 + (f[j] - '0');
            j++;
        }
        if (j < n && f[j] == 'p') return luaL_error(L, "string.format: '%%p' is not allowed");
        // Floating-point conversions cost by the digits they print: %.99f of 1e308 is ~400 digits.
        if (j < n && strchr("fFeEgGaA", f[j]) != NULL && lua_type(L, arg) == LUA_TNUMBER) {
            int digits = 1;
            lua_Number x = lua_tonumber(L, arg);
            if (x < 0) x = -x;
            if (f[j] == 'f' || f[j] == 'F')
                while (x >= 10 && digits < 400) { x /= 10; digits++; }  // NaN and inf fail the test at once
            units += (uint64_t)(digits + precision) * TSW_DIGIT_UNITS;
        }
        i = j;
    }
    tsw_charge(units);  // C work; the result string is charged when made
    int top = lua_gettop(L);
    for (int i = 2; i <= top; i++) {
        int t = lua_type(L, i);
        if (is_reference_type(t) && luaL_getmetafield(L, i, "__tostring") == LUA_TNIL) {
            lua_pushstring(L, lua_typename(L, t));
            lua_replace(L, i);
        } else if (is_reference_type(t)) {
            lua_pop(L, 1);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, top, 1);
    return 1;
}

static void set_nil(lua_State *L, int table, const char *name) {
    lua_pushnil(L);
    lua_setfield(L, table, name);
}

static void open_lib(lua_State *L, const char *name, lua_CFunction open) {
    luaL_requiref(L, name, open, 1);
    lua_pop(L, 1);
}

int tsw_open_sandbox_libs(lua_State *L) {
    open_lib(L, LUA_GNAME, luaopen_base);
    open_lib(L, LUA_STRLIBNAME, luaopen_string);
    open_lib(L, LUA_TABLIBNAME, luaopen_table);
    open_lib(L, LUA_MATHLIBNAME, luaopen_math);
    open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
    open_lib(L, LUA_COLIBNAME, luaopen_coroutine);

    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    set_nil(L, g, "dofile");
    set_nil(L, g, "loadfile");
    set_nil(L, g, "warn");
    lua_pushcfunction(L, sb_load); lua_setfield(L, g, "load");
    lua_pushcfunction(L, sb_collectgarbage); lua_setfield(L, g, "collectgarbage");
    lua_pushcfunction(L, sb_setmetatable); lua_setfield(L, g, "setmetatable");
    lua_pushcfunction(L, sb_tostring); lua_setfield(L, g, "tostring");
    lua_pushcfunction(L, sb_print); lua_setfield(L, g, "print");

    // string: no dump, safe format, locked metatable (the metatable's __index is this same table).
    lua_getfield(L, g, "string");
    int s = lua_gettop(L);
    set_nil(L, s, "dump");
    lua_getfield(L, s, "format");
    lua_pushcclosure(L, sb_format, 1);
    lua_setfield(L, s, "format");
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 3);

    // math: seeded from the execution seed, reseeding removed (math.randomseed() reads entropy).
    lua_getfield(L, g, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, (lua_Integer)tsw_x.seed);
    lua_call(L, 1, 0);
    set_nil(L, lua_gettop(L), "randomseed");
    lua_pop(L, 1);

    // coroutine: resume and wrap flush each coroutine's instruction countdown into the budget.
    lua_getfield(L, g, "coroutine");
    set_nil(L, lua_gettop(L), "close");
    lua_pushcfunction(L, tsw_coroutine_create); lua_setfield(L, -2, "create");
    lua_pushcfunction(L, tsw_coroutine_resume); lua_setfield(L, -2, "resume");
    lua_pushcfunction(L, tsw_coroutine_wrap); lua_setfield(L, -2, "wrap");
    lua_pop(L, 1);

    // os: only the logical clock. The stock table is used for date/difftime and is then dropped.
    lua_pushcfunction(L, luaopen_os);
    lua_call(L, 0, 1);
    int stock = lua_gettop(L);
    lua_createtable(L, 0, 4);
    lua_getfield(L, stock, "time"); lua_pushcclosure(L, tsw_os_time, 1); lua_setfield(L, -2, "time");
    lua_getfield(L, stock, "date"); lua_pushcclosure(L, tsw_os_date, 1); lua_setfield(L, -2, "date");
    lua_getfield(L, stock, "difftime"); lua_setfield(L, -2, "difftime");
    lua_pushcfunction(L, tsw_os_clock); lua_setfield(L, -2, "clock");
    lua_setfield(L, g, "os");
    lua_pop(L, 1);

    if (tsw_x.deterministic) {
        lua_newtable(L);                     // cache: table -> sorted keys, weak keys
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushcclosure(L, tsw_det_next, 1);
        lua_pushvalue(L, -1);
        lua_setfield(L, g, "next");
        lua_pushcclosure(L, tsw_det_pairs, 1);
        lua_setfield(L, g, "pairs");
    }
    tsw_open_metered_library(L);
    lua_getfield(L, g, "table");
    lua_pushcfunction(L, tsw_det_sort);
    lua_setfield(L, -2, "sort");
    lua_pop(L, 1);
    lua_pop(L, 1);
    return 0;
}
