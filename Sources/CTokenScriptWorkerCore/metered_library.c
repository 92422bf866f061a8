// Charges for the C library functions whose work is not constant (the count hook never fires inside
// C). Each replacement charges by the size of its input before doing the work, then runs the stock
// function in its own stack frame (so argument errors still name the Lua function). Results are
// charged separately when they are long strings (the allocator in worker.c). Rates are in meter.h.
//   string.byte, string.char, utf8.char, table.pack   TSW_KEY_UNITS per value pushed or read
//   string.rep                                          one unit per repetition (first when the piece
//                                                       is empty: 2^62 of them is all loop, no output)
//   string.pack/unpack/packsize                         TSW_KEY_UNITS per format byte
//   utf8.len/codepoint                                  one unit per byte decoded
//   utf8.offset and the utf8.codes iterator             one unit per byte moved over (after the call)
//   table.move                                          TSW_KEY_UNITS per element
//   table.insert/remove/unpack                          TSW_KEY_UNITS per element (as in ltablib.c)
//   table.concat                                        2 * TSW_KEY_UNITS per element
// Patterns are in patterns.c, next/pairs/sort in deterministic.c, load and string.format in safelib.c.
#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <string.h>

#include "meter.h"

static lua_CFunction stock_byte, stock_char, stock_rep, stock_pack, stock_unpack, stock_packsize;
static lua_CFunction stock_utf8_char, stock_utf8_len, stock_utf8_codepoint, stock_utf8_offset, stock_utf8_codes;
static lua_CFunction stock_codes_strict, stock_codes_lax, stock_move;

/// `n` times `units`, saturating (a charge that large ends the execution anyway).
static uint64_t times(uint64_t n, uint64_t units) { return n > UINT64_MAX / units ? UINT64_MAX : n * units; }

/// Lua's position rules (lstrlib.c posrelatI / lutf8lib.c u_posrelat).
static size_t string_start(lua_Integer pos, size_t len) {
    if (pos > 0) return (size_t)pos;
    if (pos == 0) return 1;
    if (pos < -(lua_Integer)len) return 1;
    return len + (size_t)pos + 1;
}

static size_t string_end(lua_Integer pos, size_t len) {
    if (pos > (lua_Integer)len) return len;
    if (pos >= 0) return (size_t)pos;
    if (pos < -(lua_Integer)len) return 0;
    return len + (size_t)pos + 1;
}

static lua_Integer utf8_position(lua_Integer pos, size_t len) {
    if (pos >= 0) return pos;
    if (0u - (size_t)pos > len) return 0;
    return (lua_Integer)len + pos + 1;
}

static int metered_byte(lua_State *L) {
    size_t len;
    luaL_checklstring(L, 1, &len);
    size_t first = string_start(luaL_optinteger(L, 2, 1), len);
    size_t last = string_end(luaL_optinteger(L, 3, (lua_Integer)first), len);
    if (first <= last) tsw_charge(times(last - first + 1, TSW_KEY_UNITS));
    return stock_byte(L);
}

static int metered_char(lua_State *L) {
    tsw_charge(times((uint64_t)lua_gettop(L) + 1, TSW_KEY_UNITS));
    return stock_char(L);
}

/// string.rep: an empty piece (and separator) makes a loop with no output, charged one unit per
/// repetition first. Otherwise the result string pays for its bytes when created (after the memory
/// limit had its say) and the loop, one unit per repetition, is charged after it; the work done
/// before that charge is bounded by the memory limit.
static int metered_rep(lua_State *L) {
    size_t piece, separator = 0;
    luaL_checklstring(L, 1, &piece);
    lua_Integer n = luaL_checkinteger(L, 2);
    if (lua_type(L, 3) == LUA_TSTRING) separator = lua_rawlen(L, 3);
    if (n > 0 && piece + separator == 0) tsw_charge((uint64_t)n);
    int results = stock_rep(L);
    if (n > 0) tsw_charge((uint64_t)n);
    return results;
}

static int format_charge(lua_State *L, lua_CFunction stock) {
    size_t len;
    luaL_checklstring(L, 1, &len);
    tsw_charge(times((uint64_t)len + 1, TSW_KEY_UNITS));
    return stock(L);
}

static int metered_string_pack(lua_State *L) { return format_charge(L, stock_pack); }
static int metered_string_unpack(lua_State *L) { return format_charge(L, stock_unpack); }
static int metered_string_packsize(lua_State *L) { return format_charge(L, stock_packsize); }

static int metered_utf8_char(lua_State *L) {
    tsw_charge(times((uint64_t)lua_gettop(L) + 1, TSW_KEY_UNITS));
    return stock_utf8_char(L);
}

/// utf8.len(s, i, j) and utf8.codepoint(s, i, j) decode bytes i..j (j defaults differ).
static int charge_utf8_range(lua_State *L, lua_Integer default_end_is_start) {
    size_t len;
    luaL_checklstring(L, 1, &len);
    lua_Integer i = utf8_position(luaL_optinteger(L, 2, 1), len);
    lua_Integer j = utf8_position(luaL_optinteger(L, 3, default_end_is_start ? i : -1), len);
    if (i < 1) i = 1;
    if (j > (lua_Integer)len) j = (lua_Integer)len;
    tsw_charge(j >= i ? (uint64_t)(j - i) + 1 : 1);
    return 0;
}

static int metered_utf8_len(lua_State *L) {
    charge_utf8_range(L, 0);
    return stock_utf8_len(L);
}

static int metered_utf8_codepoint(lua_State *L) {
    charge_utf8_range(L, 1);
    return stock_utf8_codepoint(L);
}

/// utf8.offset moves over at most the whole string; charged by the distance it actually moved.
static int metered_utf8_offset(lua_State *L) {
    size_t len;
    luaL_checklstring(L, 1, &len);
    lua_Integer n = luaL_checkinteger(L, 2);
    lua_Integer start = utf8_position(luaL_optinteger(L, 3, n >= 0 ? 1 : (lua_Integer)len + 1), len);
    int results = stock_utf8_offset(L);
    if (lua_isinteger(L, -1)) {
        lua_Integer at = lua_tointeger(L, -1);
        tsw_charge((uint64_t)(at > start ? at - start : start - at) + 1);
    } else {
        tsw_charge((uint64_t)len + 1);
    }
    return results;
}

/// The utf8.codes iterators skip continuation bytes in a loop; charged by the bytes passed.
static int charge_codes_step(lua_State *L, lua_CFunction stock) {
    size_t len;
    luaL_checklstring(L, 1, &len);
    lua_Integer from = lua_tointeger(L, 2);
    int results = stock(L);
    lua_Integer to = results == 2 ? lua_tointeger(L, -2) : (lua_Integer)len;
    tsw_charge(to > from ? (uint64_t)(to - from) : 1);
    return results;
}

static int metered_codes_strict(lua_State *L) { return charge_codes_step(L, stock_codes_strict); }
static int metered_codes_lax(lua_State *L) { return charge_codes_step(L, stock_codes_lax); }

static int metered_utf8_codes(lua_State *L) {
    int results = stock_utf8_codes(L);
    lua_CFunction iterator = lua_tocfunction(L, -results);
    lua_pushcfunction(L, iterator == stock_codes_lax ? metered_codes_lax : metered_codes_strict);
    lua_replace(L, -results - 1);
    return results;
}

static int metered_move(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
    if (e >= f && (f > 0 || e < LUA_MAXINTEGER + f)) tsw_charge(times((uint64_t)(e - f) + 1, TSW_KEY_UNITS));
    return stock_move(L);
}

/* table.concat, insert, remove, unpack and pack: Lua 5.4.4's ltablib.c (MIT licence, Copyright (C)
   1994-2022 Lua.org, PUC-Rio), with a charge per element. Reimplemented rather than wrapped so
   that a __len metamethod runs once, as in stock Lua. */

#define TAB_R 1
#define TAB_W 2
#define TAB_L 4
#define TAB_RW (TAB_R | TAB_W)

static int checkfield(lua_State *L, const char *key, int n) {
    lua_pushstring(L, key);
    return lua_rawget(L, -n) != LUA_TNIL;
}

static void checktab(lua_State *L, int arg, int what) {
    if (lua_type(L, arg) != LUA_TTABLE) {
        int n = 1;
        if (lua_getmetatable(L, arg) && (!(what & TAB_R) || checkfield(L, "__index", ++n)) &&
            (!(what & TAB_W) || checkfield(L, "__newindex", ++n)) && (!(what & TAB_L) || checkfield(L, "__len", ++n))) {
            lua_pop(L, n);
        } else {
            luaL_checktype(L, arg, LUA_TTABLE);
        }
    }
}

static lua_Integer aux_getn(lua_State *L, int n, int w) {
    checktab(L, n, w | TAB_L);
    return luaL_len(L, n);
}

static int metered_insert(lua_State *L) {
    lua_Integer pos;
    lua_Integer e = aux_getn(L, 1, TAB_RW);
    e = (lua_Integer)((lua_Unsigned)e + 1u);
    switch (lua_gettop(L)) {
    case 2: pos = e; break;
    case 3: {
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        tsw_charge(times((uint64_t)(e - pos) + 1, TSW_KEY_UNITS));
        for (lua_Integer i = e; i > pos; i--) {
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
        }
        break;
    }
    default: return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);
    return 0;
}

static int metered_remove(lua_State *L) {
    lua_Integer size = aux_getn(L, 1, TAB_RW);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size) luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1, "position out of bounds");
    if (pos < size) tsw_charge(times((uint64_t)(size - pos) + 1, TSW_KEY_UNITS));
    lua_geti(L, 1, pos);
    for (; pos < size; pos++) {
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
    }
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

static void addfield(lua_State *L, luaL_Buffer *b, lua_Integer i) {
    lua_geti(L, 1, i);
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid value (%s) at index %I in table for 'concat'", luaL_typename(L, -1), (LUAI_UACINT)i);
    luaL_addvalue(b);
}

static int metered_concat(lua_State *L) {
    luaL_Buffer b;
    lua_Integer last = aux_getn(L, 1, TAB_R);
    size_t lsep;
    const char *sep = luaL_optlstring(L, 2, "", &lsep);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    last = luaL_optinteger(L, 4, last);
    luaL_buffinit(L, &b);
    for (; i < last; i++) {
        tsw_charge(2 * TSW_KEY_UNITS + lsep / TSW_BYTES_PER_UNIT);  // read, convert, append
        addfield(L, &b, i);
        luaL_addlstring(&b, sep, lsep);
    }
    if (i == last) addfield(L, &b, i);
    luaL_pushresult(&b);
    return 1;
}

static int metered_pack_table(lua_State *L) {
    int n = lua_gettop(L);
    tsw_charge(times((uint64_t)n + 1, TSW_KEY_UNITS));
    lua_createtable(L, n, 1);
    lua_insert(L, 1);
    for (int i = n; i >= 1; i--) lua_seti(L, 1, i);
    lua_pushinteger(L, n);
    lua_setfield(L, 1, "n");
    return 1;
}

static int metered_table_unpack(lua_State *L) {
    lua_Unsigned n;
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer e = luaL_opt(L, luaL_checkinteger, 3, luaL_len(L, 1));
    if (i > e) return 0;
    n = (lua_Unsigned)e - (lua_Unsigned)i;
    if (n >= (unsigned int)INT_MAX || !lua_checkstack(L, (int)(++n))) return luaL_error(L, "too many results to unpack");
    tsw_charge(times(n, TSW_KEY_UNITS));
    for (; i < e; i++) lua_geti(L, 1, i);
    lua_geti(L, 1, e);
    return (int)n;
}

/// Replaces `name` in the table at `lib`, returning the stock C function it replaces.
static lua_CFunction swap(lua_State *L, int lib, const char *name, lua_CFunction replacement) {
    lua_getfield(L, lib, name);
    lua_CFunction stock = lua_tocfunction(L, -1);
    lua_pop(L, 1);
    lua_pushcfunction(L, replacement);
    lua_setfield(L, lib, name);
    return stock;
}

void tsw_open_metered_library(lua_State *L) {
    lua_getglobal(L, "string");
    int s = lua_gettop(L);
    stock_byte = swap(L, s, "byte", metered_byte);
    stock_char = swap(L, s, "char", metered_char);
    stock_rep = swap(L, s, "rep", metered_rep);
    stock_pack = swap(L, s, "pack", metered_string_pack);
    stock_unpack = swap(L, s, "unpack", metered_string_unpack);
    stock_packsize = swap(L, s, "packsize", metered_string_packsize);
    swap(L, s, "find", tsw_string_find);
    swap(L, s, "match", tsw_string_match);
    swap(L, s, "gmatch", tsw_string_gmatch);
    swap(L, s, "gsub", tsw_string_gsub);
    lua_getglobal(L, "utf8");
    int u = lua_gettop(L);
    // The codes iterators are not exported: learn them from one call each.
    lua_getfield(L, u, "codes");
    lua_pushliteral(L, "");
    lua_call(L, 1, 1);
    stock_codes_strict = lua_tocfunction(L, -1);
    lua_getfield(L, u, "codes");
    lua_pushliteral(L, "");
    lua_pushboolean(L, 1);
    lua_call(L, 2, 1);
    stock_codes_lax = lua_tocfunction(L, -1);
    lua_pop(L, 2);
    stock_utf8_char = swap(L, u, "char", metered_utf8_char);
    stock_utf8_len = swap(L, u, "len", metered_utf8_len);
    stock_utf8_codepoint = swap(L, u, "codepoint", metered_utf8_codepoint);
    stock_utf8_offset = swap(L, u, "offset", metered_utf8_offset);
    stock_utf8_codes = swap(L, u, "codes", metered_utf8_codes);
    lua_getglobal(L, "table");
    int t = lua_gettop(L);
    stock_move = swap(L, t, "move", metered_move);
    swap(L, t, "concat", metered_concat);
    swap(L, t, "insert", metered_insert);
    swap(L, t, "remove", metered_remove);
    swap(L, t, "pack", metered_pack_table);
    swap(L, t, "unpack", metered_table_unpack);
    lua_pop(L, 3);
}
