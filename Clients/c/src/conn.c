/* The connection: socket path rule, connect, send/receive of envelopes, deadlines, multiplexing. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "folio_private.h"

static const char *const status_names[] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
    "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

const char *folio_status_name(int status) {
    return status >= 0 && status <= FOLIO_STATUS_UNAUTHENTICATED ? status_names[status] : "UNKNOWN_CODE";
}

int folio_fail(folio_ctx *c, int err, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errstr, sizeof c->errstr, fmt, ap);
    va_end(ap);
    c->err = err;
    c->status = status;
    return err;
}

static void clear_error(folio_ctx *c) {
    c->err = FOLIO_OK;
    c->errstr[0] = '\0';
    c->status = FOLIO_STATUS_OK;
}

int64_t folio_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int folio_default_socket_path(const char *explicit_path, char *buf, size_t buflen) {
    const char *env;
    int n;
    if (explicit_path && *explicit_path) n = snprintf(buf, buflen, "%s", explicit_path);
    else if ((env = getenv("FOLIO_SOCKET")) && *env) n = snprintf(buf, buflen, "%s", env);
    else if ((env = getenv("XDG_RUNTIME_DIR")) && *env) n = snprintf(buf, buflen, "%s/folio/foliod.sock", env);
    else if (geteuid() == 0) n = snprintf(buf, buflen, "/run/folio/foliod.sock");
    else n = snprintf(buf, buflen, "/tmp/folio-%u/foliod.sock", (unsigned)getuid());
    return n < 0 || (size_t)n >= buflen || n > 107 ? FOLIO_ERR_ARG : FOLIO_OK;
}

int folio_runtime_dir_untrusted(const char *dir, char *why, size_t whylen) {
    struct stat st;
    char scratch[8];
    if (why == NULL) { why = scratch; whylen = sizeof scratch; }
    if (lstat(dir, &st) != 0) return 0; /* absent: the daemon creates it */
    if (S_ISLNK(st.st_mode)) return snprintf(why, whylen, "%s is a symbolic link", dir), 1;
    if (!S_ISDIR(st.st_mode)) return snprintf(why, whylen, "%s is not a folder", dir), 1;
    /* Root also trusts another owner under /run (a foliod running as its own user), where only root creates folders. */
    if (st.st_uid != getuid() && !(getuid() == 0 && strncmp(dir, "/run/", 5) == 0))
        return snprintf(why, whylen, "%s belongs to uid %u, not %u", dir, (unsigned)st.st_uid, (unsigned)getuid()), 1;
    if (st.st_mode & 022)
        return snprintf(why, whylen, "%s is writable by group or others (mode %o)", dir, (unsigned)(st.st_mode & 07777)), 1;
    return 0;
}

/* Closes the socket and forgets every call in flight (their replies can no longer come). Replies
 * already received stay queued for folio_recv until folio_reconnect or folio_free. A SearchStream
 * being iterated is cut: folio_search_stream_next says so, not that the stream ended. */
void folio_close_connection(folio_ctx *c) {
    struct folio_ctx_private *p = c->priv;
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    folio_reader_free(p->reader);
    p->reader = NULL;
    p->n_inflight = 0;
    if (p->stream_id) {
        p->stream_cut_err = FOLIO_ERR_CLOSED;
        p->stream_cut_status = FOLIO_STATUS_UNAVAILABLE;
    }
    p->stream_id = 0;
}

static int open_socket(folio_ctx *c, int timeout_ms) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, c->path, strlen(c->path) + 1);
    int64_t deadline = timeout_ms > 0 ? folio_now_ms() + timeout_ms : 0;
    int fd, e = 0;
    /* A signal (a timer, SIGCHLD, a profiler) while connect waits for a busy foliod: wait on, in the time left. */
    for (;;) {
        int64_t left = deadline ? deadline - folio_now_ms() : 0;
        if (deadline && left <= 0) { fd = -1; e = ETIMEDOUT; break; }
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return folio_fail(c, FOLIO_ERR_CONNECT, FOLIO_STATUS_UNAVAILABLE, "socket: %s", strerror(errno));
        if (deadline) {
            struct timeval tv = {(time_t)(left / 1000), (suseconds_t)(left % 1000) * 1000};
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        }
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) break;
        e = errno;
        close(fd);
        fd = -1;
        if (e != EINTR) break;
    }
    if (fd < 0) {
        if (e == EAGAIN || e == EWOULDBLOCK || e == ETIMEDOUT || e == EINPROGRESS) /* listening, its queue full */
            return folio_fail(c, FOLIO_ERR_CONNECT, FOLIO_STATUS_UNAVAILABLE,
                              "cannot connect to foliod at %s: it did not accept the connection in time (%s)", c->path, strerror(e));
        if (e == EACCES || e == EPERM) /* it may well be running: the socket's mode and group keep this user out */
            return folio_fail(c, FOLIO_ERR_CONNECT, FOLIO_STATUS_PERMISSION_DENIED,
                              "cannot connect to foliod at %s: permission denied (the socket's group and mode decide who "
                              "may connect)", c->path);
        return folio_fail(c, FOLIO_ERR_CONNECT, FOLIO_STATUS_UNAVAILABLE,
                          "cannot connect to foliod at %s: is it running? (%s)", c->path, strerror(e));
    }
    struct timeval none = {0, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof none);
    c->priv->reader = folio_reader_create(c->priv->max_frame, c->priv->max_inflated);
    if (c->priv->reader == NULL) {
        close(fd);
        return folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    }
    c->fd = fd;
    return FOLIO_OK;
}

folio_ctx *folio_connect_timeout(const char *path, int timeout_ms) {
    folio_ctx *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    c->priv = calloc(1, sizeof *c->priv);
    if (c->priv == NULL) { free(c); return NULL; }
    c->fd = -1;
    c->priv->compress = 1;
    c->priv->write_grace_ms = FOLIO_DEFAULT_WRITE_GRACE_MS;
    c->priv->next_id = 1;
    c->priv->connect_timeout_ms = timeout_ms;
    if (folio_default_socket_path(path, c->path, sizeof c->path) != FOLIO_OK) {
        folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "socket path longer than 107 bytes");
        return c;
    }
    const char *env = getenv("FOLIO_SOCKET");
    if (!(path && *path) && !(env && *env)) {
        /* A default path: anyone could have made /tmp/folio-<uid> first and put their own socket in it. */
        char dir[sizeof c->path], why[256];
        snprintf(dir, sizeof dir, "%s", c->path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) *slash = 0;
        if (folio_runtime_dir_untrusted(dir, why, sizeof why)) {
            folio_fail(c, FOLIO_ERR_CONNECT, FOLIO_STATUS_PERMISSION_DENIED,
                       "refusing to connect to foliod at %s: %s (name the socket or set FOLIO_SOCKET)", c->path, why);
            return c;
        }
    }
    open_socket(c, timeout_ms);
    return c;
}

folio_ctx *folio_connect(const char *path) { return folio_connect_timeout(path, 0); }

int folio_reconnect(folio_ctx *c) {
    if (c == NULL) return FOLIO_ERR_ARG;
    clear_error(c);
    folio_close_connection(c);
    folio_queue_clear(&c->priv->backlog);
    folio_queue_clear(&c->priv->refused);
    return open_socket(c, c->priv->connect_timeout_ms);
}

void folio_free(folio_ctx *c) {
    if (c == NULL) return;
    folio_close_connection(c);
    folio_queue_clear(&c->priv->backlog);
    folio_queue_clear(&c->priv->refused);
    free(c->priv->backlog.items);
    free(c->priv->refused.items);
    free(c->priv->inflight);
    free(c->priv->meta_key);
    free(c->priv->meta_value);
    free(c->priv);
    free(c);
}

void folio_set_timeout(folio_ctx *c, uint32_t timeout_ms) { if (c) c->priv->timeout_ms = timeout_ms; }
void folio_set_write_grace(folio_ctx *c, uint32_t grace_ms) { if (c) c->priv->write_grace_ms = grace_ms; }
void folio_set_compression(folio_ctx *c, int on) { if (c) c->priv->compress = on != 0; }
void folio_set_max_calls(folio_ctx *c, uint32_t max_calls) { if (c) c->priv->max_calls = max_calls; }

/* Calls folio_send keeps in flight: as set, else as foliod advertised in ServerInfo, else its default. */
static size_t max_calls(const folio_ctx *c) {
    const struct folio_ctx_private *p = c->priv;
    return p->max_calls ? p->max_calls : p->server_max_calls ? p->server_max_calls : FOLIO_DEFAULT_MAX_CALLS;
}

void folio_set_limits(folio_ctx *c, size_t max_frame, size_t max_inflated) {
    if (c == NULL) return;
    c->priv->max_frame = max_frame;
    c->priv->max_inflated = max_inflated;
    if (c->priv->reader) {
        c->priv->reader->max_frame = max_frame ? max_frame : FOLIO_DEFAULT_MAX_FRAME;
        c->priv->reader->max_inflated = max_inflated ? max_inflated : FOLIO_DEFAULT_MAX_INFLATED;
    }
}

int folio_utf8_valid(const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned char b = *u++;
        int more = b < 0x80 ? 0 : b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : -1;
        if (more < 0) return 0;
        /* the second byte's range excludes overlong forms, surrogates and code points past U+10FFFF */
        unsigned char lo = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80, hi = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
        for (int i = 0; i < more; i++, u++) {
            if (*u < (i ? 0x80 : lo) || *u > (i ? 0xBF : hi)) return 0;
        }
    }
    return 1;
}

int folio_set_metadata(folio_ctx *c, const char *key, const char *value) {
    if (c == NULL) return FOLIO_ERR_ARG;
    clear_error(c);
    /* foliod closes a connection whose request has more than 16 KiB outside its body, or strings that are
     * not UTF-8: every later call would lose the connection, so such metadata is refused here. */
    if (key && strlen(key) + (value ? strlen(value) : 0) > FOLIO_MAX_METADATA_BYTES)
        return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "metadata of %zu bytes: at most %d (key and value)",
                          strlen(key) + (value ? strlen(value) : 0), FOLIO_MAX_METADATA_BYTES);
    if (key && (!folio_utf8_valid(key) || (value && !folio_utf8_valid(value))))
        return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "metadata %s is not UTF-8",
                          folio_utf8_valid(key) ? "value" : "key");
    free(c->priv->meta_key);
    free(c->priv->meta_value);
    c->priv->meta_key = c->priv->meta_value = NULL;
    if (key == NULL) return FOLIO_OK;
    c->priv->meta_key = strdup(key);
    c->priv->meta_value = strdup(value ? value : "");
    if (!c->priv->meta_key || !c->priv->meta_value) return folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    return FOLIO_OK;
}

/* ---- sending ------------------------------------------------------------------------------ */

#define WRITE_REFUSED (-1) /* write_all: nothing was written, the backlog is full */

/* Writes a whole frame before `deadline` (absolute ms, 0 = none).
 * foliod stops reading a peer that leaves its replies unread, so while the socket has no room the
 * replies arriving are read into the backlog (folio_recv returns them later): a caller sending many
 * calls before receiving any cannot deadlock against foliod. Unary calls queue at most one reply each
 * (max_calls of them); a stream's frames could fill it without end, so a new call (`refusable`) that
 * finds max_calls replies queued and no room is not written at all (WRITE_REFUSED). A frame already
 * partly written is finished whatever arrives meanwhile: cut short, it would break the connection.
 * A daemon that stops reading must not hold the call past its deadline: the frame is then given up,
 * and the connection closed when part of it was sent. */
static int write_all(folio_ctx *c, const uint8_t *data, size_t len, int64_t deadline, int refusable) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = send(c->fd, data + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) {
            done += (size_t)n;
            continue;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (refusable && done == 0 && c->priv->backlog.n >= max_calls(c)) return WRITE_REFUSED;
            int wait = -1;
            if (deadline) {
                int64_t left = deadline - folio_now_ms();
                if (left <= 0 && done == 0)
                    return folio_fail(c, FOLIO_ERR_TIMEOUT, FOLIO_STATUS_DEADLINE_EXCEEDED,
                                      "foliod did not take the request within the deadline");
                if (left <= 0) {
                    folio_close_connection(c);
                    return folio_fail(c, FOLIO_ERR_TIMEOUT, FOLIO_STATUS_DEADLINE_EXCEEDED,
                                      "foliod did not take the request within the deadline (connection closed)");
                }
                wait = left > 60000 ? 60000 : (int)left;  /* poll takes an int */
            }
            struct pollfd pfd = {c->fd, POLLOUT | POLLIN, 0};
            int pr = poll(&pfd, 1, wait);
            if (pr < 0 && errno != EINTR) {
                int e = errno;
                folio_close_connection(c);
                return folio_fail(c, FOLIO_ERR_IO, FOLIO_STATUS_UNAVAILABLE, "poll: %s", strerror(e));
            }
            if (pr > 0 && (pfd.revents & POLLIN)) {
                int rc = folio_read_ready(c);
                if (rc == FOLIO_ERR_IO && done == 0)  /* closed before any byte of this call: nothing sent */
                    return folio_fail(c, FOLIO_ERR_CLOSED, FOLIO_STATUS_UNAVAILABLE, "foliod closed the connection: "
                                      "the request was not sent; folio_reconnect and call again");
                if (rc != FOLIO_OK) return rc;
            }
            continue;
        }
        int e = errno;
        if ((e == EPIPE || e == ECONNRESET) && folio_closing_status(c) != FOLIO_OK) return c->err;
        folio_close_connection(c);
        if ((e == EPIPE || e == ECONNRESET) && done == 0)  /* closed before this call (a restart): nothing sent */
            return folio_fail(c, FOLIO_ERR_CLOSED, FOLIO_STATUS_UNAVAILABLE, "foliod had closed the connection (%s): "
                              "the request was not sent; folio_reconnect and call again", strerror(e));
        return folio_fail(c, FOLIO_ERR_IO, FOLIO_STATUS_UNAVAILABLE, "connection to foliod lost: %s", strerror(e));
    }
    return FOLIO_OK;
}

static int send_envelope(folio_ctx *c, const Folio__V1__Request *req, int64_t deadline, int refusable) {
    size_t len = folio__v1__request__get_packed_size(req);
    size_t max_inflated = c->priv->max_inflated ? c->priv->max_inflated : FOLIO_DEFAULT_MAX_INFLATED;
    if (len > max_inflated)  /* compressed, foliod would take it for a zlib bomb and close the connection */
        return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_RESOURCE_EXHAUSTED,
                          "request of %zu bytes is over the %zu-byte limit of a frame's payload", len, max_inflated);
    uint8_t *payload = malloc(len ? len : 1), *frame = NULL;
    size_t frame_len;
    if (payload == NULL) return folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    folio__v1__request__pack(req, payload);
    int rc = folio_frame_encode(payload, len, c->priv->compress, c->priv->max_frame, &frame, &frame_len);
    free(payload);
    if (rc == FOLIO_ERR_ARG)
        return folio_fail(c, rc, FOLIO_STATUS_RESOURCE_EXHAUSTED, "request of %zu bytes does not fit in a frame", len);
    if (rc != FOLIO_OK) return folio_fail(c, rc, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    rc = write_all(c, frame, frame_len, deadline, refusable);
    free(frame);
    return rc;
}

static int track_inflight(folio_ctx *c, folio_inflight call) {
    struct folio_ctx_private *p = c->priv;
    if (p->n_inflight == p->cap_inflight) {
        size_t cap = p->cap_inflight ? p->cap_inflight * 2 : 16;
        folio_inflight *grown = realloc(p->inflight, cap * sizeof *grown);
        if (grown == NULL) return folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
        p->inflight = grown;
        p->cap_inflight = cap;
    }
    p->inflight[p->n_inflight++] = call;
    return FOLIO_OK;
}

int folio_is_inflight(folio_ctx *c, uint64_t id) {
    for (size_t i = 0; i < c->priv->n_inflight; i++)
        if (c->priv->inflight[i].id == id) return 1;
    return 0;
}

void folio_forget_call(folio_ctx *c, uint64_t id) {
    struct folio_ctx_private *p = c->priv;
    for (size_t i = 0; i < p->n_inflight; i++)
        if (p->inflight[i].id == id) { p->inflight[i] = p->inflight[--p->n_inflight]; break; }
    folio_reply *r;  /* replies already received for it are dropped too */
    while (id != 0 && ((r = folio_queue_take(&p->backlog, id)) || (r = folio_queue_take(&p->refused, id))))
        folio_reply_free(r);
}

/* A call folio_send does not send: it ends at once with RESOURCE_EXHAUSTED, as foliod would end it,
 * and folio_recv returns that like any reply. A few dozen bytes per call, whatever was asked. */
static int refuse(folio_ctx *c, uint64_t id, const char *why) {
    folio_reply *r = calloc(1, sizeof *r);
    if (r) r->message = strdup(why);
    if (r == NULL || r->message == NULL) {
        folio_reply_free(r);
        return folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    }
    r->id = id;
    r->has_status = 1;
    r->status = FOLIO_STATUS_RESOURCE_EXHAUSTED;
    if (folio_queue_push(&c->priv->refused, r) != FOLIO_OK)
        return folio_fail(c, FOLIO_ERR_OOM, FOLIO_STATUS_RESOURCE_EXHAUSTED, "out of memory");
    return FOLIO_OK;
}

int folio_send(folio_ctx *c, const char *method, const void *body, size_t len, uint32_t timeout_ms, uint64_t *id) {
    if (c == NULL) return FOLIO_ERR_ARG;
    clear_error(c);
    if (method == NULL || (body == NULL && len > 0))
        return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "method and body are required");
    if (c->fd < 0) return folio_fail(c, FOLIO_ERR_CLOSED, FOLIO_STATUS_UNAVAILABLE, "not connected to foliod (%s)", c->path);
    char full[128];
    int n = snprintf(full, sizeof full, "%s%s", method[0] == '/' ? "" : "/folio.v1.Folio/", method);
    if (n < 0 || (size_t)n >= sizeof full) return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "method name too long");
    if (!folio_utf8_valid(full)) return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "method name is not UTF-8");

    Folio__V1__Request req = FOLIO__V1__REQUEST__INIT;
    Folio__V1__Request__MetadataEntry entry = FOLIO__V1__REQUEST__METADATA_ENTRY__INIT;
    Folio__V1__Request__MetadataEntry *entries[1] = {&entry};
    Folio__V1__Encoding zlib_only[1] = {FOLIO__V1__ENCODING__ENCODING_ZLIB};
    req.id = c->priv->next_id++;
    if (id) *id = req.id;
    /* Past foliod's limit the call would be refused anyway; refused here, replies never queue past it. */
    char why[160];
    if (c->priv->n_inflight >= max_calls(c)) {
        snprintf(why, sizeof why, "more than %zu calls in flight on this connection "
                 "(not sent: receive replies with folio_recv first)", max_calls(c));
        return refuse(c, req.id, why);
    }
    req.method = full;
    req.body.data = (uint8_t *)body;
    req.body.len = len;
    req.timeout_ms = timeout_ms ? timeout_ms : c->priv->timeout_ms;
    if (c->priv->meta_key) {
        entry.key = c->priv->meta_key;
        entry.value = c->priv->meta_value;
        req.n_metadata = 1;
        req.metadata = entries;
    }
    if (c->priv->compress) {
        req.n_accept_encodings = 1;
        req.accept_encodings = zlib_only;
    }
    /* folio_recv ends the call at its deadline (a write, foliod answering one it started however late, at
     * the end of the write grace after it) */
    folio_inflight call = {req.id, folio_deadline(c, timeout_ms), req.timeout_ms, folio_is_write(full)};
    if (call.deadline && call.write) call.deadline += c->priv->write_grace_ms;
    int rc = track_inflight(c, call);
    if (rc == FOLIO_OK) rc = send_envelope(c, &req, folio_deadline(c, timeout_ms), 1);
    if (rc != FOLIO_OK) folio_forget_call(c, req.id);
    if (rc == WRITE_REFUSED) {
        snprintf(why, sizeof why, "%zu replies are waiting to be received on this connection "
                 "(not sent: receive replies with folio_recv first)", c->priv->backlog.n);
        return refuse(c, req.id, why);
    }
    if (rc != FOLIO_OK && id) *id = 0;
    return rc;
}

int folio_cancel(folio_ctx *c, uint64_t id) {
    if (c == NULL) return FOLIO_ERR_ARG;
    clear_error(c);
    if (id == 0)  /* foliod closes a connection that names the reserved id 0, and every call in flight is lost */
        return folio_fail(c, FOLIO_ERR_ARG, FOLIO_STATUS_INVALID_ARGUMENT, "call id 0 is reserved: no call to cancel");
    if (c->fd < 0) return folio_fail(c, FOLIO_ERR_CLOSED, FOLIO_STATUS_UNAVAILABLE, "not connected to foliod (%s)", c->path);
    Folio__V1__Request req = FOLIO__V1__REQUEST__INIT;
    req.id = id;
    req.cancel = 1;
    return send_envelope(c, &req, folio_deadline(c, 0), 0);
}
