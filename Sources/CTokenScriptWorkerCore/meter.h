// The execution's one budget, in units of one Lua VM instruction. The count hook charges VM
// instructions (in every thread: each coroutine's countdown is flushed into the budget whenever it
// stops running), and C library work of non-constant cost is charged in the same units at the
// rates below, so whether a script completes or stops is a function of script, input and limits.
#ifndef TSW_METER_H
#define TSW_METER_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

#include "execution.h"

/// Bytes of C work (copied, scanned, compared, parsed) charged as one instruction.
#define TSW_BYTES_PER_UNIT 8
/// Live heap bytes per unit charged when an allocation is refused (Lua then runs an emergency full
/// collection, whose marking and sweeping cost grows with the heap; big strings are not scanned).
#define TSW_GC_BYTES_PER_UNIT 32
/// New strings of at least this many bytes (object size) are charged by size when created; smaller
/// ones cost a constant, already paid by the instruction that made them.
#define TSW_CHARGED_STRING_BYTES 256
/// One table element read or written by a C loop (lua_geti/lua_seti and friends): scattered table
/// memory costs cache misses that a VM instruction's table access also pays.
#define TSW_KEY_UNITS 4
/// One key visited by a lua_next walk of a whole table (deterministic next/pairs): each step
/// re-finds the previous key's slot, and the key is described and compared.
#define TSW_HASH_KEY_UNITS 16
/// One step of a deterministic traversal (cursor check, key and value lookups).
#define TSW_STEP_UNITS 8
/// Creating a coroutine (a new thread: about 1 KiB of state and stack, at 1 unit per 8 bytes, later
/// collected) and resuming one.
#define TSW_THREAD_UNITS 128
#define TSW_RESUME_UNITS 16
/// One comparison in a C sort (plus the bytes of strings compared).
#define TSW_COMPARE_UNITS 2
/// One call from C into a Lua function (sort comparators, gsub replacement functions).
#define TSW_CALL_UNITS 24
/// One format specification of string.format or os.date (snprintf, strftime), and one digit printed
/// by a floating-point conversion of string.format (glibc prints big numbers digit by digit).
#define TSW_FORMAT_SPEC_UNITS 64
#define TSW_DIGIT_UNITS 8
/// One byte of source compiled by load.
#define TSW_SOURCE_BYTE_UNITS 2

/// Adds `units` to the budget; past the limit the execution ends (process-fatal, never returns).
static inline void tsw_charge(uint64_t units) {
    if (units > tsw_x.instruction_limit - tsw_x.instructions_used) {
        tsw_x.instructions_used = units > UINT64_MAX - tsw_x.instructions_used ? UINT64_MAX : tsw_x.instructions_used + units;
        tsw_fatal_limit(TSW_LIMIT_INSTRUCTIONS, "instruction limit exceeded");
    }
    tsw_x.instructions_used += units;
}

/// Units for work over `n` bytes (at least one).
static inline uint64_t tsw_byte_units(size_t n) { return (uint64_t)(n / TSW_BYTES_PER_UNIT) + 1; }

/// Checks at start-up that this liblua's thread layout is the one the meter reads (Lua 5.4.4).
/// Returns NULL, or a message saying what did not match.
const char *tsw_meter_verify_layout(void);
/// Arms the count hook on the main thread; threads created later inherit it.
void tsw_meter_start(lua_State *L, uint64_t limit);
/// Charges the instructions `thread` ran since its countdown was last reset, and resets it.
void tsw_meter_flush(lua_State *thread);

/* metered_coroutines.c: coroutine.create, resume and wrap (flushing the resumed thread) */
int tsw_coroutine_create(lua_State *L);
int tsw_coroutine_resume(lua_State *L);
int tsw_coroutine_wrap(lua_State *L);

/* patterns.c: metered string.find, match, gmatch, gsub */
int tsw_string_find(lua_State *L);
int tsw_string_match(lua_State *L);
int tsw_string_gmatch(lua_State *L);
int tsw_string_gsub(lua_State *L);
/* metered_library.c: replaces the string, utf8 and table functions of non-constant cost */
void tsw_open_metered_library(lua_State *L);

#endif
