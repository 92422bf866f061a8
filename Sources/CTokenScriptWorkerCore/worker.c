// One execution = one fresh lua_State, a capped allocator, an instruction budget, an output budget.
// Budget exhaustion is process-fatal: the hook replies and calls _exit, so no xpcall handler,
// __close handler or finalizer runs after the budget trips (sandbox.md §0.3, §4.5).
#define _GNU_SOURCE
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "execution.h"
#include "meter.h"
#include "tsw_core.h"

tsw_execution tsw_x;

/// lua_Alloc with a byte budget (lua_sandbox memory_manager). For ptr == NULL Lua 5.4 passes the
/// object type in osize, so it counts as 0. Returning NULL makes Lua raise "not enough memory"
/// after an emergency collection; that error stays catchable (it is not a budget trip).
///
/// The allocator also charges the instruction budget for C work that no hook sees: a new string of
/// TSW_CHARGED_STRING_BYTES or more (Lua passes the object type, LUA_TSTRING, as osize) costs its
/// size in bytes / TSW_BYTES_PER_UNIT, which covers the copying behind `..`, string.rep,
/// table.concat, gsub and the like; and a refused allocation, after which Lua runs an emergency full
/// collection, costs the live heap in bytes / TSW_GC_BYTES_PER_UNIT.
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    (void)ud;
    int new_string = ptr == NULL && osize == LUA_TSTRING;
    if (ptr == NULL) osize = 0;
    if (nsize == 0) {
        free(ptr);
        tsw_x.memory_used -= osize;
        return NULL;
    }
    if (nsize > osize && tsw_x.memory_used + (nsize - osize) > tsw_x.memory_limit) {
        tsw_x.memory_hit = 1;
        if (tsw_x.metering) tsw_charge(tsw_x.memory_used / TSW_GC_BYTES_PER_UNIT + 1);
        return NULL;
    }
    if (new_string && nsize >= TSW_CHARGED_STRING_BYTES && tsw_x.metering) tsw_charge(tsw_byte_units(nsize));
    void *p = realloc(ptr, nsize);
    if (p == NULL) {
        tsw_x.memory_hit = 1;
        return NULL;
    }
    tsw_x.memory_used = tsw_x.memory_used - osize + nsize;
    if (tsw_x.memory_used > tsw_x.memory_peak) tsw_x.memory_peak = tsw_x.memory_used;
    return p;
}

static void done_begin(uint8_t status, uint8_t limit, uint8_t flags, const char *message, size_t length) {
    tsw_buf *b = &tsw_x.out;
    tsw_frame_begin(b, 'D');
    tsw_buf_u8(b, status);
    tsw_buf_u8(b, limit);
    tsw_buf_u8(b, flags);
    tsw_buf_u32(b, (uint32_t)length);
    tsw_buf_put(b, message, length);
}

static void done_end(void) {
    tsw_buf_u64(&tsw_x.out, tsw_x.instructions_used);
    tsw_buf_u64(&tsw_x.out, tsw_x.memory_peak);
}

_Noreturn void tsw_fatal_limit(int kind, const char *message) {
    done_begin(TSW_STATUS_LIMIT, (uint8_t)kind, TSW_DONE_EXITING, message, strlen(message));
    tsw_buf_u8(&tsw_x.out, TSW_NIL);
    done_end();
    tsw_frame_send(tsw_x.fd, &tsw_x.out);
    _exit(0);
}

/// A host function: the call travels to the parent as an 'H' frame and blocks for its 'h' reply.
/// host.input() is answered here when the run frame carried the input: the same value the parent would
/// send, decoded the same way, without a round trip per execution.
static int host_call(lua_State *L) {
    if (++tsw_x.host_calls > TSW_MAX_HOST_CALLS) return luaL_error(L, "too many host calls");
    size_t name_length;
    const char *name = lua_tolstring(L, lua_upvalueindex(1), &name_length);
    if (tsw_x.has_input && name_length == 5 && memcmp(name, "input", 5) == 0) {
        tsw_reader input = { tsw_x.input.data, tsw_x.input.data + tsw_x.input.length };
        tsw_decode_value(L, &input, 0);
        return 1;
    }
    int n = lua_gettop(L);
    tsw_buf *b = &tsw_x.out;
    tsw_frame_begin(b, 'H');
    tsw_buf_u32(b, (uint32_t)name_length);
    tsw_buf_put(b, name, name_length);
    tsw_buf_u8(b, TSW_ARRAY);
    tsw_buf_u32(b, (uint32_t)n);
    for (int i = 1; i <= n; i++) {
        const char *e = tsw_encode_value(L, i, b, 1, (size_t)tsw_x.result_limit);
        if (e) return luaL_error(L, "host.%s: %s", name, e);
    }
    if (tsw_frame_send(tsw_x.fd, b) != 0) _exit(3);
    if (tsw_frame_read(tsw_x.fd, &tsw_x.in) != 'h') _exit(3);
    tsw_reader r = { tsw_x.in.data, tsw_x.in.data + tsw_x.in.length };
    uint8_t ok;
    if (tsw_read_u8(&r, &ok) != 0) _exit(3);
    if (ok) {
        tsw_decode_value(L, &r, 0);
        return 1;
    }
    uint32_t len;
    const unsigned char *msg;
    if (tsw_read_u32(&r, &len) || tsw_read_bytes(&r, len, &msg)) _exit(3);
    lua_pushlstring(L, (const char *)msg, len);
    return lua_error(L);
}

typedef struct run_request {
    const unsigned char *source;
    size_t source_length;
    tsw_reader capabilities;
    uint32_t capability_count;
} run_request;

/// Runs under lua_pcall: libraries, the `host` table, then the script compiled in text mode.
static int prepare(lua_State *L) {
    run_request *req = lua_touserdata(L, 1);
    tsw_open_sandbox_libs(L);
    lua_createtable(L, 0, (int)req->capability_count);
    for (uint32_t i = 0; i < req->capability_count; i++) {
        uint32_t len;
        const unsigned char *name;
        if (tsw_read_u32(&req->capabilities, &len) || tsw_read_bytes(&req->capabilities, len, &name)) _exit(4);
        lua_pushlstring(L, (const char *)name, len);
        lua_pushvalue(L, -1);
        lua_pushcclosure(L, host_call, 1);
        lua_rawset(L, -3);
    }
    lua_setglobal(L, "host");
    if (luaL_loadbufferx(L, (const char *)req->source, req->source_length, "=script", "t") != LUA_OK) return lua_error(L);
    return 1;
}

static void run_execution(void) {
    tsw_reader r = { tsw_x.in.data, tsw_x.in.data + tsw_x.in.length };
    uint64_t memory, instructions, output, result, seed, logical;
    uint8_t flags;
    uint32_t caps, source_length;
    run_request req;
    if (tsw_read_u64(&r, &memory) || tsw_read_u64(&r, &instructions) || tsw_read_u64(&r, &output) ||
        tsw_read_u64(&r, &result) || tsw_read_u8(&r, &flags) || tsw_read_u64(&r, &seed) ||
        tsw_read_u64(&r, &logical) || tsw_read_u32(&r, &caps)) _exit(4);
    req.capabilities = r;
    req.capability_count = caps;
    for (uint32_t i = 0; i < caps; i++) {
        uint32_t len;
        const unsigned char *skip;
        if (tsw_read_u32(&r, &len) || tsw_read_bytes(&r, len, &skip)) _exit(4);
    }
    if (tsw_read_u32(&r, &source_length) || tsw_read_bytes(&r, source_length, &req.source)) _exit(4);
    req.source_length = source_length;
    // Optional: u8 1 and the input value, which is the rest of the frame (checked when decoded, as a reply is).
    uint8_t has_input = 0;
    if (r.at < r.end && tsw_read_u8(&r, &has_input)) _exit(4);
    if (has_input > 1 || (has_input && r.at >= r.end)) _exit(4);
    tsw_x.has_input = has_input;
    tsw_x.input.length = 0;
    if (has_input && tsw_buf_put(&tsw_x.input, r.at, (size_t)(r.end - r.at)) != 0) _exit(3);

    tsw_x.memory_used = tsw_x.memory_peak = 0;
    tsw_x.memory_hit = 0;
    tsw_x.memory_limit = (size_t)memory;
    tsw_x.instructions_used = 0;
    tsw_x.instruction_limit = instructions;
    tsw_x.output_used = 0;
    tsw_x.output_limit = output;
    tsw_x.result_limit = result;
    tsw_x.deterministic = (flags & TSW_RUN_DETERMINISTIC) != 0;
    tsw_x.seed = seed;
    tsw_x.logical_time = (int64_t)logical;
    tsw_x.host_calls = 0;
    tsw_x.metering = 0;

    lua_State *L = lua_newstate(limited_alloc, NULL);
    if (L == NULL) {
        done_begin(TSW_STATUS_LIMIT, TSW_LIMIT_MEMORY, TSW_DONE_RECYCLE, "not enough memory", 17);
        tsw_buf_u8(&tsw_x.out, TSW_NIL);
        done_end();
        if (tsw_frame_send(tsw_x.fd, &tsw_x.out) != 0) _exit(3);
        return;
    }
    lua_pushcfunction(L, prepare);
    lua_pushlightuserdata(L, &req);
    int status = lua_pcall(L, 1, 1, 0);
    if (status == LUA_OK) {
        tsw_meter_start(L, instructions);
        tsw_x.metering = 1;
        status = lua_pcall(L, 0, 1, 0);
        tsw_meter_flush(L);
        tsw_x.metering = 0;
    }
    uint8_t done_flags = 0;
    if (status == LUA_OK) {
        // Encode behind a header placeholder, so an encoding failure can still become an error reply.
        done_begin(TSW_STATUS_OK, TSW_LIMIT_NONE, 0, "", 0);
        const char *e = tsw_encode_value(L, -1, &tsw_x.out, 0, (size_t)tsw_x.result_limit);
        if (e) {
            char msg[160];
            int n = snprintf(msg, sizeof msg, "result: %s", e);
            done_begin(TSW_STATUS_ERROR, TSW_LIMIT_NONE, 0, msg, (size_t)n);
            tsw_buf_u8(&tsw_x.out, TSW_NIL);
        }
    } else {
        size_t len = 0;
        const char *msg;
        char tmp[80];
        int t = lua_type(L, -1);
        if (t == LUA_TSTRING || t == LUA_TNUMBER) {
            msg = lua_tolstring(L, -1, &len);  // numbers convert in place: no metamethod runs
        } else {
            len = (size_t)snprintf(tmp, sizeof tmp, "(error object is a %s value)", lua_typename(L, t));
            msg = tmp;
        }
        if (len > 4096) len = 4096;
        int memory_error = status == LUA_ERRMEM || (tsw_x.memory_hit && len >= 17 && strstr(msg, "not enough memory") != NULL);
        if (memory_error) done_begin(TSW_STATUS_LIMIT, TSW_LIMIT_MEMORY, 0, "not enough memory", 17);
        else done_begin(TSW_STATUS_ERROR, TSW_LIMIT_NONE, 0, msg, len);
        tsw_buf_u8(&tsw_x.out, TSW_NIL);
    }
    // A memory-limit hit makes emergency GCs attacker-timed (upstream 983bc433): never reuse the worker.
    if (tsw_x.memory_hit) done_flags |= TSW_DONE_RECYCLE;
    tsw_x.out.data[7] |= done_flags;  // byte 7 = flags (4 length + 1 type + status + limit)
    // Close while the hook is still armed: any __close handler run here stays metered.
    lua_close(L);
    done_end();
    if (tsw_frame_send(tsw_x.fd, &tsw_x.out) != 0) _exit(3);
}

const char *tsw_worker_check_library(void) { return tsw_meter_verify_layout(); }

int tsw_worker_serve(int fd) {
    tsw_x.fd = fd;
    for (;;) {
        int type = tsw_frame_read(fd, &tsw_x.in);
        if (type == 0) return 0;
        if (type != 'R') return 4;
        run_execution();
        if (tsw_x.in.capacity > (1u << 20)) { free(tsw_x.in.data); tsw_x.in = (tsw_buf){ 0 }; }
        if (tsw_x.out.capacity > (1u << 20)) { free(tsw_x.out.data); tsw_x.out = (tsw_buf){ 0 }; }
        if (tsw_x.input.capacity > (1u << 20)) { free(tsw_x.input.data); tsw_x.input = (tsw_buf){ 0 }; }
    }
}
