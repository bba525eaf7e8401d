/* libFuzzer target: libfolio's receive path on arbitrary bytes from "foliod".
 * The first byte picks how the stream is cut into reads and which call ids are in flight; the rest
 * is what the peer sends. Part one feeds the frame reader directly (folio_reader_feed/get_frame/
 * finish); part two lets a connection read the same bytes through a socketpair (frames, inflate,
 * Response envelopes, replies routed to their calls or to the backlog, connection errors).
 * Build: make -C Clients/c fuzz (clang -fsanitize=fuzzer,address). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../src/folio_private.h"

#define MAX_FRAME 65536
#define MAX_INFLATED 262144

static void read_frames(const uint8_t *data, size_t size, size_t chunk) {
    folio_reader *r = folio_reader_create(MAX_FRAME, MAX_INFLATED);
    if (r == NULL) return;
    for (size_t at = 0; at < size && !r->err; at += chunk) {
        size_t n = size - at < chunk ? size - at : chunk;
        if (folio_reader_feed(r, data + at, n) != FOLIO_OK) break;
        for (;;) {
            folio_frame *f = NULL;
            if (folio_reader_get_frame(r, &f) != FOLIO_OK || f == NULL) break;
            if (f->len > MAX_INFLATED) abort();
            folio_frame_free(f);
        }
    }
    if (!r->err) folio_reader_finish(r);
    if (r->err && r->kind > FOLIO_FRAME_BAD_ENVELOPE) abort();
    folio_reader_free(r);
}

/* A context on one end of a socketpair, with calls 1..in_flight sent (as folio_call would leave it). */
static folio_ctx *fake_connection(int fd, unsigned in_flight) {
    folio_ctx *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    c->priv = calloc(1, sizeof *c->priv);
    if (c->priv == NULL) { free(c); return NULL; }
    strcpy(c->path, "fuzz");
    c->fd = fd;
    c->priv->max_frame = MAX_FRAME;
    c->priv->max_inflated = MAX_INFLATED;
    c->priv->next_id = in_flight + 1;
    c->priv->reader = folio_reader_create(MAX_FRAME, MAX_INFLATED);
    c->priv->inflight = calloc(in_flight ? in_flight : 1, sizeof *c->priv->inflight);
    if (c->priv->reader == NULL || c->priv->inflight == NULL) { folio_free(c); return NULL; }  /* closes fd */
    for (unsigned i = 0; i < in_flight; i++) c->priv->inflight[i].id = i + 1;
    c->priv->n_inflight = c->priv->cap_inflight = in_flight;
    return c;
}

static void receive(const uint8_t *data, size_t size, unsigned in_flight, int wait_for_last) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) abort();
    /* Inputs are far below the socket buffer: the whole stream is written, then the peer hangs up. */
    for (size_t at = 0; at < size;) {
        ssize_t n = write(sv[1], data + at, size - at);
        if (n <= 0) abort();
        at += (size_t)n;
    }
    close(sv[1]);
    folio_ctx *c = fake_connection(sv[0], in_flight);
    if (c == NULL) return;
    for (int rounds = 0; rounds < 1000; rounds++) {
        folio_reply *reply = NULL;
        /* Waiting for the last call sends replies of the others to the backlog. */
        uint64_t id = wait_for_last && c->priv->n_inflight ? c->priv->inflight[c->priv->n_inflight - 1].id : 0;
        int rc = folio_wait_reply(c, id, 0, &reply);
        if (rc != FOLIO_OK) {
            if (reply != NULL) abort();
            break;
        }
        if (reply == NULL || (reply->len && reply->body == NULL) || reply->message == NULL) abort();
        folio_reply_free(reply);
    }
    folio_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    uint8_t mode = data[0];
    size_t chunk = (size_t)(mode & 0x0F) + 1;
    unsigned in_flight = (mode >> 4) & 0x07;
    read_frames(data + 1, size - 1, chunk);
    receive(data + 1, size - 1, in_flight, mode >> 7);
    return 0;
}
