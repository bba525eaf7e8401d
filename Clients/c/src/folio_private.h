/* Internals shared by the libfolio sources; not installed. */
#ifndef FOLIO_PRIVATE_H
#define FOLIO_PRIVATE_H

#include "folio.h"

/* Replies waiting for folio_recv, oldest first: items[head .. head + n). */
typedef struct {
    folio_reply **items;
    size_t head, n, cap;
} folio_queue;

/* A call sent and not yet received whole: its id and when folio_recv ends it (absolute ms, 0 = never). */
typedef struct {
    uint64_t id;
    int64_t deadline;      /* its deadline, plus the write grace for a write */
    uint32_t timeout_ms;   /* as sent, for the message that ends it */
    int write;
} folio_inflight;

struct folio_ctx_private {
    folio_reader *reader;      /* NULL when not connected */
    uint32_t timeout_ms;       /* default deadline of a call, 0 = none */
    uint32_t write_grace_ms;   /* how long past its deadline a write is waited for */
    int connect_timeout_ms;
    int compress;
    size_t max_frame, max_inflated;
    char *meta_key, *meta_value;
    uint64_t next_id;
    folio_queue backlog;       /* replies read from the socket before anyone asked for them */
    folio_queue refused;       /* calls folio_send did not send (RESOURCE_EXHAUSTED), until received */
    folio_inflight *inflight;  /* calls sent whose final reply the caller has not received yet */
    size_t n_inflight, cap_inflight;
    uint32_t max_calls;        /* folio_set_max_calls, 0 = automatic */
    uint32_t server_max_calls; /* max_calls_in_flight of the last ServerInfo reply, 0 = not known */
    uint64_t stream_id;        /* the SearchStream being iterated, 0 when none */
    int stream_begun;          /* a SearchStream was begun on this context (next before it is a misuse) */
    int64_t stream_deadline;   /* absolute ms, 0 = none */
    int stream_cut_err;        /* the stream ended before its last frame: how (FOLIO_ERR_*), 0 = it did not */
    int stream_cut_status;
};

int folio_fail(folio_ctx *c, int err, int status, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int64_t folio_now_ms(void);
void folio_close_connection(folio_ctx *c);
int folio_is_inflight(folio_ctx *c, uint64_t id);
void folio_forget_call(folio_ctx *c, uint64_t id);
/* The next reply for call `id` (any when 0: queued replies first) before `deadline` (absolute ms, 0 = none). */
int folio_wait_reply(folio_ctx *c, uint64_t id, int64_t deadline, folio_reply **out);
int folio_closing_status(folio_ctx *c);
int folio_is_write(const char *method);   /* Ingest, DeletePage, Reload (with or without the service prefix) */
int folio_utf8_valid(const char *s);      /* 1 when s is well-formed UTF-8 (what a protobuf string must be) */
/* While a send waits for room: reads what the socket holds now into the backlog, without waiting. */
int folio_read_ready(folio_ctx *c);
int folio_queue_push(folio_queue *q, folio_reply *r);      /* FOLIO_OK, or FOLIO_ERR_OOM with r freed */
folio_reply *folio_queue_take(folio_queue *q, uint64_t id); /* the oldest reply of call id (any when 0) */
void folio_queue_clear(folio_queue *q);                     /* frees the replies */
/* Deadline of a call sent now with `timeout_ms` (0 = the context default); 0 = none. */
int64_t folio_deadline(folio_ctx *c, uint32_t timeout_ms);

#endif
