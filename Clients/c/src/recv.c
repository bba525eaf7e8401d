/* Receiving: frames from the socket into replies, routed to their calls; unary calls; deadlines. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#include "folio_private.h"

#define LOCAL_DEADLINE_SLACK_MS 50 /* lets foliod's own DEADLINE_EXCEEDED arrive first */

void folio_reply_free(folio_reply *r) {
    if (r == NULL) return;
    free(r->body);
    free(r->message);
    free(r);
}

int64_t folio_deadline(folio_ctx *c, uint32_t timeout_ms) {
    if (timeout_ms == 0) timeout_ms = c->priv->timeout_ms;
    return timeout_ms ? folio_now_ms() + timeout_ms + LOCAL_DEADLINE_SLACK_MS : 0;
}

static int reply_from_payload(folio_ctx *c, const folio_frame *f, folio_reply **out) {
    Folio__V1__Response *env = folio__v1__response__unpack(NULL, f->len, f->payload);
    if (env == NULL) {
        folio_close_connection(c);
        return folio_fail(c, FOLIO_ERR_PROTOCOL, FOLIO_STATUS_INTERNAL, "foliod sent a frame that is not a folio.v1.Response");
    }
    folio_reply *r = calloc(1, sizeof *r);
    const char *msg = env->status && env->status->message ? env->status->message : "";
    if (r) r->message = strdup(msg);
    if (r && env->body.len) r->body = malloc(env->body.len);
    if (r == NULL || r->message == NULL || (env->body.len && r->body == NULL)) {
        folio_reply_free(r);
        folio__v1__response__free_unpacked(env, NULL);
        return folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    }
    r->id = env->id;
    if (env->body.len) memcpy(r->body, env->body.data, env->body.len);
    r->len = env->body.len;
    r->has_status = env->status != NULL;
    r->status = env->status ? (int)env->status->code : FOLIO_STATUS_OK;
    folio__v1__response__free_unpacked(env, NULL);
    *out = r;
    return FOLIO_OK;
}

/* A reply with id 0 is a connection-level error: foliod closes after it. One with status OK
 * contradicts itself (a failed call must not report OK): a protocol error of a broken peer. */
static int connection_error(folio_ctx *c, folio_reply *r) {
    int status = r->has_status ? r->status : FOLIO_STATUS_INTERNAL, err = FOLIO_ERR_STATUS;
    if (status == FOLIO_STATUS_OK) {
        err = FOLIO_ERR_PROTOCOL;
        folio_fail(c, err, FOLIO_STATUS_INTERNAL, "foliod sent a connection-level reply (id 0) with status OK%s%s",
                   *r->message ? ": " : "", r->message);
    } else {
        folio_fail(c, err, status, "foliod ended the connection: %s: %s", folio_status_name(status), r->message);
    }
    folio_reply_free(r);
    folio_close_connection(c);
    return err;
}

/* ---- the queues of replies waiting for folio_recv ---------------------------------------------- */

int folio_queue_push(folio_queue *q, folio_reply *r) {
    if (q->head + q->n == q->cap) {
        if (q->head > q->cap / 2) {  /* mostly taken from the front: reuse that room */
            memmove(q->items, q->items + q->head, q->n * sizeof *q->items);
            q->head = 0;
        } else {
            size_t cap = q->cap ? q->cap * 2 : 16;
            folio_reply **grown = realloc(q->items, cap * sizeof *grown);
            if (grown == NULL) {
                folio_reply_free(r);
                return FOLIO_ERR_OOM;
            }
            q->items = grown;
            q->cap = cap;
        }
    }
    q->items[q->head + q->n++] = r;
    return FOLIO_OK;
}

folio_reply *folio_queue_take(folio_queue *q, uint64_t id) {
    for (size_t i = 0; i < q->n; i++) {
        folio_reply **at = q->items + q->head + i, *r = *at;
        if (id != 0 && r->id != id) continue;
        if (i == 0) q->head++;  /* the oldest, the usual case: no copying */
        else memmove(at, at + 1, (q->n - i - 1) * sizeof *at);
        if (--q->n == 0) q->head = 0;
        return r;
    }
    return NULL;
}

void folio_queue_clear(folio_queue *q) {
    for (size_t i = 0; i < q->n; i++) folio_reply_free(q->items[q->head + i]);
    q->head = q->n = 0;
}

/* ---- reading ------------------------------------------------------------------------------ */

/* Feeds bytes from the socket to the reader and queues every whole frame they complete: replies of
 * calls in flight go to the backlog, late frames of calls given up locally are dropped, and a
 * connection-level error (id 0) or a reply that cannot be kept ends the connection. Frames are
 * checked against the reader's limits as they come: each queued reply is at most max_inflated bytes. */
static int queue_bytes(folio_ctx *c, const uint8_t *data, size_t len) {
    folio_reader *reader = c->priv->reader;
    if (folio_reader_feed(reader, data, len) != FOLIO_OK) {
        folio_close_connection(c);
        return folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    }
    for (;;) {
        folio_frame *f = NULL;
        if (folio_reader_get_frame(reader, &f) != FOLIO_OK) {
            int err = reader->err, status = reader->status;
            char why[sizeof reader->errstr];
            memcpy(why, reader->errstr, sizeof why);
            folio_close_connection(c);
            return folio_fail(c, err, status, "bad frame from foliod: %s", why);
        }
        if (f == NULL) return FOLIO_OK;
        folio_reply *r = NULL;
        int rc = reply_from_payload(c, f, &r);
        folio_frame_free(f);
        if (rc == FOLIO_OK && r->id == 0) return connection_error(c, r);
        if (rc == FOLIO_OK && !folio_is_inflight(c, r->id)) folio_reply_free(r);
        else if (rc == FOLIO_OK && folio_queue_push(&c->priv->backlog, r) != FOLIO_OK)
            rc = folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        if (rc != FOLIO_OK) {  /* a reply lost: its call would wait for it forever */
            folio_close_connection(c);
            return rc;
        }
    }
}

/* Waits until `deadline` (0 = forever) for bytes from the socket and queues the frames they complete. */
static int read_more(folio_ctx *c, int64_t deadline) {
    uint8_t buf[65536];
    for (;;) {
        int wait = -1;
        if (deadline) {
            int64_t left = deadline - folio_now_ms();
            if (left <= 0) return folio_fail(c, FOLIO_ERR_TIMEOUT, FOLIO_STATUS_DEADLINE_EXCEEDED, "no answer from foliod within the deadline");
            wait = (int)left;
        }
        /* With no deadline the (blocking) read itself waits: one system call per answer, not two. */
        int pr = 1;
        if (deadline) {
            struct pollfd pfd = {c->fd, POLLIN, 0};
            pr = poll(&pfd, 1, wait);
            if (pr < 0 && errno == EINTR) continue;
            if (pr == 0) continue; /* the deadline check above reports it */
        }
        ssize_t n = pr < 0 ? -1 : read(c->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = errno, truncated = n == 0 && folio_reader_pending(c->priv->reader) > 0;
            folio_close_connection(c);
            if (n == 0)
                return folio_fail(c, FOLIO_ERR_EOF, FOLIO_STATUS_UNAVAILABLE, "foliod closed the connection%s",
                                  truncated ? " inside a frame" : "");
            return folio_fail(c, FOLIO_ERR_IO, FOLIO_STATUS_UNAVAILABLE, "connection to foliod lost: %s", strerror(e));
        }
        return queue_bytes(c, buf, (size_t)n);
    }
}

int folio_read_ready(folio_ctx *c) {
    uint8_t buf[65536];
    ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return FOLIO_OK;
    if (n <= 0) {  /* as a failed write would report it */
        int e = n == 0 ? EPIPE : errno;
        folio_close_connection(c);
        return folio_fail(c, FOLIO_ERR_IO, FOLIO_STATUS_UNAVAILABLE, "connection to foliod lost: %s", strerror(e));
    }
    return queue_bytes(c, buf, (size_t)n);
}

/* Replies come from the backlog in the order they arrived, then from the calls folio_send refused,
 * then from the socket. Replies already received stay until they are taken, also when the connection
 * has closed since (folio_reconnect forgets them): a reply foliod sent is never lost. */
int folio_wait_reply(folio_ctx *c, uint64_t id, int64_t deadline, folio_reply **out) {
    struct folio_ctx_private *p = c->priv;
    folio_reply *r;
    *out = NULL;
    while ((r = folio_queue_take(&p->backlog, id)) == NULL && (r = folio_queue_take(&p->refused, id)) == NULL) {
        if (c->fd < 0) return folio_fail(c, FOLIO_ERR_CLOSED, FOLIO_STATUS_UNAVAILABLE, "not connected to foliod (%s)", c->path);
        int rc = read_more(c, deadline);
        if (rc != FOLIO_OK) return rc;
    }
    if (r->has_status) folio_forget_call(c, r->id);
    *out = r;
    return FOLIO_OK;
}

/* After a send failed because foliod closed the connection: its reason, when the connection-level
 * reply (id 0) it sent first is still unread (a connection over the limit, an idle timeout); replies
 * of calls before it are queued. Returns FOLIO_ERR_STATUS with that status, or FOLIO_OK when there is
 * none (the caller reports the I/O error). */
int folio_closing_status(folio_ctx *c) {
    uint8_t buf[65536];
    for (;;) {
        if (c->fd < 0) return FOLIO_OK;
        ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return FOLIO_OK;
        int rc = queue_bytes(c, buf, (size_t)n);
        if (rc == FOLIO_ERR_STATUS) return rc;  /* the id-0 reply */
        if (rc != FOLIO_OK) return FOLIO_OK;
    }
}

static const char *short_name(const char *method) {
    return strrchr(method, '/') ? strrchr(method, '/') + 1 : method;
}

static int is_streaming(const char *method) {
#define FOLIO_STREAM_NAME(Method, name_, Req, Resp, desc) if (strcmp(short_name(method), #Method) == 0) return 1;
    FOLIO_STREAMING_METHODS(FOLIO_STREAM_NAME)
#undef FOLIO_STREAM_NAME
    return 0;
}

int folio_is_write(const char *method) {
#define FOLIO_WRITE_NAME(Method) if (strcmp(short_name(method), #Method) == 0) return 1;
    FOLIO_WRITE_METHODS(FOLIO_WRITE_NAME)
#undef FOLIO_WRITE_NAME
    return 0;
}

/* The call in flight whose deadline comes first (NULL when none has one). */
static folio_inflight *first_deadline(folio_ctx *c) {
    folio_inflight *first = NULL;
    for (size_t i = 0; i < c->priv->n_inflight; i++) {
        folio_inflight *call = &c->priv->inflight[i];
        if (call->deadline && (first == NULL || call->deadline < first->deadline)) first = call;
    }
    return first;
}

/* Ends a call past its deadline with a final reply of its own (DEADLINE_EXCEEDED), as foliod would:
 * foliod is asked to cancel it, and frames of it that come later are dropped. */
static int end_late_call(folio_ctx *c, folio_inflight call, folio_reply **out) {
    char why[256];
    if (call.write)
        snprintf(why, sizeof why, "no answer within %u ms, nor in the %u ms waited after it for a write foliod had "
                 "received: it may have been stored or not", call.timeout_ms, c->priv->write_grace_ms);
    else
        snprintf(why, sizeof why, "no answer from foliod within %u ms (the call was cancelled)", call.timeout_ms);
    folio_reply *r = calloc(1, sizeof *r);
    if (r) r->message = strdup(why);
    if (r == NULL || r->message == NULL) {
        folio_reply_free(r);
        return folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    }
    r->id = call.id;
    r->has_status = 1;
    r->status = FOLIO_STATUS_DEADLINE_EXCEEDED;
    folio_forget_call(c, call.id);
    if (c->fd >= 0) folio_cancel(c, call.id);
    c->err = FOLIO_OK;  /* the cancel's outcome is not folio_recv's: the reply is */
    c->errstr[0] = '\0';
    c->status = FOLIO_STATUS_OK;
    *out = r;
    return FOLIO_OK;
}

int folio_recv(folio_ctx *c, folio_reply **out) {
    if (out) *out = NULL;
    if (c == NULL) return FOLIO_ERR_ARG;
    if (out == NULL) return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "folio_recv: out is NULL");
    int rc;
    for (;;) {
        c->err = FOLIO_OK;
        c->errstr[0] = '\0';
        c->status = FOLIO_STATUS_OK;
        /* Up to the first deadline of a call in flight; with none, the context timeout (0 = forever). */
        folio_inflight *late = first_deadline(c);
        rc = folio_wait_reply(c, 0, late ? late->deadline : folio_deadline(c, 0), out);
        if (rc != FOLIO_ERR_TIMEOUT || late == NULL) break;
        /* What the socket holds already comes first; then the call is past its deadline. */
        if (c->fd >= 0 && folio_read_ready(c) != FOLIO_OK && c->priv->backlog.n == 0) {
            rc = c->err;
            break;
        }
        if (c->priv->backlog.n || (late = first_deadline(c)) == NULL || late->deadline > folio_now_ms()) continue;
        rc = end_late_call(c, *late, out);
        break;
    }
    /* folio_recv speaks for no single call: the connection ending while it waits is FOLIO_ERR_CLOSED
     * (as folio.h promises, and as every later folio_recv says), errstr keeping how it ended. A typed
     * call keeps FOLIO_ERR_EOF / FOLIO_ERR_IO: its request was sent, its outcome is unknown. */
    if ((rc == FOLIO_ERR_EOF || rc == FOLIO_ERR_IO) && c->fd < 0) rc = c->err = FOLIO_ERR_CLOSED;
    return rc;
}

/* Ends a call given up locally: foliod is asked to cancel it, its late frames are dropped. */
static int give_up(folio_ctx *c, uint64_t id) {
    int err = c->err, status = c->status;
    char why[sizeof c->errstr];
    memcpy(why, c->errstr, sizeof why);
    folio_forget_call(c, id);
    if (c->fd >= 0) folio_cancel(c, id);
    c->err = err;
    c->status = status;
    memcpy(c->errstr, why, sizeof why);
    return err;
}

int folio_call(folio_ctx *c, const char *method, const void *body, size_t len, uint8_t **resp, size_t *resp_len) {
    if (resp) *resp = NULL;
    if (resp_len) *resp_len = 0;
    if (c == NULL) return FOLIO_ERR_ARG;
    if (resp == NULL || resp_len == NULL)
        return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "folio_call: resp and resp_len are required");
    if (method && is_streaming(method))
        return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT,
                          "%s is a streaming method: folio_call would keep only its first message "
                          "(use folio_send and folio_recv, or folio_search_stream_begin)", method);
    uint64_t id;
    int64_t deadline = folio_deadline(c, 0);
    int rc = folio_send(c, method, body, len, 0, &id);
    if (rc != FOLIO_OK) return rc;
    /* Sent: a write foliod starts is answered with its outcome however late, so it is waited for longer. */
    int write = deadline && folio_is_write(method);
    if (write) deadline += c->priv->write_grace_ms;
    for (;;) {
        folio_reply *r;
        rc = folio_wait_reply(c, id, deadline, &r);
        if (rc == FOLIO_ERR_TIMEOUT && write) {
            give_up(c, id);
            return folio_fail(c, FOLIO_ERR_OUTCOME_UNKNOWN, FOLIO_STATUS_DEADLINE_EXCEEDED,
                              "no answer within %u ms, nor in the %u ms waited after it for a write foliod had "
                              "received: it may have been stored or not", c->priv->timeout_ms, c->priv->write_grace_ms);
        }
        if (rc == FOLIO_ERR_TIMEOUT) return give_up(c, id);
        if (rc != FOLIO_OK) break;
        if (r->len) {  /* unary: the body of the last frame that has one */
            free(*resp);
            *resp = r->body;
            *resp_len = r->len;
            r->body = NULL;
        }
        int done = r->has_status, status = r->status;
        if (done && status != FOLIO_STATUS_OK)
            rc = folio_fail(c, FOLIO_ERR_STATUS, status, "%s: %s", folio_status_name(status), r->message);
        folio_reply_free(r);
        if (done) break;
    }
    if (rc != FOLIO_OK) {
        free(*resp);
        *resp = NULL;
        *resp_len = 0;
    }
    return rc;
}
