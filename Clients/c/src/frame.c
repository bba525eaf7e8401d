/* Frames without sockets: the incremental reader, the encoder, bounded inflate. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "folio.h"

#define HEADER_LEN 5
#define RESERVED_FLAGS 0xFE

static const char *const kind_names[] = {"none", "truncated", "frame_too_large", "inflated_too_large",
                                         "reserved_flags", "bad_zlib", "bad_envelope"};

const char *folio_frame_kind_name(int kind) {
    return kind >= 0 && kind <= FOLIO_FRAME_BAD_ENVELOPE ? kind_names[kind] : "unknown";
}

static int status_of_kind(int kind) {
    switch (kind) {
    case FOLIO_FRAME_TOO_LARGE:
    case FOLIO_FRAME_INFLATED_TOO_LARGE: return FOLIO_STATUS_RESOURCE_EXHAUSTED;
    case FOLIO_FRAME_TRUNCATED: return FOLIO_STATUS_UNAVAILABLE;
    default: return FOLIO_STATUS_INVALID_ARGUMENT;
    }
}

void folio_buffer_free(void *buf) { free(buf); }

void folio_frame_free(folio_frame *f) {
    if (f == NULL) return;
    free(f->payload);
    free(f);
}

folio_reader *folio_reader_create(size_t max_frame, size_t max_inflated) {
    folio_reader *r = calloc(1, sizeof *r);
    if (r == NULL) return NULL;
    r->max_frame = max_frame ? max_frame : FOLIO_DEFAULT_MAX_FRAME;
    r->max_inflated = max_inflated ? max_inflated : FOLIO_DEFAULT_MAX_INFLATED;
    return r;
}

void folio_reader_free(folio_reader *r) {
    if (r == NULL) return;
    free(r->buf);
    free(r);
}

size_t folio_reader_pending(const folio_reader *r) { return r ? r->len : 0; }

/* Records a sticky error and drops the buffer: after a framing error the stream has no sync. */
static int reader_fail(folio_reader *r, int err, int kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->errstr, sizeof r->errstr, fmt, ap);
    va_end(ap);
    r->err = err;
    r->kind = kind;
    r->status = err == FOLIO_ERR_OOM ? FOLIO_STATUS_RESOURCE_EXHAUSTED : status_of_kind(kind);
    free(r->buf);
    r->buf = NULL;
    r->len = r->cap = 0;
    return err;
}

int folio_reader_feed(folio_reader *r, const void *data, size_t len) {
    if (r == NULL || (data == NULL && len > 0)) return FOLIO_ERR_ARG;
    if (r->err) return r->err;
    if (len == 0) return FOLIO_OK;
    if (r->len + len > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + len) cap *= 2;
        uint8_t *grown = realloc(r->buf, cap);
        if (grown == NULL) return reader_fail(r, FOLIO_ERR_OOM, FOLIO_FRAME_NONE, "out of memory");
        r->buf = grown;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, data, len);
    r->len += len;
    return FOLIO_OK;
}

int folio_inflate(const uint8_t *in, size_t len, size_t limit, uint8_t **out, size_t *out_len, int *kind) {
    if ((in == NULL && len > 0) || out == NULL || out_len == NULL || kind == NULL) return FOLIO_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    *kind = FOLIO_FRAME_NONE;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK) return FOLIO_ERR_OOM;
    /* Grow the output as it comes, never past limit + 1 (one byte over proves the bomb). */
    size_t cap = len * 4 < 4096 ? 4096 : len * 4, n = 0;
    if (cap > limit + 1) cap = limit + 1;
    uint8_t *buf = malloc(cap);
    if (buf == NULL) { inflateEnd(&zs); return FOLIO_ERR_OOM; }
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)len;
    int rc = Z_OK;
    for (;;) {
        if (n == cap) {
            if (cap == limit + 1) { *kind = FOLIO_FRAME_INFLATED_TOO_LARGE; break; }
            size_t ncap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
            uint8_t *grown = realloc(buf, ncap);
            if (grown == NULL) { free(buf); inflateEnd(&zs); return FOLIO_ERR_OOM; }
            buf = grown;
            cap = ncap;
        }
        zs.next_out = buf + n;
        zs.avail_out = (uInt)(cap - n);
        rc = inflate(&zs, Z_NO_FLUSH);
        n = cap - zs.avail_out;
        if (rc == Z_STREAM_END) break;
        if (rc != Z_OK && rc != Z_BUF_ERROR) { *kind = FOLIO_FRAME_BAD_ZLIB; break; }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) { *kind = FOLIO_FRAME_BAD_ZLIB; break; } /* stream cut short */
    }
    if (*kind == FOLIO_FRAME_NONE && n > limit) *kind = FOLIO_FRAME_INFLATED_TOO_LARGE;
    if (*kind == FOLIO_FRAME_NONE && zs.avail_in != 0) *kind = FOLIO_FRAME_BAD_ZLIB; /* trailing garbage */
    inflateEnd(&zs);
    if (*kind != FOLIO_FRAME_NONE) { free(buf); return FOLIO_ERR_PROTOCOL; }
    *out = buf;
    *out_len = n;
    return FOLIO_OK;
}

int folio_reader_get_frame(folio_reader *r, folio_frame **out) {
    if (r == NULL || out == NULL) return FOLIO_ERR_ARG;
    *out = NULL;
    if (r->err) return r->err;
    if (r->len < HEADER_LEN) return FOLIO_OK;
    uint8_t flags = r->buf[0];
    size_t length = ((size_t)r->buf[1] << 24) | ((size_t)r->buf[2] << 16) | ((size_t)r->buf[3] << 8) | r->buf[4];
    if (flags & RESERVED_FLAGS)
        return reader_fail(r, FOLIO_ERR_PROTOCOL, FOLIO_FRAME_RESERVED_FLAGS, "reserved frame flag bits set (0x%02x)", flags);
    if (length > r->max_frame)
        return reader_fail(r, FOLIO_ERR_PROTOCOL, FOLIO_FRAME_TOO_LARGE, "frame of %zu bytes exceeds the %zu-byte limit",
                           length, r->max_frame);
    if (r->len < HEADER_LEN + length) return FOLIO_OK;

    folio_frame *f = calloc(1, sizeof *f);
    if (f == NULL) return reader_fail(r, FOLIO_ERR_OOM, FOLIO_FRAME_NONE, "out of memory");
    f->flags = flags;
    const uint8_t *payload = r->buf + HEADER_LEN;
    if (flags & FOLIO_FLAG_ZLIB) {
        int kind, rc = folio_inflate(payload, length, r->max_inflated, &f->payload, &f->len, &kind);
        if (rc != FOLIO_OK) {
            free(f);
            if (rc == FOLIO_ERR_OOM) return reader_fail(r, rc, FOLIO_FRAME_NONE, "out of memory");
            return reader_fail(r, rc, kind, kind == FOLIO_FRAME_BAD_ZLIB ? "payload is not a valid zlib stream"
                               : "compressed payload inflates beyond the %zu-byte limit", r->max_inflated);
        }
    } else {
        if (length > r->max_inflated) {
            free(f);
            return reader_fail(r, FOLIO_ERR_PROTOCOL, FOLIO_FRAME_INFLATED_TOO_LARGE,
                               "payload exceeds the %zu-byte limit", r->max_inflated);
        }
        f->payload = malloc(length ? length : 1);
        if (f->payload == NULL) { free(f); return reader_fail(r, FOLIO_ERR_OOM, FOLIO_FRAME_NONE, "out of memory"); }
        memcpy(f->payload, payload, length);
        f->len = length;
    }
    memmove(r->buf, r->buf + HEADER_LEN + length, r->len - HEADER_LEN - length);
    r->len -= HEADER_LEN + length;
    *out = f;
    return FOLIO_OK;
}

int folio_reader_finish(folio_reader *r) {
    if (r == NULL) return FOLIO_ERR_ARG;
    if (r->err) return r->err;
    if (r->len > 0)
        return reader_fail(r, FOLIO_ERR_PROTOCOL, FOLIO_FRAME_TRUNCATED, "stream ended inside a frame (%zu bytes left)", r->len);
    return FOLIO_OK;
}

int folio_frame_encode(const void *payload, size_t len, int compress, size_t max_frame, uint8_t **out, size_t *out_len) {
    if ((payload == NULL && len > 0) || out == NULL || out_len == NULL) return FOLIO_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    if (max_frame == 0) max_frame = FOLIO_DEFAULT_MAX_FRAME;
    uint8_t flags = 0;
    uint8_t *buf;
    size_t n;
    if (compress && len >= FOLIO_COMPRESS_THRESHOLD) {
        uLongf bound = compressBound((uLong)len);
        buf = malloc(HEADER_LEN + bound);
        if (buf == NULL) return FOLIO_ERR_OOM;
        if (compress2(buf + HEADER_LEN, &bound, payload, (uLong)len, 1) != Z_OK) { free(buf); return FOLIO_ERR_OOM; }
        n = bound;
        flags = FOLIO_FLAG_ZLIB;
    } else {
        buf = malloc(HEADER_LEN + len);
        if (buf == NULL) return FOLIO_ERR_OOM;
        if (len) memcpy(buf + HEADER_LEN, payload, len);
        n = len;
    }
    if (n > max_frame || n > 0xFFFFFFFFu) { free(buf); return FOLIO_ERR_ARG; }
    buf[0] = flags;
    buf[1] = (uint8_t)(n >> 24);
    buf[2] = (uint8_t)(n >> 16);
    buf[3] = (uint8_t)(n >> 8);
    buf[4] = (uint8_t)n;
    *out = buf;
    *out_len = HEADER_LEN + n;
    return FOLIO_OK;
}
