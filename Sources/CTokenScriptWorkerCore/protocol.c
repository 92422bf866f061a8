// Framing over the channel. Only read(2) and write(2) on the channel fd: the filter allows nothing else.
#include "protocol.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int tsw_buf_reserve(tsw_buf *b, size_t extra) {
    if (b->length + extra <= b->capacity) return 0;
    if (b->length + extra > TSW_MAX_FRAME + 64) return -1;
    size_t cap = b->capacity ? b->capacity : 4096;
    while (cap < b->length + extra) cap *= 2;
    unsigned char *p = realloc(b->data, cap);
    if (p == NULL) return -1;
    b->data = p;
    b->capacity = cap;
    return 0;
}

int tsw_buf_put(tsw_buf *b, const void *bytes, size_t n) {
    if (tsw_buf_reserve(b, n) != 0) return -1;
    if (n) memcpy(b->data + b->length, bytes, n);
    b->length += n;
    return 0;
}

int tsw_buf_u8(tsw_buf *b, uint8_t v) { return tsw_buf_put(b, &v, 1); }

int tsw_buf_u32(tsw_buf *b, uint32_t v) {
    unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
    return tsw_buf_put(b, x, 4);
}

int tsw_buf_u64(tsw_buf *b, uint64_t v) {
    unsigned char x[8];
    for (int i = 0; i < 8; i++) x[i] = (unsigned char)(v >> (8 * i));
    return tsw_buf_put(b, x, 8);
}

void tsw_frame_begin(tsw_buf *b, uint8_t type) {
    b->length = 0;
    unsigned char header[5] = { 0, 0, 0, 0, type };
    tsw_buf_put(b, header, 5);
}

static int write_all(int fd, const unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, unsigned char *p, size_t n, int *eof_at_start) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) {
            if (eof_at_start) *eof_at_start = (got == 0);
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}

int tsw_frame_send(int fd, tsw_buf *b) {
    if (b->length < 5) return -1;
    uint32_t n = (uint32_t)(b->length - 4);
    b->data[0] = (unsigned char)n;
    b->data[1] = (unsigned char)(n >> 8);
    b->data[2] = (unsigned char)(n >> 16);
    b->data[3] = (unsigned char)(n >> 24);
    return write_all(fd, b->data, b->length);
}

int tsw_frame_read(int fd, tsw_buf *b) {
    unsigned char header[5];
    int eof = 0;
    if (read_all(fd, header, 5, &eof) != 0) return eof ? 0 : -1;
    uint32_t n = (uint32_t)header[0] | ((uint32_t)header[1] << 8) | ((uint32_t)header[2] << 16) | ((uint32_t)header[3] << 24);
    if (n < 1 || n > TSW_MAX_FRAME) return -1;
    b->length = 0;
    if (tsw_buf_reserve(b, n - 1) != 0) return -1;
    if (read_all(fd, b->data, n - 1, NULL) != 0) return -1;
    b->length = n - 1;
    return header[4] == 0 ? -1 : header[4];
}

int tsw_read_u8(tsw_reader *r, uint8_t *v) {
    if (r->end - r->at < 1) return -1;
    *v = *r->at++;
    return 0;
}

int tsw_read_u32(tsw_reader *r, uint32_t *v) {
    if (r->end - r->at < 4) return -1;
    *v = (uint32_t)r->at[0] | ((uint32_t)r->at[1] << 8) | ((uint32_t)r->at[2] << 16) | ((uint32_t)r->at[3] << 24);
    r->at += 4;
    return 0;
}

int tsw_read_u64(tsw_reader *r, uint64_t *v) {
    if (r->end - r->at < 8) return -1;
    uint64_t x = 0;
    for (int i = 0; i < 8; i++) x |= (uint64_t)r->at[i] << (8 * i);
    *v = x;
    r->at += 8;
    return 0;
}

int tsw_read_bytes(tsw_reader *r, size_t n, const unsigned char **bytes) {
    if ((size_t)(r->end - r->at) < n) return -1;
    *bytes = r->at;
    r->at += n;
    return 0;
}
