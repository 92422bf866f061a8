// Lua values <-> wire values. Reading uses raw access only (lua_next, lua_rawlen): no metamethod of
// a hostile result or error object runs in the host-facing code, and depth and size are bounded.
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "execution.h"

static int put_string(tsw_buf *b, const char *s, size_t n) {
    return tsw_buf_u8(b, TSW_STRING) || tsw_buf_u32(b, (uint32_t)n) || tsw_buf_put(b, s, n);
}

/// Integer-valued floats become integers so `t[1.0]` and `t[1]` encode alike.
static int key_as_integer(lua_State *L, int index, lua_Integer *out) {
    int isnum = 0;
    if (lua_type(L, index) != LUA_TNUMBER) return 0;
    *out = lua_tointegerx(L, index, &isnum);
    return isnum;
}

static const char *encode_table(lua_State *L, int index, tsw_buf *b, int depth, size_t limit) {
    if (!lua_checkstack(L, 4)) return "result too deep";
    lua_Unsigned n = lua_rawlen(L, index);
    size_t count = 0;
    int sequence = 1;
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        lua_Integer k;
        count++;
        if (!(key_as_integer(L, -2, &k) && k >= 1 && (lua_Unsigned)k <= n)) sequence = 0;
        lua_pop(L, 1);
    }
    if (count > 0xFFFFFFFFu) return "result too large";
    if (sequence && count == n) {
        if (tsw_buf_u8(b, TSW_ARRAY) || tsw_buf_u32(b, (uint32_t)n)) return "result too large";
        for (lua_Unsigned i = 1; i <= n; i++) {
            lua_rawgeti(L, index, (lua_Integer)i);
            const char *e = tsw_encode_value(L, lua_gettop(L), b, depth + 1, limit);
            lua_pop(L, 1);
            if (e) return e;
        }
        return NULL;
    }
    if (tsw_buf_u8(b, TSW_MAP) || tsw_buf_u32(b, (uint32_t)count)) return "result too large";
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        int top = lua_gettop(L);
        lua_Integer k;
        if (key_as_integer(L, top - 1, &k)) {
            if (tsw_buf_u8(b, TSW_INT) || tsw_buf_u64(b, (uint64_t)k)) { lua_pop(L, 2); return "result too large"; }
        } else if (lua_type(L, top - 1) == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, top - 1, &len);
            if (put_string(b, s, len)) { lua_pop(L, 2); return "result too large"; }
        } else {
            lua_pop(L, 2);
            return "table keys in a result must be strings or integers";
        }
        const char *e = tsw_encode_value(L, top, b, depth + 1, limit);
        lua_pop(L, 1);
        if (e) { lua_pop(L, 1); return e; }
        if (b->length > limit) { lua_pop(L, 1); return "result too large"; }
    }
    return NULL;
}

const char *tsw_encode_value(lua_State *L, int index, tsw_buf *b, int depth, size_t limit) {
    if (depth > TSW_MAX_DEPTH) return "result too deep (or cyclic)";
    if (b->length > limit) return "result too large";
    index = lua_absindex(L, index);
    switch (lua_type(L, index)) {
    case LUA_TNIL: return tsw_buf_u8(b, TSW_NIL) ? "result too large" : NULL;
    case LUA_TBOOLEAN: return tsw_buf_u8(b, lua_toboolean(L, index) ? TSW_TRUE : TSW_FALSE) ? "result too large" : NULL;
    case LUA_TNUMBER:
        if (lua_isinteger(L, index)) {
            return (tsw_buf_u8(b, TSW_INT) || tsw_buf_u64(b, (uint64_t)lua_tointeger(L, index))) ? "result too large" : NULL;
        } else {
            double d = (double)lua_tonumber(L, index);
            uint64_t bits;
            memcpy(&bits, &d, 8);
            return (tsw_buf_u8(b, TSW_FLOAT) || tsw_buf_u64(b, bits)) ? "result too large" : NULL;
        }
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, index, &n);
        if (n > limit) return "result too large";
        return put_string(b, s, n) ? "result too large" : NULL;
    }
    case LUA_TTABLE: return encode_table(L, index, b, depth, limit);
    case LUA_TFUNCTION: return "a function cannot cross the sandbox boundary";
    case LUA_TTHREAD: return "a coroutine cannot cross the sandbox boundary";
    default: return "a userdata value cannot cross the sandbox boundary";
    }
}

static void malformed(lua_State *L) { luaL_error(L, "malformed value from host"); }

void tsw_decode_value(lua_State *L, tsw_reader *r, int depth) {
    uint8_t tag;
    uint64_t u;
    uint32_t n;
    const unsigned char *bytes;
    if (depth > TSW_MAX_DEPTH) luaL_error(L, "value from host too deep");
    luaL_checkstack(L, 4, "value from host too deep");
    if (tsw_read_u8(r, &tag)) malformed(L);
    switch (tag) {
    case TSW_NIL: lua_pushnil(L); break;
    case TSW_FALSE: lua_pushboolean(L, 0); break;
    case TSW_TRUE: lua_pushboolean(L, 1); break;
    case TSW_INT:
        if (tsw_read_u64(r, &u)) malformed(L);
        lua_pushinteger(L, (lua_Integer)u);
        break;
    case TSW_FLOAT: {
        double d;
        if (tsw_read_u64(r, &u)) malformed(L);
        memcpy(&d, &u, 8);
        lua_pushnumber(L, (lua_Number)d);
        break;
    }
    case TSW_STRING:
        if (tsw_read_u32(r, &n) || tsw_read_bytes(r, n, &bytes)) malformed(L);
        lua_pushlstring(L, (const char *)bytes, n);
        break;
    case TSW_ARRAY:
        if (tsw_read_u32(r, &n) || n > (size_t)(r->end - r->at)) malformed(L);
        lua_createtable(L, (int)n, 0);
        for (uint32_t i = 1; i <= n; i++) {
            tsw_decode_value(L, r, depth + 1);
            lua_rawseti(L, -2, i);
        }
        break;
    case TSW_MAP:
        if (tsw_read_u32(r, &n) || n > (size_t)(r->end - r->at)) malformed(L);
        lua_createtable(L, 0, (int)n);
        for (uint32_t i = 0; i < n; i++) {
            tsw_decode_value(L, r, depth + 1);
            tsw_decode_value(L, r, depth + 1);
            if (lua_isnil(L, -2)) malformed(L);
            lua_rawset(L, -3);
        }
        break;
    default: malformed(L);
    }
}
