/* Every golden vector decodes (whole, byte by byte, in 7-byte pieces) to the envelope and body the JSON
 * describes, re-encodes to the same bytes, and every invalid one is refused with its kind and status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "folio.h"

typedef struct {
    int flags, length, compressed, payload_len, canonical, has_status, status_code, cancel;
    unsigned long long id;
    unsigned timeout_ms;
    char method[128], body_type[96];
    uint8_t *body;
    size_t body_len;
} expected_frame;

static const ProtobufCMessageDescriptor *const descriptors[] = {
    &folio__v1__health_request__descriptor, &folio__v1__health_response__descriptor,
    &folio__v1__get_article_request__descriptor, &folio__v1__article__descriptor, &folio__v1__page__descriptor,
    &folio__v1__search_request__descriptor, &folio__v1__search_response__descriptor, &folio__v1__search_hit__descriptor,
    &folio__v1__ingest_request__descriptor, &folio__v1__ingest_response__descriptor,
    &folio__v1__delete_page_response__descriptor, &folio__v1__convert_request__descriptor,
    &folio__v1__convert_response__descriptor, &folio__v1__get_page_request__descriptor,
    &folio__v1__server_info_response__descriptor, &folio__v1__list_articles_response__descriptor,
};

static const ProtobufCMessageDescriptor *descriptor_named(const char *name) {
    for (size_t i = 0; i < sizeof descriptors / sizeof *descriptors; i++)
        if (strcmp(descriptors[i]->name, name) == 0) return descriptors[i];
    return NULL;
}

static uint8_t *read_file(const char *dir, const char *name, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.bin", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    *len = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

static uint8_t *unhex(const char *hex, size_t *len) {
    *len = strcmp(hex, "-") == 0 ? 0 : strlen(hex) / 2;
    uint8_t *out = malloc(*len ? *len : 1);
    for (size_t i = 0; i < *len; i++) sscanf(hex + 2 * i, "%2hhx", &out[i]);
    return out;
}

/* Feeds `data` in pieces of `chunk` bytes; collects frames until the end or an error. */
static int read_frames(const uint8_t *data, size_t len, size_t chunk, folio_frame **frames, int max, int *n,
                       folio_reader *r) {
    *n = 0;
    for (size_t off = 0; off < len; off += chunk) {
        size_t piece = len - off < chunk ? len - off : chunk;
        if (folio_reader_feed(r, data + off, piece) != FOLIO_OK) return r->err;
        for (;;) {
            folio_frame *f;
            if (folio_reader_get_frame(r, &f) != FOLIO_OK) return r->err;
            if (f == NULL) break;
            if (*n < max) frames[(*n)++] = f;
            else folio_frame_free(f);
        }
    }
    return folio_reader_finish(r);
}

static void check_envelope(const char *name, const char *direction, const folio_frame *f, const expected_frame *e) {
    const ProtobufCMessageDescriptor *type = strcmp(direction, "request") == 0 ? &folio__v1__request__descriptor
                                                                                : &folio__v1__response__descriptor;
    ProtobufCMessage *env = protobuf_c_message_unpack(type, NULL, f->len, f->payload);
    CHECK(env != NULL, "%s: envelope does not unpack", name);
    if (env == NULL) return;
    /* protobuf-c serializes in field order, as every Folio encoder must: repacking gives the same bytes. */
    size_t n = protobuf_c_message_get_packed_size(env);
    uint8_t *again = malloc(n ? n : 1);
    protobuf_c_message_pack(env, again);
    CHECK(n == f->len && memcmp(again, f->payload, n) == 0, "%s: repacked envelope differs", name);
    free(again);

    ProtobufCBinaryData body;
    if (type == &folio__v1__request__descriptor) {
        Folio__V1__Request *req = (Folio__V1__Request *)env;
        CHECK(req->id == e->id && req->cancel == e->cancel && req->timeout_ms == e->timeout_ms, "%s: request fields", name);
        CHECK(strcmp(req->method, strcmp(e->method, "-") ? e->method : "") == 0, "%s: method %s", name, req->method);
        body = req->body;
    } else {
        Folio__V1__Response *res = (Folio__V1__Response *)env;
        CHECK(res->id == e->id, "%s: id %llu", name, (unsigned long long)res->id);
        CHECK((res->status != NULL) == e->has_status, "%s: status presence", name);
        if (res->status) CHECK((int)res->status->code == e->status_code, "%s: status code %d", name, res->status->code);
        body = res->body;
    }
    CHECK(body.len == e->body_len && (body.len == 0 || memcmp(body.data, e->body, body.len) == 0), "%s: body bytes", name);
    if (strcmp(e->body_type, "-") != 0) {
        const ProtobufCMessageDescriptor *bt = descriptor_named(e->body_type);
        CHECK(bt != NULL, "%s: no descriptor for %s", name, e->body_type);
        ProtobufCMessage *msg = bt ? protobuf_c_message_unpack(bt, NULL, body.len, body.data) : NULL;
        CHECK(msg != NULL, "%s: body is not a %s", name, e->body_type);
        if (msg) {
            size_t m = protobuf_c_message_get_packed_size(msg);
            uint8_t *repacked = malloc(m ? m : 1);
            protobuf_c_message_pack(msg, repacked);
            CHECK(m == body.len && memcmp(repacked, body.data, m) == 0, "%s: repacked body differs", name);
            free(repacked);
            protobuf_c_message_free_unpacked(msg, NULL);
        }
    }
    protobuf_c_message_free_unpacked(env, NULL);
}

static void check_encoding(const char *name, const uint8_t *wire, const folio_frame *f, const expected_frame *e) {
    uint8_t *out = NULL;
    size_t out_len = 0;
    if (e->canonical || !e->compressed) {
        int rc = folio_frame_encode(f->payload, f->len, e->canonical ? 1 : 0, 0, &out, &out_len);
        CHECK(rc == FOLIO_OK, "%s: encode failed", name);
    } else { /* a deliberately compressed small payload: same zlib level 1 bytes */
        uLongf bound = compressBound(f->len);
        out = malloc(5 + bound);
        compress2(out + 5, &bound, f->payload, f->len, 1);
        out[0] = 1, out[1] = bound >> 24, out[2] = bound >> 16, out[3] = bound >> 8, out[4] = bound;
        out_len = 5 + bound;
    }
    CHECK(out_len == (size_t)(5 + e->length) && memcmp(out, wire, out_len) == 0, "%s: encoded bytes differ", name);
    folio_buffer_free(out);
}

static void test_valid(const char *dir, const char *name, const char *direction, expected_frame *exp, int count) {
    size_t len;
    uint8_t *data = read_file(dir, name, &len);
    CHECK(data != NULL, "%s.bin missing", name);
    if (data == NULL) return;
    static const size_t chunks[] = {1u << 30, 1, 7};
    for (size_t k = 0; k < 3; k++) {
        folio_frame *frames[8];
        int n;
        folio_reader *r = folio_reader_create(0, 0);
        int rc = read_frames(data, len, chunks[k], frames, 8, &n, r);
        CHECK(rc == FOLIO_OK && n == count, "%s (chunk %zu): rc %d, %d frames: %s", name, chunks[k], rc, n, r->errstr);
        size_t offset = 0;
        for (int i = 0; i < n && i < count; i++) {
            CHECK(frames[i]->flags == exp[i].flags && (int)frames[i]->len == exp[i].payload_len, "%s: frame %d header", name, i);
            if (k == 0) {
                check_envelope(name, direction, frames[i], &exp[i]);
                check_encoding(name, data + offset, frames[i], &exp[i]);
            }
            offset += 5 + (size_t)exp[i].length;
            folio_frame_free(frames[i]);
        }
        folio_reader_free(r);
    }
    free(data);
}

static void test_invalid(const char *dir, const char *name, const char *direction, const char *kind, const char *status) {
    size_t len;
    uint8_t *data = read_file(dir, name, &len);
    CHECK(data != NULL, "%s.bin missing", name);
    if (data == NULL) return;
    static const size_t chunks[] = {1u << 30, 1};
    for (size_t k = 0; k < 2; k++) {
        folio_frame *frames[4];
        int n, got_kind = FOLIO_FRAME_NONE, got_status = -1;
        folio_reader *r = folio_reader_create(0, 0);
        if (read_frames(data, len, chunks[k], frames, 4, &n, r) != FOLIO_OK) {
            got_kind = r->kind;
            got_status = r->status;
        }
        for (int i = 0; i < n; i++) { /* frames that decode must then fail as envelopes */
            const ProtobufCMessageDescriptor *type = strcmp(direction, "request") == 0
                ? &folio__v1__request__descriptor : &folio__v1__response__descriptor;
            ProtobufCMessage *env = protobuf_c_message_unpack(type, NULL, frames[i]->len, frames[i]->payload);
            if (env == NULL && got_kind == FOLIO_FRAME_NONE) {
                got_kind = FOLIO_FRAME_BAD_ENVELOPE;
                got_status = FOLIO_STATUS_INVALID_ARGUMENT;
            }
            folio_message_free(env);
            folio_frame_free(frames[i]);
        }
        CHECK(strcmp(folio_frame_kind_name(got_kind), kind) == 0, "%s (chunk %zu): kind %s, want %s", name, chunks[k],
              folio_frame_kind_name(got_kind), kind);
        if (strcmp(status, "-") != 0)
            CHECK(strcmp(folio_status_name(got_status), status) == 0, "%s: status %s, want %s", name,
                  folio_status_name(got_status), status);
        folio_reader_free(r);
    }
    free(data);
}

void run_vector_tests(const char *manifest, const char *frames_dir) {
    FILE *f = fopen(manifest, "r");
    CHECK(f != NULL, "cannot open %s", manifest);
    if (f == NULL) return;
    char *line = NULL;
    size_t cap = 0;
    int valid = 0, invalid = 0, before = check_failed;
    while (getline(&line, &cap, f) > 0) {
        char name[128], direction[16], kind[32], status[32];
        int count;
        if (sscanf(line, "I %127s %15s %31s %31s", name, direction, kind, status) == 4) {
            test_invalid(frames_dir, name, direction, kind, status);
            invalid++;
        } else if (sscanf(line, "V %127s %15s %d", name, direction, &count) == 3 && count > 0 && count <= 8) {
            expected_frame exp[8];
            memset(exp, 0, sizeof exp);
            for (int i = 0; i < count && getline(&line, &cap, f) > 0; i++) {
                char *hex = malloc(strlen(line) + 1);
                expected_frame *e = &exp[i];
                sscanf(line, "F %d %d %d %d %d %llu %127s %d %d %d %u %95s %s", &e->flags, &e->length, &e->compressed,
                       &e->payload_len, &e->canonical, &e->id, e->method, &e->has_status, &e->status_code, &e->cancel,
                       &e->timeout_ms, e->body_type, hex);
                e->body = unhex(hex, &e->body_len);
                free(hex);
            }
            test_valid(frames_dir, name, direction, exp, count);
            for (int i = 0; i < count; i++) free(exp[i].body);
            valid++;
        }
    }
    free(line);
    fclose(f);
    CHECK(valid >= 10 && invalid >= 6, "only %d valid and %d invalid vectors read", valid, invalid);
    printf("%s golden frame vectors: %d valid, %d invalid\n", check_failed == before ? "ok  " : "FAIL", valid, invalid);
}
