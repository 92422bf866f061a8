// Wire protocol between the Swift parent and the worker (mirrored in TokenScriptSandbox/WireProtocol.swift).
//
// Frame:   u32 little-endian length N (type + payload, N <= TSW_MAX_FRAME), u8 type, payload[N-1]
// Parent -> worker:  'R' run,  'h' host-call reply
//   'R' = u64 memory, u64 instructions, u64 output, u64 result, u8 flags, u64 seed, i64 logical time,
//         u32 count + (u32 len + name)* capabilities, u32 len + source, then optionally u8 1 + the input value
//         (the rest of the frame), which host.input() then returns without a host call
// Worker -> parent:  'L' log line (one-way),  'H' host call,  'D' done (always last for an execution)
// Values (results, input, host arguments): tag u8, then
//   0 nil | 1 false | 2 true | 3 int i64 | 4 float f64 | 5 string u32 len + bytes
//   6 array u32 count + values | 7 map u32 count + (key value)*   (all little-endian)
#ifndef TSW_PROTOCOL_H
#define TSW_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define TSW_MAX_FRAME (16u * 1024u * 1024u)

enum { TSW_NIL = 0, TSW_FALSE, TSW_TRUE, TSW_INT, TSW_FLOAT, TSW_STRING, TSW_ARRAY, TSW_MAP };
enum { TSW_STATUS_OK = 0, TSW_STATUS_ERROR = 1, TSW_STATUS_LIMIT = 2 };
enum { TSW_LIMIT_NONE = 0, TSW_LIMIT_MEMORY = 1, TSW_LIMIT_INSTRUCTIONS = 2, TSW_LIMIT_OUTPUT = 3 };
enum { TSW_DONE_EXITING = 1, TSW_DONE_RECYCLE = 2 };
enum { TSW_RUN_DETERMINISTIC = 1 };

/// A growable byte buffer allocated with malloc (outside the Lua allocator's budget).
typedef struct tsw_buf {
    unsigned char *data;
    size_t length, capacity;
} tsw_buf;

int tsw_buf_reserve(tsw_buf *b, size_t extra);
int tsw_buf_put(tsw_buf *b, const void *bytes, size_t n);
int tsw_buf_u8(tsw_buf *b, uint8_t v);
int tsw_buf_u32(tsw_buf *b, uint32_t v);
int tsw_buf_u64(tsw_buf *b, uint64_t v);

/// Starts a frame in `b` (reserves the header); finish with tsw_frame_send.
void tsw_frame_begin(tsw_buf *b, uint8_t type);
/// Fills in the header and writes the whole frame. Returns 0, or -1 if the channel failed.
int tsw_frame_send(int fd, tsw_buf *b);
/// Reads one frame into `b` (payload only). Returns the type, 0 on clean EOF, -1 on error.
int tsw_frame_read(int fd, tsw_buf *b);

/// A cursor over received bytes.
typedef struct tsw_reader {
    const unsigned char *at, *end;
} tsw_reader;

int tsw_read_u8(tsw_reader *r, uint8_t *v);
int tsw_read_u32(tsw_reader *r, uint32_t *v);
int tsw_read_u64(tsw_reader *r, uint64_t *v);
int tsw_read_bytes(tsw_reader *r, size_t n, const unsigned char **bytes);

#endif
