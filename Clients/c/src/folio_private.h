/* Internals shared by the libfolio sources; not installed. */
#ifndef FOLIO_PRIVATE_H
#define FOLIO_PRIVATE_H

#include "folio.h"

struct folio_ctx_private {
    folio_reader *reader;      /* NULL when not connected */
    uint32_t timeout_ms;       /* default deadline of a call, 0 = none */
    int connect_timeout_ms;
    int compress;
    size_t max_frame, max_inflated;
    char *meta_key, *meta_value;
    uint64_t next_id;
    folio_reply **backlog;     /* replies received for other calls while waiting for one */
    size_t n_backlog, cap_backlog;
    uint64_t *inflight;        /* ids sent and not finished */
    size_t n_inflight, cap_inflight;
    uint64_t stream_id;        /* the SearchStream being iterated, 0 when none */
    int stream_begun;          /* a SearchStream was begun on this context (next before it is a misuse) */
    int64_t stream_deadline;   /* absolute ms, 0 = none */
};

int folio_fail(folio_ctx *c, int err, int status, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int64_t folio_now_ms(void);
void folio_close_connection(folio_ctx *c);
int folio_is_inflight(folio_ctx *c, uint64_t id);
void folio_forget_call(folio_ctx *c, uint64_t id);
/* The next reply for call `id` (from the backlog or the socket) before `deadline` (absolute ms, 0 = none). */
int folio_wait_reply(folio_ctx *c, uint64_t id, int64_t deadline, folio_reply **out);
int folio_closing_status(folio_ctx *c);
/* Deadline of a call sent now with `timeout_ms` (0 = the context default); 0 = none. */
int64_t folio_deadline(folio_ctx *c, uint32_t timeout_ms);

#endif
