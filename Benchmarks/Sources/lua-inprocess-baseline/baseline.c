// Timing loop of the baseline: the same Lua library in-process, without sandbox, allocator cap or filter
// (stock luaL_newstate + luaL_openlibs), optionally with an empty count hook to show the hook's cost.
#define _GNU_SOURCE
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "baseline.h"

static void bench_hook(lua_State *L, lua_Debug *ar) { (void)L; (void)ar; }

static int compare_long(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : (x > y);
}

int baseline_run(const char *source, size_t length, long iterations, int metered) {
    if (iterations < 1) return 2;
    long *ns = malloc(sizeof(long) * (size_t)iterations);
    if (!ns) return 2;
    struct timespec t0, a, b;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < iterations; i++) {
        clock_gettime(CLOCK_MONOTONIC, &a);
        lua_State *L = luaL_newstate();
        luaL_openlibs(L);
        if (metered) lua_sethook(L, bench_hook, LUA_MASKCOUNT, 1000);
        if (luaL_loadbufferx(L, source, length, "=bench", "t") != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
            fprintf(stderr, "bench script failed: %s\n", lua_tostring(L, -1));
            lua_close(L);
            free(ns);
            return 1;
        }
        lua_close(L);
        clock_gettime(CLOCK_MONOTONIC, &b);
        ns[i] = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
    }
    double total = (double)(b.tv_sec - t0.tv_sec) + (double)(b.tv_nsec - t0.tv_nsec) / 1e9;
    qsort(ns, (size_t)iterations, sizeof(long), compare_long);
    printf("{\"iterations\":%ld,\"total_s\":%.6f,\"per_s\":%.1f,\"p50_us\":%.2f,\"p99_us\":%.2f}\n", iterations, total,
           (double)iterations / total, ns[iterations / 2] / 1000.0, ns[(long)(iterations * 0.99)] / 1000.0);
    free(ns);
    return 0;
}
