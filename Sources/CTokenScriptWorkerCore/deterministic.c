// Deterministic replacements: `next`/`pairs` in a canonical key order (Lua 5.4 seeds string hashing
// per state, so stock order differs run to run) at amortised O(1) per step, and a stable, charged
// `table.sort` (the stock quicksort takes pivots from clock() and time() on large inputs).
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "execution.h"
#include "meter.h"

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
        tsw_charge(tsw_byte_units(m));
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
            while (i < mid && j < hi) {
                tsw_charge(TSW_COMPARE_UNITS);
                dst[o++] = compare_keys(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
            }
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
/// Charged (meter.h): TSW_HASH_KEY_UNITS per key, TSW_COMPARE_UNITS per comparison, plus the bytes compared.
static void push_sorted_keys(lua_State *L, int t) {
    size_t count = 0;
    lua_pushnil(L);
    while (lua_next(L, t) != 0) { count++; lua_pop(L, 1); }
    tsw_charge(TSW_HASH_KEY_UNITS * ((uint64_t)count + 1));
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

/// A traversal's sorted keys (user value 1: the key sequence) and where the last step stopped.
typedef struct snapshot { lua_Integer count, cursor; } snapshot;

/// Pushes a fresh snapshot of `t`'s keys and stores it in the cache (upvalue 1 of next).
static snapshot *push_new_snapshot(lua_State *L, int t) {
    snapshot *s = lua_newuserdatauv(L, sizeof(snapshot), 1);
    push_sorted_keys(L, t);
    s->count = (lua_Integer)lua_rawlen(L, -1);
    s->cursor = 0;
    lua_setiuservalue(L, -2, 1);
    lua_pushvalue(L, t);
    lua_pushvalue(L, -2);
    lua_rawset(L, lua_upvalueindex(1));
    return s;
}

/// Position of the key at `key` in the key sequence at `keys` (0: absent). The cursor makes the
/// usual sequential traversal O(1); other positions cost a binary search.
static lua_Integer locate(lua_State *L, snapshot *s, int keys, int key) {
    if (s->cursor >= 1 && s->cursor <= s->count) {
        lua_rawgeti(L, keys, s->cursor);
        int same = lua_rawequal(L, -1, key);
        lua_pop(L, 1);
        if (same) return s->cursor;
    }
    sort_key want;
    if (!describe_key(L, key, &want)) return 0;
    lua_Integer lo = 1, hi = s->count;
    while (lo <= hi) {
        lua_Integer mid = lo + (hi - lo) / 2;
        sort_key have;
        lua_rawgeti(L, keys, mid);
        describe_key(L, -1, &have);
        int c = compare_keys(&want, &have);
        lua_pop(L, 1);
        if (c == 0) return mid;
        if (c < 0) hi = mid - 1;
        else lo = mid + 1;
    }
    return 0;
}

/// next(t, nil): the smallest key in one scan (no sort), so `next(t) == nil` stays O(n) like
/// stock Lua's worst case. The table's cached snapshot is dropped: a new traversal starts here.
static int first_key(lua_State *L) {
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    lua_rawset(L, lua_upvalueindex(1));
    sort_key best, cur;
    int best_index = 0;
    uint64_t seen = 0;
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        lua_pop(L, 1);
        seen++;
        if (!describe_key(L, -1, &cur))
            return luaL_error(L, "deterministic mode: cannot iterate a table keyed by a %s", luaL_typename(L, -1));
        if (best_index == 0 || compare_keys(&cur, &best) < 0) {
            if (best_index == 0) {
                lua_pushvalue(L, -1);
                lua_insert(L, -2);
                best_index = lua_gettop(L) - 1;
            } else {
                lua_pushvalue(L, -1);
                lua_replace(L, best_index);
            }
            describe_key(L, best_index, &best);  // keep the string pointer of the copy we hold
        }
    }
    tsw_charge(TSW_HASH_KEY_UNITS * (seen + 1));
    if (best_index == 0) {
        lua_pushnil(L);
        return 1;
    }
    lua_settop(L, best_index);
    lua_pushvalue(L, -1);
    lua_rawget(L, 1);
    return 2;
}

/// Canonical `next`. A traversal sorts the keys once (the snapshot, cached per table in upvalue 1,
/// weak-keyed) and then steps through them at O(1) each; keys whose value was cleared meanwhile are
/// skipped. A key missing from the snapshot (added since) rebuilds it once. Keys added during a
/// traversal may or may not be visited, as in stock Lua; the choice is deterministic.
int tsw_det_next(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_isnil(L, 2)) return first_key(L);
    snapshot *s = NULL;
    lua_pushvalue(L, 1);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TUSERDATA) s = lua_touserdata(L, -1);
    else { lua_pop(L, 1); s = push_new_snapshot(L, 1); }
    lua_getiuservalue(L, 3, 1);  // keys at 4
    lua_Integer pos = locate(L, s, 4, 2);
    if (pos == 0) {
        lua_settop(L, 2);
        s = push_new_snapshot(L, 1);
        lua_getiuservalue(L, 3, 1);
        pos = locate(L, s, 4, 2);
        if (pos == 0) return luaL_error(L, "invalid key to 'next'");
    }
    for (lua_Integer i = pos + 1; i <= s->count; i++) {
        tsw_charge(TSW_STEP_UNITS);
        lua_rawgeti(L, 4, i);
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL) {
            s->cursor = i;
            return 2;
        }
        lua_pop(L, 2);
    }
    s->cursor = s->count;
    lua_pushnil(L);
    return 1;
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

/// Stable merge sort, in both modes: the stock quicksort picks pivots from clock() and time() on
/// large inputs, so equal elements could land in a different order on another node, and its C loop
/// is not charged. Charged (meter.h): TSW_KEY_UNITS per element copied in and out and per element
/// per pass, TSW_COMPARE_UNITS per comparison, TSW_CALL_UNITS per comparator call, and the bytes of
/// strings compared without a comparator.
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
    tsw_charge(2 * TSW_KEY_UNITS * (uint64_t)n);  // copying in and out
    for (lua_Integer i = 1; i <= n; i++) { lua_geti(L, 1, i); lua_rawseti(L, src, i); }
    for (lua_Integer width = 1; width < n; width *= 2) {
        tsw_charge(TSW_KEY_UNITS * (uint64_t)n);  // each pass moves every element once
        for (lua_Integer lo = 1; lo <= n; lo += 2 * width) {
            lua_Integer mid = lo + width < n + 1 ? lo + width : n + 1;
            lua_Integer hi = lo + 2 * width < n + 1 ? lo + 2 * width : n + 1;
            lua_Integer i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                lua_rawgeti(L, src, i);
                lua_rawgeti(L, src, j);
                int top = lua_gettop(L), less;
                tsw_charge(TSW_COMPARE_UNITS);
                if (has_cmp) {
                    tsw_charge(TSW_CALL_UNITS);
                    lua_pushvalue(L, 2); lua_pushvalue(L, top); lua_pushvalue(L, top - 1);
                    lua_call(L, 2, 1);
                    less = lua_toboolean(L, -1);
                    lua_pop(L, 1);
                } else {
                    if (lua_type(L, top) == LUA_TSTRING && lua_type(L, top - 1) == LUA_TSTRING) {
                        size_t la = lua_rawlen(L, top), lb = lua_rawlen(L, top - 1);
                        tsw_charge(tsw_byte_units(la < lb ? la : lb));
                    }
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

