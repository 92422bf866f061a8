// The control block of the one execution a worker runs at a time (the worker is single-threaded).
#ifndef TSW_EXECUTION_H
#define TSW_EXECUTION_H

#include <lua.h>
#include <stdint.h>

#include "protocol.h"

typedef struct tsw_execution {
    int fd;
    int deterministic;
    size_t memory_used, memory_limit, memory_peak;
    int memory_hit;
    uint64_t instructions_used, instruction_limit;
    int metering;   ///< set once the script runs: library set-up and compiling the script are not charged
    uint64_t output_used, output_limit;
    uint64_t result_limit;
    uint64_t seed;
    int64_t logical_time;
    uint32_t host_calls;
    int has_input;  ///< the run frame carried the execution's input: host.input() answers from `input`
    tsw_buf input;  ///< that input's encoded value, kept apart from `in` (host replies overwrite `in`)
    tsw_buf in;     ///< last frame received
    tsw_buf out;    ///< frame being built
} tsw_execution;

extern tsw_execution tsw_x;

/// Maximum host calls per execution and nesting depth of values crossing the boundary.
#define TSW_MAX_HOST_CALLS 100000u
#define TSW_MAX_DEPTH 64

/// Replies with a 'D' limit frame and ends the process: no finalizer, handler or __close runs after
/// a budget trips (closes the count-hook bypasses of sandbox.md §0.3).
_Noreturn void tsw_fatal_limit(int kind, const char *message);

/// Encodes the value at `index` without metamethods. Returns NULL, or a static error message.
const char *tsw_encode_value(lua_State *L, int index, tsw_buf *b, int depth, size_t limit);
/// Decodes one value and pushes it. Raises a Lua error on malformed input.
void tsw_decode_value(lua_State *L, tsw_reader *r, int depth);

/// Opens the safe library set into a fresh state (run under lua_pcall).
int tsw_open_sandbox_libs(lua_State *L);
/// Converts any value to a string without exposing addresses; pushes the result.
const char *tsw_safe_tostring(lua_State *L, int index, size_t *length);

/* logical_clock.c: os functions (upvalue 1 of time and date: the stock function) */
int tsw_os_time(lua_State *L);
int tsw_os_date(lua_State *L);
int tsw_os_clock(lua_State *L);
/* deterministic.c: canonical next (upvalue 1: weak cache), pairs (upvalue 1: that next), stable sort */
int tsw_det_next(lua_State *L);
int tsw_det_pairs(lua_State *L);
int tsw_det_sort(lua_State *L);

#endif
