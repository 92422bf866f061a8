// Deterministic replacements: `next`/`pairs` in a canonical key order (Lua 5.4 seeds string hashing
// per state, so stock order differs run to run) and a stable `table.sort` (the stock quicksort takes
// pivots from clock() and time() on large inputs).
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "execution.h"

/// A key reduced to what ordering needs: rank 0 numbers, 1 strings, 2 booleans (in `i`).
typedef struct sort_key { int rank; int isint; lua_Integer i; lua_Number f; const char *s; size_t len; int slot; } sort_key;

static int compare_keys(const void *pa, const void *pb) {
    const sort_key *a = pa, *b = pb;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->rank == 0) {  // numbers: integers exactly (beyond 2^53 too), otherwise as floats
        if (a->isint && b->isint) return a->i < b->i ? -1 : (a->i > b->i ? 1 : 0);
        if (a->f != b->f) return a->f < b->f ? -1 : 1;
        if (a->isint != b->isint) return a->isint ? -1 : 1;
        return 0;
    }
    if (a->rank == 1) {  // strings, bytewise
        size_t m = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, m);
        if (c != 0) return c;
        return a->len < b->len ? -1 : (a->len > b->len ? 1 : 0);
    }
    return a->i < b->i ? -1 : (a->i > b->i ? 1 : 0);  // booleans
}

/// Bottom-up merge sort of `n` keys using `scratch` (same size); the result ends in `k`.
static void merge_sort_keys(sort_key *k, sort_key *scratch, size_t n) {
    sort_key *src = k, *dst = scratch;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi) dst[o++] = compare_keys(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid) dst[o++] = src[i++];
            while (j < hi) dst[o++] = src[j++];
        }
        sort_key *t = src; src = dst; dst = t;
    }
    if (src != k) memcpy(k, src, n * sizeof(sort_key));
}

/// Describes the key at `index`; 0 if its type has no canonical order (tables, functions...).
static int describe_key(lua_State *L, int index, sort_key *k) {
    memset(k, 0, sizeof *k);
    switch (lua_type(L, index)) {
    case LUA_TNUMBER:
        k->rank = 0;
        k->isint = lua_isinteger(L, index);
        k->i = k->isint ? lua_tointeger(L, index) : 0;
        k->f = lua_tonumber(L, index);
        return 1;
    case LUA_TSTRING: k->rank = 1; k->s = lua_tolstring(L, index, &k->len); return 1;
    case LUA_TBOOLEAN: k->rank = 2; k->i = lua_toboolean(L, index); return 1;
    default: return 0;
    }
}

/// Pushes a sequence of `t`'s keys in canonical order: numbers, then strings (bytewise), then
/// false, true. Other key types have no order independent of addresses and are refused.
static void push_sorted_keys(lua_State *L, int t) {
    size_t count = 0;
    lua_pushnil(L);
    while (lua_next(L, t) != 0) { count++; lua_pop(L, 1); }
    lua_createtable(L, (int)count, 0);
    int keys = lua_gettop(L);
    sort_key *k = lua_newuserdatauv(L, count ? count * sizeof(sort_key) : 1, 0);
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, (lua_Integer)(n + 1));
        if (!describe_key(L, -1, &k[n]))
            luaL_error(L, "deterministic mode: cannot iterate a table keyed by a %s", luaL_typename(L, -1));
        k[n].slot = (int)(n + 1);
        n++;
    }
    // Not qsort(3): glibc's qsort calls sysconf(_SC_PHYS_PAGES) -> sysinfo(2), which the filter kills.
    sort_key *scratch = lua_newuserdatauv(L, n ? n * sizeof(sort_key) : 1, 0);
    merge_sort_keys(k, scratch, n);
    lua_pop(L, 1);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, keys, k[i].slot);
        lua_rawseti(L, -2, (lua_Integer)(i + 1));
    }
    lua_replace(L, keys);
    lua_pop(L, 1);  // the userdata
}

/// Canonical `next`: sorted keys cached per table (weak-keyed cache in upvalue 1), rebuilt when a
/// traversal starts or the key is not found. A key's position is found by binary search.
int tsw_det_next(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    int cache = lua_upvalueindex(1);
    int restart = lua_isnil(L, 2);
    for (int attempt = 0; attempt < 2; attempt++) {
        int rebuild = restart || attempt > 0;
        if (!rebuild) {
            lua_pushvalue(L, 1);
            if (lua_rawget(L, cache) != LUA_TTABLE) { lua_pop(L, 1); rebuild = 1; }
        }
        if (rebuild) {
            push_sorted_keys(L, 1);
            lua_pushvalue(L, 1);
            lua_pushvalue(L, -2);
            lua_rawset(L, cache);
        }
        int keys = lua_gettop(L);
        lua_Integer n = (lua_Integer)lua_rawlen(L, keys), pos = 0;
        if (!lua_isnil(L, 2)) {
            lua_Integer lo = 1, hi = n;
            sort_key want;
            if (!describe_key(L, 2, &want)) return luaL_error(L, "invalid key to 'next'");
            while (lo <= hi && pos == 0) {
                lua_Integer mid = (lo + hi) / 2;
                sort_key have;
                lua_rawgeti(L, keys, mid);
                describe_key(L, -1, &have);
                int c = compare_keys(&want, &have);
                lua_pop(L, 1);
                if (c == 0) pos = mid;
                else if (c < 0) hi = mid - 1;
                else lo = mid + 1;
            }
            if (pos == 0) { lua_settop(L, 2); continue; }
        }
        // Skip keys whose value was cleared during the traversal.
        for (lua_Integer i = pos + 1; i <= n; i++) {
            lua_rawgeti(L, keys, i);
            lua_pushvalue(L, -1);
            if (lua_rawget(L, 1) != LUA_TNIL) return 2;
            lua_pop(L, 2);
        }
        lua_pushnil(L);
        return 1;
    }
    return luaL_error(L, "invalid key to 'next'");
}

int tsw_det_pairs(lua_State *L) {
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    lua_pushvalue(L, lua_upvalueindex(1));  // the canonical next
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/// Stable merge sort: the stock quicksort picks pivots from clock() and time() on large inputs,
/// so equal elements could land in a different order on another node.
int tsw_det_sort(lua_State *L) {
    lua_Integer n = luaL_len(L, 1);
    if (n < 2) return 0;
    luaL_argcheck(L, n < (1 << 30), 1, "array too big");
    int has_cmp = !lua_isnoneornil(L, 2);
    if (has_cmp) luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    lua_createtable(L, (int)n, 0);
    lua_createtable(L, (int)n, 0);
    int src = 3, dst = 4;
    for (lua_Integer i = 1; i <= n; i++) { lua_geti(L, 1, i); lua_rawseti(L, src, i); }
    for (lua_Integer width = 1; width < n; width *= 2) {
        for (lua_Integer lo = 1; lo <= n; lo += 2 * width) {
            lua_Integer mid = lo + width < n + 1 ? lo + width : n + 1;
            lua_Integer hi = lo + 2 * width < n + 1 ? lo + 2 * width : n + 1;
            lua_Integer i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                lua_rawgeti(L, src, i);
                lua_rawgeti(L, src, j);
                int top = lua_gettop(L), less;
                if (has_cmp) {
                    lua_pushvalue(L, 2); lua_pushvalue(L, top); lua_pushvalue(L, top - 1);
                    lua_call(L, 2, 1);
                    less = lua_toboolean(L, -1);
                    lua_pop(L, 1);
                } else {
                    less = lua_compare(L, top, top - 1, LUA_OPLT);
                }
                if (less) { lua_rawseti(L, dst, k++); lua_pop(L, 1); j++; }
                else { lua_pop(L, 1); lua_rawseti(L, dst, k++); i++; }
            }
            while (i < mid) { lua_rawgeti(L, src, i++); lua_rawseti(L, dst, k++); }
            while (j < hi) { lua_rawgeti(L, src, j++); lua_rawseti(L, dst, k++); }
        }
        int t = src; src = dst; dst = t;
    }
    for (lua_Integer i = 1; i <= n; i++) { lua_rawgeti(L, src, i); lua_seti(L, 1, i); }
    return 0;
}

