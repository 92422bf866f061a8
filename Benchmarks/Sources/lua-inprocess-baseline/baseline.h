#ifndef LUA_INPROCESS_BASELINE_H
#define LUA_INPROCESS_BASELINE_H
#include <stddef.h>

/// Runs `source` `iterations` times in fresh, unsandboxed states (luaL_newstate + luaL_openlibs), with an
/// empty count hook when `metered`, printing one JSON line with timings to stdout.
int baseline_run(const char *source, size_t length, long iterations, int metered);

#endif
