/* Unit tests without a daemon: socket path rule, status names, the compression threshold, reader limits,
 * sending against a peer the test scripts. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "folio.h"

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_socket_path(void) {
    char buf[128], want[64];
    unsetenv("FOLIO_SOCKET");
    unsetenv("XDG_RUNTIME_DIR");
    CHECK(folio_default_socket_path("/x/y.sock", buf, sizeof buf) == FOLIO_OK && strcmp(buf, "/x/y.sock") == 0, "%s", buf);
    if (geteuid() == 0) snprintf(want, sizeof want, "/run/folio/foliod.sock");
    else snprintf(want, sizeof want, "/tmp/folio-%u/foliod.sock", (unsigned)getuid());
    CHECK(folio_default_socket_path(NULL, buf, sizeof buf) == FOLIO_OK && strcmp(buf, want) == 0, "%s", buf);
    setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
    CHECK(folio_default_socket_path("", buf, sizeof buf) == FOLIO_OK && strcmp(buf, "/run/user/1000/folio/foliod.sock") == 0, "%s", buf);
    setenv("FOLIO_SOCKET", "/srv/folio.sock", 1);
    CHECK(folio_default_socket_path(NULL, buf, sizeof buf) == FOLIO_OK && strcmp(buf, "/srv/folio.sock") == 0, "%s", buf);
    char long_path[200];
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[0] = '/';
    long_path[sizeof long_path - 1] = '\0';
    CHECK(folio_default_socket_path(long_path, buf, sizeof buf) == FOLIO_ERR_ARG, "a path over 107 bytes is refused");
    folio_ctx *c = folio_connect(long_path);
    CHECK(c && c->err == FOLIO_ERR_ARG, "connect with a long path: %d", c ? c->err : -1);
    folio_free(c);
    unsetenv("FOLIO_SOCKET");
    unsetenv("XDG_RUNTIME_DIR");
}

/* Anyone could make /tmp/folio-<uid> first and put their own socket in it: a default path's folder
 * must be a real folder of ours that nobody else may write. */
static void test_untrusted_runtime_folder(void) {
    char base[] = "/tmp/folio-c-rt-XXXXXX", folder[64], link_path[64], why[256];
    CHECK(mkdtemp(base) != NULL, "mkdtemp");
    snprintf(folder, sizeof folder, "%s/folio", base);
    snprintf(link_path, sizeof link_path, "%s/link", base);
    CHECK(folio_runtime_dir_untrusted(folder, why, sizeof why) == 0, "an absent folder is fine (the daemon makes it)");
    mkdir(folder, 0700);
    CHECK(folio_runtime_dir_untrusted(folder, why, sizeof why) == 0, "own 0700 folder: %s", why);
    CHECK(symlink(folder, link_path) == 0 && folio_runtime_dir_untrusted(link_path, why, sizeof why) == 1 &&
          strstr(why, "symbolic link"), "a symlink is refused");
    chmod(folder, 0777);
    CHECK(folio_runtime_dir_untrusted(folder, why, sizeof why) == 1 && strstr(why, "writable"), "world-writable is refused");
    unsetenv("FOLIO_SOCKET");
    setenv("XDG_RUNTIME_DIR", base, 1);
    folio_ctx *c = folio_connect(NULL);
    CHECK(c && c->err == FOLIO_ERR_CONNECT && c->status == FOLIO_STATUS_PERMISSION_DENIED && strstr(c->errstr, "refusing"),
          "connect refuses the default socket in a world-writable folder: %s", c ? c->errstr : "");
    folio_free(c);
    unsetenv("XDG_RUNTIME_DIR");
    unlink(link_path);
    rmdir(folder);
    rmdir(base);
}

static void test_names(void) {
    CHECK(strcmp(folio_status_name(FOLIO_STATUS_NOT_FOUND), "NOT_FOUND") == 0, "status name");
    CHECK(strcmp(folio_status_name(99), "UNKNOWN_CODE") == 0, "unknown status");
    CHECK(strcmp(folio_frame_kind_name(FOLIO_FRAME_INFLATED_TOO_LARGE), "inflated_too_large") == 0, "kind name");
}

/* The typed calls come from the table gen-methods.py makes of service.proto; protoc-c reads the same
 * file into the service descriptor: both must list the same methods, types and order. */
static void test_method_table_is_service_proto(void) {
    struct { const char *name, *request, *response; } table[] = {
#define FOLIO_ROW(Method, name, Req, Resp, resp_desc) {#Method, #Req, #Resp},
        FOLIO_UNARY_METHODS(FOLIO_ROW) FOLIO_STREAMING_METHODS(FOLIO_ROW)
#undef FOLIO_ROW
    };
    const ProtobufCServiceDescriptor *service = &folio__v1__folio__descriptor;
    size_t rows = sizeof table / sizeof table[0];
    CHECK(rows == FOLIO_METHOD_COUNT && rows == service->n_methods, "%zu rows, %u in service.proto", rows,
          service->n_methods);
    for (size_t i = 0; i < service->n_methods; i++) {
        const ProtobufCMethodDescriptor *m = &service->methods[i];
        int found = 0;
        for (size_t j = 0; j < rows; j++) {
            if (strcmp(table[j].name, m->name) != 0) continue;
            found = strcmp(table[j].request, m->input->c_name) == 0 && strcmp(table[j].response, m->output->c_name) == 0;
        }
        CHECK(found, "%s of service.proto is not in the method table as %s → %s", m->name, m->input->c_name,
              m->output->c_name);
    }
}

static void test_threshold_and_limits(void) {
    uint8_t payload[1024], *out;
    size_t len;
    memset(payload, 'x', sizeof payload);
    CHECK(folio_frame_encode(payload, 1023, 1, 0, &out, &len) == FOLIO_OK && out[0] == 0 && len == 1028, "1023 B plain");
    folio_buffer_free(out);
    CHECK(folio_frame_encode(payload, 1024, 1, 0, &out, &len) == FOLIO_OK && out[0] == FOLIO_FLAG_ZLIB && len < 100, "1024 B zlib");
    /* two frames in one feed, then limits: 1024 'x' inflate to more than a 1000-byte limit */
    folio_reader *r = folio_reader_create(0, 1000);
    folio_reader_feed(r, "\0\0\0\0\0", 5);
    folio_reader_feed(r, out, len);
    folio_buffer_free(out);
    folio_frame *f;
    CHECK(folio_reader_get_frame(r, &f) == FOLIO_OK && f && f->len == 0, "empty frame");
    folio_frame_free(f);
    CHECK(folio_reader_get_frame(r, &f) == FOLIO_ERR_PROTOCOL && r->kind == FOLIO_FRAME_INFLATED_TOO_LARGE &&
          r->status == FOLIO_STATUS_RESOURCE_EXHAUSTED, "inflated limit: %s", r->errstr);
    CHECK(folio_reader_feed(r, "\0", 1) == FOLIO_ERR_PROTOCOL && folio_reader_get_frame(r, &f) == FOLIO_ERR_PROTOCOL,
          "errors are sticky");
    folio_reader_free(r);
    CHECK(folio_frame_encode(payload, 1023, 0, 100, &out, &len) == FOLIO_ERR_ARG, "outgoing frame over the limit");
    folio_buffer_free(out);
}

/* The scripted peer writes a Response frame of call `id` (status < 0: not the call's last frame). */
static void peer_reply(int fd, uint64_t id, const char *body, int status) {
    Folio__V1__Response res = FOLIO__V1__RESPONSE__INIT;
    Folio__V1__Status st = FOLIO__V1__STATUS__INIT;
    res.id = id;
    res.body.data = (uint8_t *)body;
    res.body.len = strlen(body);
    if (status >= 0) {
        st.code = (Folio__V1__StatusCode)status;
        res.status = &st;
    }
    uint8_t payload[256], *frame = NULL;
    size_t frame_len = 0, len = folio__v1__response__pack(&res, payload);
    CHECK(folio_frame_encode(payload, len, 0, 0, &frame, &frame_len) == FOLIO_OK &&
          send(fd, frame, frame_len, MSG_NOSIGNAL) == (ssize_t)frame_len, "peer write");
    folio_buffer_free(frame);
}

/* A send that finds no room reads the replies arriving (foliod stops reading a peer that leaves them
 * unread: waiting without reading would deadlock). A stream's frames may fill the queue up to the
 * in-flight limit; a new call then is refused (RESOURCE_EXHAUSTED, not sent) rather than read further.
 * Replies read before the connection closes are still received, in order. The test plays foliod and
 * never reads: it fills the client's socket first (bytes nobody parses), so every send finds no room. */
static void test_send_reads_replies(void) {
    char dir[] = "/tmp/folio-c-peer-XXXXXX", path[96];
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(path, sizeof path, "%s/s.sock", dir);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(listener, 1) == 0, "listen on %s", path);
    folio_ctx *c = folio_connect(path);
    int peer = accept(listener, NULL, NULL);
    CHECK(c->err == FOLIO_OK && peer >= 0, "connect: %s", c->errstr);
    folio_set_timeout(c, 10000);  /* only so that a regression fails instead of hanging */
    folio_set_max_calls(c, 4);
    uint64_t stream = 0, refused = 0;
    CHECK(folio_send(c, "ExportArticles", NULL, 0, 0, &stream) == FOLIO_OK, "send: %s", c->errstr);
    static const char fill[4096];
    while (send(c->fd, fill, sizeof fill, MSG_DONTWAIT) > 0) {}
    while (send(c->fd, fill, 1, MSG_DONTWAIT) > 0) {}  /* not one more byte fits */
    const char *const frames = "abcdef";
    for (int i = 0; i < 5; i++) peer_reply(peer, stream, (char[]){frames[i], 0}, -1);
    int rc = folio_send(c, "Health", NULL, 0, 0, &refused);
    CHECK(rc == FOLIO_OK && refused == stream + 1 && c->fd >= 0, "send while the queue is full: %d %s", rc, c->errstr);
    peer_reply(peer, stream, "f", FOLIO_STATUS_OK);  /* the stream's last frame, then the peer goes away */
    close(peer);
    rc = folio_send(c, "Health", NULL, 0, 0, NULL);  /* nothing of it written: FOLIO_ERR_CLOSED */
    CHECK(rc == FOLIO_ERR_CLOSED && c->fd < 0, "send to a peer gone: %d %s", rc, c->errstr);
    int in_order = 1;
    for (int i = 0; i < 6; i++) {
        folio_reply *r = NULL;
        in_order &= folio_recv(c, &r) == FOLIO_OK && r->id == stream && r->len == 1 && r->body[0] == frames[i] &&
                    r->has_status == (i == 5);
        folio_reply_free(r);
    }
    CHECK(in_order, "the stream's six frames in order, after the connection closed: %s", c->errstr);
    folio_reply *r = NULL;
    rc = folio_recv(c, &r);
    CHECK(rc == FOLIO_OK && r->id == refused && r->has_status && r->status == FOLIO_STATUS_RESOURCE_EXHAUSTED &&
          strstr(r->message, "replies are waiting"), "the call refused: %d %s", rc, r ? r->message : c->errstr);
    folio_reply_free(r);
    r = NULL;
    CHECK(folio_recv(c, &r) == FOLIO_ERR_CLOSED && r == NULL, "then the connection's end: %s", c->errstr);
    CHECK(folio_reconnect(c) == FOLIO_OK, "reconnect: %s", c->errstr);  /* the listener queues it */
    folio_free(c);
    close(listener);
    unlink(path);
    rmdir(dir);
}

/* A Unix socket listening at a fresh temporary path (dir, path: filled in), with room for `backlog`. */
static int listen_at(char *dir, char *path, size_t path_len, int backlog) {
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(path, path_len, "%s/s.sock", dir);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(listener, backlog) == 0, "listen on %s", path);
    return listener;
}

/* A connection-level reply (id 0) ends the connection with its status; one with status OK contradicts
 * itself: a protocol error (INTERNAL), not FOLIO_ERR_STATUS with ctx->status OK, which reads as success. */
static void test_connection_level_reply(void) {
    char dir[] = "/tmp/folio-c-peer-XXXXXX", path[96];
    int listener = listen_at(dir, path, sizeof path, 4);
    const int statuses[] = {FOLIO_STATUS_OK, FOLIO_STATUS_RESOURCE_EXHAUSTED, -1 /* no status */};
    for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++) {
        folio_ctx *c = folio_connect(path);
        int peer = accept(listener, NULL, NULL);
        CHECK(c->err == FOLIO_OK && peer >= 0, "connect: %s", c->errstr);
        folio_set_timeout(c, 10000);  /* only so that a regression fails instead of hanging */
        peer_reply(peer, 0, "", statuses[i]);
        int rc = folio_health(c, NULL, NULL);
        if (statuses[i] == FOLIO_STATUS_OK)
            CHECK(rc == FOLIO_ERR_PROTOCOL && c->err == rc && c->status == FOLIO_STATUS_INTERNAL && c->fd < 0 &&
                  strstr(c->errstr, "status OK"), "id 0 with status OK: rc %d status %d %s", rc, c->status, c->errstr);
        else
            CHECK(rc == FOLIO_ERR_STATUS && c->fd < 0 &&
                  c->status == (statuses[i] < 0 ? FOLIO_STATUS_INTERNAL : statuses[i]),
                  "id 0 with status %d: rc %d status %d %s", statuses[i], rc, c->status, c->errstr);
        close(peer);
        folio_free(c);
    }
    close(listener);
    unlink(path);
    rmdir(dir);
}

/* foliod goes away after answering (killed, restarted): folio_recv returns the replies it sent, then
 * FOLIO_ERR_CLOSED as folio.h promises (it returned FOLIO_ERR_EOF, which `if (err == FOLIO_ERR_CLOSED)
 * folio_reconnect(c);` missed), the reason kept in errstr; a later folio_recv says the same. */
static void test_recv_after_close(void) {
    char dir[] = "/tmp/folio-c-peer-XXXXXX", path[96];
    int listener = listen_at(dir, path, sizeof path, 1);
    folio_ctx *c = folio_connect(path);
    int peer = accept(listener, NULL, NULL);
    CHECK(c->err == FOLIO_OK && peer >= 0, "connect: %s", c->errstr);
    folio_set_timeout(c, 10000);  /* only so that a regression fails instead of hanging */
    uint64_t ids[3];
    for (int i = 0; i < 3; i++) CHECK(folio_send(c, "Health", NULL, 0, 0, &ids[i]) == FOLIO_OK, "send: %s", c->errstr);
    peer_reply(peer, ids[0], "", FOLIO_STATUS_OK);
    peer_reply(peer, ids[1], "", FOLIO_STATUS_OK);
    close(peer);  /* the third call is never answered */
    int got = 0, rc;
    folio_reply *r = NULL;
    while ((rc = folio_recv(c, &r)) == FOLIO_OK) {
        got++;
        folio_reply_free(r);
    }
    CHECK(got == 2 && rc == FOLIO_ERR_CLOSED && c->err == rc && c->fd < 0 && strstr(c->errstr, "foliod"),
          "two replies, then FOLIO_ERR_CLOSED: %d replies, rc %d (%s)", got, rc, c->errstr);
    CHECK(folio_recv(c, &r) == FOLIO_ERR_CLOSED && r == NULL, "again: %s", c->errstr);
    CHECK(folio_reconnect(c) == FOLIO_OK, "reconnect: %s", c->errstr);  /* the listener queues it */
    folio_free(c);
    close(listener);
    unlink(path);
    rmdir(dir);
}

/* A listener at a fresh path whose queue of new connections is full: a foliod that does not accept. */
static int busy_listener(char *dir, char *path, size_t path_len, int queued[4]) {
    int listener = listen_at(dir, path, path_len, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    for (int i = 0; i < 4; i++) {
        queued[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        (void)connect(queued[i], (struct sockaddr *)&addr, sizeof addr);
    }
    return listener;
}

/* A foliod that listens but never accepts (its queue of new connections full, or hung): the deadline
 * of folio_connect_timeout, and folio-c's --timeout, cover connecting. folio-c used folio_connect and
 * waited forever. */
static void test_connect_deadline(void) {
    char dir[] = "/tmp/folio-c-busy-XXXXXX", path[96];
    int queued[4], listener = busy_listener(dir, path, sizeof path, queued);
    int64_t start = now_ms();
    folio_ctx *c = folio_connect_timeout(path, 300);
    int64_t took = now_ms() - start;
    CHECK(c->err == FOLIO_ERR_CONNECT && c->status == FOLIO_STATUS_UNAVAILABLE && strstr(c->errstr, "in time") &&
          took < 3000, "folio_connect_timeout: %lld ms, %s", (long long)took, c->errstr);
    folio_free(c);

    const char *folio_c = getenv("FOLIO_C") ? getenv("FOLIO_C") : "build/folio-c";
    for (int with_timeout = 1; with_timeout >= 0; with_timeout--) {
        start = now_ms();
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 2);
            if (with_timeout) execl(folio_c, "folio-c", "--socket", path, "--timeout", "500", "health", (char *)NULL);
            else execl(folio_c, "folio-c", "--socket", path, "health", (char *)NULL);  /* its default: 10 s */
            _exit(127);
        }
        int status = 0, ended = 0, limit = with_timeout ? 5000 : 20000;
        while (!(ended = waitpid(pid, &status, WNOHANG) == pid) && now_ms() - start < limit) usleep(20000);
        if (!ended) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
        took = now_ms() - start;
        CHECK(ended && WIFEXITED(status) && WEXITSTATUS(status) == 3, "folio-c %s: %s after %lld ms (exit %d)",
              with_timeout ? "--timeout 500" : "(default deadline)", ended ? "ended" : "still waiting, killed",
              (long long)took, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    for (int i = 0; i < 4; i++) close(queued[i]);
    close(listener);
    unlink(path);
    rmdir(dir);
}

/* A scripted peer on a thread: takes one connection, reads one request and answers it OK with `body`
 * after delay_ms (never when delay_ms < 0), then reads until the client goes. */
typedef struct {
    int listener, delay_ms;
    const char *body;
    int read_request;
} late_peer;

static void *late_peer_run(void *arg) {
    late_peer *p = arg;
    int peer = accept(p->listener, NULL, NULL);
    folio_reader *r = folio_reader_create(0, 0);
    folio_frame *f = NULL;
    char buf[4096];
    ssize_t n;
    while (f == NULL && (n = recv(peer, buf, sizeof buf, 0)) > 0)
        if (folio_reader_feed(r, buf, (size_t)n) != FOLIO_OK || folio_reader_get_frame(r, &f) != FOLIO_OK) break;
    Folio__V1__Request *req = f ? folio__v1__request__unpack(NULL, f->len, f->payload) : NULL;
    p->read_request = req != NULL;
    if (req && p->delay_ms >= 0) {
        usleep((useconds_t)p->delay_ms * 1000);
        peer_reply(peer, req->id, p->body, FOLIO_STATUS_OK);
    }
    while (recv(peer, buf, sizeof buf, 0) > 0) {}  /* the client's cancel, then its close */
    folio__v1__request__free_unpacked(req, NULL);
    folio_frame_free(f);
    folio_reader_free(r);
    close(peer);
    return NULL;
}

/* foliod answers a write it has started with its outcome however late (docs/protocol.md): a write is
 * waited for past its deadline (the grace) and then FOLIO_ERR_OUTCOME_UNKNOWN, never a plain timeout a
 * caller takes for "nothing stored" (it was FOLIO_ERR_TIMEOUT at the deadline); a read is not waited for. */
static void test_write_grace(void) {
    char dir[] = "/tmp/folio-c-late-XXXXXX", path[96];
    int listener = listen_at(dir, path, sizeof path, 4);
    Folio__V1__IngestResponse stored = FOLIO__V1__INGEST_RESPONSE__INIT;
    stored.page_id = "late";
    char body[64] = {0};
    folio__v1__ingest_response__pack(&stored, (uint8_t *)body);
    const struct { const char *method; int delay_ms, grace_ms, rc; } cases[] = {
        {"Ingest", 600, 5000, FOLIO_OK},
        {"DeletePage", -1, 300, FOLIO_ERR_OUTCOME_UNKNOWN},
        {"Health", -1, 5000, FOLIO_ERR_TIMEOUT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        late_peer peer = {listener, cases[i].delay_ms, body, 0};
        pthread_t thread;
        CHECK(pthread_create(&thread, NULL, late_peer_run, &peer) == 0, "peer thread");
        folio_ctx *c = folio_connect(path);
        CHECK(c->err == FOLIO_OK, "connect: %s", c->errstr);
        folio_set_timeout(c, 200);
        folio_set_write_grace(c, (uint32_t)cases[i].grace_ms);
        uint8_t *resp = NULL;
        size_t resp_len = 0;
        int64_t start = now_ms();
        int rc = folio_call(c, cases[i].method, NULL, 0, &resp, &resp_len);
        int64_t took = now_ms() - start;
        if (cases[i].rc == FOLIO_OK)
            CHECK(rc == FOLIO_OK && resp_len == strlen(body) && memcmp(resp, body, resp_len) == 0,
                  "%s answered after its deadline: rc %d after %lld ms (%s)", cases[i].method, rc, (long long)took, c->errstr);
        else if (cases[i].rc == FOLIO_ERR_OUTCOME_UNKNOWN)
            CHECK(rc == FOLIO_ERR_OUTCOME_UNKNOWN && c->status == FOLIO_STATUS_DEADLINE_EXCEEDED && took >= 450 &&
                  strstr(c->errstr, "stored or not"), "%s never answered: rc %d after %lld ms (%s)", cases[i].method,
                  rc, (long long)took, c->errstr);
        else
            CHECK(rc == FOLIO_ERR_TIMEOUT && took < 2000, "%s past its deadline: rc %d after %lld ms (%s)",
                  cases[i].method, rc, (long long)took, c->errstr);
        folio_buffer_free(resp);
        folio_free(c);
        pthread_join(thread, NULL);
        CHECK(peer.read_request, "the peer read the %s request", cases[i].method);
    }
    close(listener);
    unlink(path);
    rmdir(dir);
}

/* A client connected to a scripted peer at a fresh path: *listener, *peer filled in. */
static folio_ctx *connect_peer(char *dir, char *path, size_t path_len, int *listener, int *peer) {
    *listener = listen_at(dir, path, path_len, 4);
    folio_ctx *c = folio_connect(path);
    *peer = accept(*listener, NULL, NULL);
    CHECK(c->err == FOLIO_OK && *peer >= 0, "connect: %s", c->errstr);
    return c;
}

static void end_peer(folio_ctx *c, char *dir, char *path, int listener, int peer) {
    folio_free(c);
    if (peer >= 0) close(peer);
    close(listener);
    unlink(path);
    rmdir(dir);
}

/* The next request the peer reads within 2 s (NULL: none); `r` keeps the bytes between calls. */
static Folio__V1__Request *peer_request(int peer, folio_reader *r) {
    folio_frame *f = NULL;
    char buf[4096];
    while (folio_reader_get_frame(r, &f) == FOLIO_OK && f == NULL) {
        struct pollfd pfd = {peer, POLLIN, 0};
        ssize_t n;
        if (poll(&pfd, 1, 2000) <= 0 || (n = recv(peer, buf, sizeof buf, 0)) <= 0 || folio_reader_feed(r, buf, (size_t)n) != FOLIO_OK)
            return NULL;
    }
    Folio__V1__Request *req = f ? folio__v1__request__unpack(NULL, f->len, f->payload) : NULL;
    folio_frame_free(f);
    return req;
}

/* folio_recv enforces each call's deadline (folio_send's timeout_ms, else the context's): the call
 * ends with a reply of its own, DEADLINE_EXCEEDED, foliod is asked to cancel it and its late reply is
 * dropped. It waited for the peer's answer however late (or forever), and a context timeout gave a
 * FOLIO_ERR_TIMEOUT that named no call while the call stayed in flight. */
static void test_recv_deadline(void) {
    char dir[] = "/tmp/folio-c-dl-XXXXXX", path[96];
    int listener, peer;
    folio_ctx *c = connect_peer(dir, path, sizeof path, &listener, &peer);
    folio_reader *reader = folio_reader_create(0, 0);
    struct timeval limit = {3, 0};  /* only so that a regression fails instead of hanging */
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    uint64_t late = 0, other = 0;
    CHECK(folio_send(c, "Health", NULL, 0, 200, &late) == FOLIO_OK && folio_send(c, "Stats", NULL, 0, 20000, &other) == FOLIO_OK,
          "send: %s", c->errstr);
    folio_reply *r = NULL;
    int64_t start = now_ms();
    int rc = folio_recv(c, &r);
    int64_t took = now_ms() - start;
    CHECK(rc == FOLIO_OK && r && r->id == late && r->has_status && r->status == FOLIO_STATUS_DEADLINE_EXCEEDED &&
          strstr(r->message, "within 200 ms") && took >= 150 && took < 3000,
          "the call past its deadline: rc %d after %lld ms, %s", rc, (long long)took, r ? r->message : c->errstr);
    folio_reply_free(r);
    Folio__V1__Request *reqs[3];
    for (int i = 0; i < 3; i++) reqs[i] = peer_request(peer, reader);
    CHECK(reqs[2] && reqs[2]->cancel && reqs[2]->id == late, "foliod is asked to cancel it");
    for (int i = 0; i < 3; i++) folio__v1__request__free_unpacked(reqs[i], NULL);
    peer_reply(peer, late, "", FOLIO_STATUS_OK);  /* too late: dropped */
    peer_reply(peer, other, "", FOLIO_STATUS_OK);
    r = NULL;
    rc = folio_recv(c, &r);
    CHECK(rc == FOLIO_OK && r && r->id == other && r->status == FOLIO_STATUS_OK, "then the other call: rc %d id %llu",
          rc, r ? (unsigned long long)r->id : 0ULL);
    folio_reply_free(r);
    folio_set_write_grace(c, 300);  /* a write is waited for through the grace after its deadline */
    CHECK(folio_send(c, "DeletePage", NULL, 0, 200, &late) == FOLIO_OK, "send: %s", c->errstr);
    r = NULL;
    start = now_ms();
    rc = folio_recv(c, &r);
    took = now_ms() - start;
    CHECK(rc == FOLIO_OK && r && r->id == late && r->status == FOLIO_STATUS_DEADLINE_EXCEEDED && took >= 450 &&
          strstr(r->message, "stored or not"), "a write: rc %d after %lld ms, %s", rc, (long long)took, r ? r->message : c->errstr);
    folio_reply_free(r);
    folio_set_timeout(c, 200);  /* the context default is a deadline of every call too */
    CHECK(folio_send(c, "Health", NULL, 0, 0, &late) == FOLIO_OK, "send: %s", c->errstr);
    r = NULL;
    rc = folio_recv(c, &r);
    CHECK(rc == FOLIO_OK && r && r->id == late && r->status == FOLIO_STATUS_DEADLINE_EXCEEDED,
          "the context's deadline: rc %d %s", rc, r ? r->message : c->errstr);
    folio_reply_free(r);
    r = NULL;
    CHECK(folio_recv(c, &r) == FOLIO_ERR_TIMEOUT && r == NULL, "no call in flight: the context timeout, %s", c->errstr);
    folio_reader_free(reader);
    end_peer(c, dir, path, listener, peer);
}

static void on_alarm(int sig) { (void)sig; }

/* A signal (no SA_RESTART) while connect waits for a foliod that does not accept: the wait goes on to
 * its deadline. It ended at once, "is it running? (Interrupted system call)". */
static void test_connect_signal(void) {
    char dir[] = "/tmp/folio-c-sig-XXXXXX", path[96];
    int queued[4], listener = busy_listener(dir, path, sizeof path, queued);
    struct sigaction sa = {.sa_handler = on_alarm}, old;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);
    struct itimerval tv = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &tv, NULL);
    int64_t start = now_ms();
    folio_ctx *c = folio_connect_timeout(path, 800);
    int64_t took = now_ms() - start;
    CHECK(c->err == FOLIO_ERR_CONNECT && strstr(c->errstr, "in time") && took >= 700,
          "a signal during the wait: %lld ms, %s", (long long)took, c->errstr);
    folio_free(c);
    sigaction(SIGALRM, &old, NULL);
    for (int i = 0; i < 4; i++) close(queued[i]);
    close(listener);
    unlink(path);
    rmdir(dir);
}

/* foliod closed the connection (a restart) before the next call: nothing of it was written, so the call
 * is FOLIO_ERR_CLOSED, not FOLIO_ERR_IO ("may have reached foliod"). */
static void test_closed_before_call(void) {
    char dir[] = "/tmp/folio-c-rst-XXXXXX", path[96];
    int listener, peer;
    folio_ctx *c = connect_peer(dir, path, sizeof path, &listener, &peer);
    close(peer);
    usleep(20000);
    Folio__V1__IngestRequest req = FOLIO__V1__INGEST_REQUEST__INIT;
    req.text = "x";
    int rc = folio_ingest(c, &req, NULL);
    CHECK(rc == FOLIO_ERR_CLOSED && c->err == rc && c->fd < 0 && strstr(c->errstr, "not sent"),
          "a call on a connection foliod closed: rc %d %s", rc, c->errstr);
    end_peer(c, dir, path, listener, -1);
}

/* A SearchStream cut by folio_stream_cancel or folio_reconnect never ends like a complete one. */
static void test_stream_cut(void) {
    char dir[] = "/tmp/folio-c-cut-XXXXXX", path[96];
    int listener, peer;
    folio_ctx *c = connect_peer(dir, path, sizeof path, &listener, &peer);
    folio_set_timeout(c, 10000);  /* only so that a regression fails instead of hanging */
    folio_reader *reader = folio_reader_create(0, 0);
    Folio__V1__SearchHit hit = FOLIO__V1__SEARCH_HIT__INIT;
    hit.article_id = "a";
    char body[64] = {0};
    folio__v1__search_hit__pack(&hit, (uint8_t *)body);
    for (int how = 0; how < 3; how++) {  /* complete, cancelled, reconnected */
        CHECK(folio_search_stream_begin(c, NULL) == FOLIO_OK, "begin: %s", c->errstr);
        Folio__V1__Request *req = peer_request(peer, reader);
        uint64_t id = req ? req->id : 0;
        folio__v1__request__free_unpacked(req, NULL);
        peer_reply(peer, id, body, how == 0 ? FOLIO_STATUS_OK : -1);
        Folio__V1__SearchHit *got = NULL;
        CHECK(folio_search_stream_next(c, &got) == FOLIO_OK && got, "a hit: %s", c->errstr);
        folio_message_free(got);
        if (how == 1) folio_stream_cancel(c);
        if (how == 2) folio_reconnect(c);
        got = NULL;
        int rc = folio_search_stream_next(c, &got);
        if (how == 0) CHECK(rc == FOLIO_OK && got == NULL && c->status == FOLIO_STATUS_OK, "the end: rc %d %s", rc, c->errstr);
        else if (how == 1)
            CHECK(rc == FOLIO_ERR_STATUS && c->status == FOLIO_STATUS_CANCELLED && got == NULL, "cancelled: rc %d %s", rc, c->errstr);
        else CHECK(rc == FOLIO_ERR_CLOSED && got == NULL, "reconnected: rc %d %s", rc, c->errstr);
        if (how == 1) folio__v1__request__free_unpacked(peer_request(peer, reader), NULL);  /* the cancel */
    }
    folio_reader_free(reader);
    end_peer(c, dir, path, listener, peer);
}

/* Requests foliod would close the connection over are refused here (FOLIO_ERR_ARG), the connection kept:
 * a payload over the inflated limit (compressed, it was sent), cancel of the reserved id 0, metadata over
 * 16 KiB or not UTF-8 (every later call lost the connection), a method name that is not UTF-8. */
static void test_refused_locally(void) {
    char dir[] = "/tmp/folio-c-arg-XXXXXX", path[96];
    int listener, peer;
    folio_ctx *c = connect_peer(dir, path, sizeof path, &listener, &peer);
    static char big[8000];
    memset(big, 'x', sizeof big);
    folio_set_limits(c, 0, 4096);
    CHECK(folio_send(c, "Convert", big, sizeof big, 0, NULL) == FOLIO_ERR_ARG && c->fd >= 0, "over the inflated limit: %s", c->errstr);
    folio_set_compression(c, 0);
    CHECK(folio_send(c, "Convert", big, sizeof big, 0, NULL) == FOLIO_ERR_ARG && c->fd >= 0, "uncompressed too: %s", c->errstr);
    folio_set_limits(c, 0, 0);
    CHECK(folio_cancel(c, 0) == FOLIO_ERR_ARG && c->err == FOLIO_ERR_ARG && c->fd >= 0, "cancel of id 0: %s", c->errstr);
    char *value = malloc(20001);
    memset(value, 'v', 20000);
    value[20000] = '\0';
    CHECK(folio_set_metadata(c, "trace", value) == FOLIO_ERR_ARG, "metadata over 16 KiB");
    free(value);
    CHECK(folio_set_metadata(c, "trace", "caf\xe9") == FOLIO_ERR_ARG && strstr(c->errstr, "UTF-8"), "Latin-1 metadata");
    CHECK(folio_set_metadata(c, "trace", "\xed\xa0\x80") == FOLIO_ERR_ARG, "a surrogate");
    CHECK(folio_set_metadata(c, "trace", "\xc0\xaf") == FOLIO_ERR_ARG, "an overlong form");
    CHECK(folio_set_metadata(c, "trace", "錦州港 😀") == FOLIO_OK && c->err == FOLIO_OK, "UTF-8 metadata: %s", c->errstr);
    CHECK(folio_send(c, "M\xff", NULL, 0, 0, NULL) == FOLIO_ERR_ARG && strstr(c->errstr, "UTF-8"), "method not UTF-8: %s", c->errstr);
    end_peer(c, dir, path, listener, peer);
}

/* FOLIO_ERR_ARG for a NULL out-pointer describes itself in the context (it left the last call's error). */
static void test_arg_errors_set_context(void) {
    char dir[] = "/tmp/folio-c-nul-XXXXXX", path[96];
    int listener, peer;
    folio_ctx *c = connect_peer(dir, path, sizeof path, &listener, &peer);
    folio_set_timeout(c, 1);
    uint8_t *resp = NULL;
    size_t len = 0;
    folio_reply *r = NULL;
    ProtobufCMessage *msg = NULL;
    for (int i = 0; i < 5; i++) {
        folio_recv(c, &r);  /* FOLIO_ERR_TIMEOUT: the error an argument error must not leave */
        int rc = i == 0 ? folio_call(c, "Health", NULL, 0, NULL, &len) : i == 1 ? folio_call(c, "Health", NULL, 0, &resp, NULL)
               : i == 2 ? folio_recv(c, NULL) : i == 3 ? folio_search_stream_next(c, NULL)
               : folio_call_message(c, "Search", NULL, NULL, &msg);
        CHECK(rc == FOLIO_ERR_ARG && c->err == FOLIO_ERR_ARG && c->status == FOLIO_STATUS_INVALID_ARGUMENT &&
              !strstr(c->errstr, "deadline"), "case %d: rc %d err %d: %s", i, rc, c->err, c->errstr);
    }
    end_peer(c, dir, path, listener, peer);
}

/* folio-c refuses arguments too many (exit 1: a second id was never looked up) and takes --version
 * after options. */
static int run_folio_c(const char *const *args) {
    const char *folio_c = getenv("FOLIO_C") ? getenv("FOLIO_C") : "build/folio-c";
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execv(folio_c, (char *const *)args);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_folio_c_args(void) {
    const char *const get_two[] = {"folio-c", "--socket", "/nonexistent.sock", "get", "a", "b", NULL};
    const char *const health_extra[] = {"folio-c", "--socket", "/nonexistent.sock", "health", "x", NULL};
    const char *const search_extra[] = {"folio-c", "search", "q", "5", "x", NULL};
    const char *const version[] = {"folio-c", "--socket", "/nonexistent.sock", "--version", NULL};
    CHECK(run_folio_c(get_two) == 1, "get A B");
    CHECK(run_folio_c(health_extra) == 1, "health X");
    CHECK(run_folio_c(search_extra) == 1, "search Q LIMIT X");
    CHECK(run_folio_c(version) == 0, "--version after --socket");
}

void run_unit_tests(void) {
    int before = check_failed;
    test_socket_path();
    test_untrusted_runtime_folder();
    test_names();
    test_method_table_is_service_proto();
    test_threshold_and_limits();
    test_send_reads_replies();
    test_connection_level_reply();
    test_recv_after_close();
    test_connect_deadline();
    test_write_grace();
    test_recv_deadline();
    test_connect_signal();
    test_closed_before_call();
    test_stream_cut();
    test_refused_locally();
    test_arg_errors_set_context();
    test_folio_c_args();
    printf("%s unit tests\n", check_failed == before ? "ok  " : "FAIL");
}
