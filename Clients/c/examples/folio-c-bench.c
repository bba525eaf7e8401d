/* folio-c-bench: closed-loop GetArticle load on libfolio, arranged like redis-benchmark: one
 * thread drives every connection through poll(2), one call in flight per connection (a single
 * connection just waits in its blocking read, like folio_call).
 *   folio-c-bench [--socket PATH] [-c CONNECTIONS] [-n REQUESTS] [--zlib] ARTICLE_ID...
 *   folio-c-bench [...] --ids FILE        (article ids one per line, for archives too large for argv)
 * Prints one CSV line: connections,requests,rps,p50_us,p99_us. Every answer must be an OK
 * GetArticle with a body, or the run stops: exit 3 cannot connect, 4 a failed call, 1 usage. */
#define _POSIX_C_SOURCE 200809L  /* clock_gettime, poll under -std=c11 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "folio.h"
#include "folio/v1/service.pb-c.h"

#define MAX_CONNECTIONS 1024
#define GET_ARTICLE "/folio.v1.Folio/GetArticle"

typedef struct {
    uint8_t *bytes;
    size_t len;
} request_body;

static double now_micros(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#define USAGE "usage: folio-c-bench [--socket PATH] [-c CONNECTIONS] [-n REQUESTS] [--zlib] (ARTICLE_ID... | --ids FILE)\n"

static int usage(void) {
    fputs(USAGE, stderr);
    return 1;
}

/* Serialized GetArticleRequests, one per id (sent in turn by every connection). */
static request_body *encode_requests(char **ids, int count) {
    request_body *bodies = calloc((size_t)count, sizeof *bodies);
    for (int i = 0; bodies && i < count; i++) {
        Folio__V1__GetArticleRequest req = FOLIO__V1__GET_ARTICLE_REQUEST__INIT;
        req.article_id = ids[i];
        bodies[i].len = folio__v1__get_article_request__get_packed_size(&req);
        bodies[i].bytes = malloc(bodies[i].len ? bodies[i].len : 1);
        folio__v1__get_article_request__pack(&req, bodies[i].bytes);
    }
    return bodies;
}

/* Reads one id per line; returns the count (0 when the file cannot be read or is empty). */
static int read_ids(const char *path, char ***out) {
    FILE *file = fopen(path, "r");
    if (!file) return 0;
    int count = 0, capacity = 0;
    char **ids = NULL, line[1024];
    while (fgets(line, sizeof line, file)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) continue;
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 1024;
            char **grown = realloc(ids, (size_t)capacity * sizeof *ids);
            if (!grown) break;
            ids = grown;
        }
        ids[count++] = strdup(line);
    }
    fclose(file);
    *out = ids;
    return count;
}

int main(int argc, char **argv) {
    const char *socket_path = NULL, *ids_file = NULL;
    int connections = 1, zlib = 0;
    long requests = 100000;
    int i = 1;
    if (argc == 2 && strcmp(argv[1], "--version") == 0) return puts("folio-c-bench " FOLIO_VERSION " (libfolio, protocol 1)"), 0;
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) return fputs(USAGE, stdout), 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--zlib") == 0) zlib = 1;
        else if (i + 1 >= argc) return usage();
        else if (strcmp(argv[i], "--socket") == 0) socket_path = argv[++i];
        else if (strcmp(argv[i], "--ids") == 0) ids_file = argv[++i];
        else if (strcmp(argv[i], "-c") == 0) connections = atoi(argv[++i]);
        else if (strcmp(argv[i], "-n") == 0) requests = atol(argv[++i]);
        else return usage();
    }
    char **ids = argv + i;
    int id_count = argc - i;
    if (ids_file && id_count == 0) id_count = read_ids(ids_file, &ids);
    if (id_count < 1 || connections < 1 || connections > MAX_CONNECTIONS || requests < connections) return usage();
    request_body *bodies = encode_requests(ids, id_count);
    double *latencies = malloc((size_t)requests * sizeof *latencies);
    folio_ctx **ctx = calloc((size_t)connections, sizeof *ctx);
    struct pollfd *fds = calloc((size_t)connections, sizeof *fds);
    double *started = calloc((size_t)connections, sizeof *started);
    long *next_id = calloc((size_t)connections, sizeof *next_id);
    if (!bodies || !latencies || !ctx || !fds || !started || !next_id) return 4;

    int rc = 0;
    long sent = 0, done = 0;
    for (int c = 0; c < connections; c++) {
        ctx[c] = folio_connect(socket_path);
        if (!ctx[c] || ctx[c]->err) {
            fprintf(stderr, "folio-c-bench: %s\n", ctx[c] ? ctx[c]->errstr : "out of memory");
            return 3;
        }
        folio_set_compression(ctx[c], zlib);
        fds[c].fd = ctx[c]->fd;
        fds[c].events = POLLIN;
        next_id[c] = (c * 7919L) % id_count;  /* connections start at different articles */
    }
    double begin = now_micros();
    for (int c = 0; c < connections && rc == 0; c++) {
        request_body *body = &bodies[next_id[c]];
        started[c] = now_micros();
        if (folio_send(ctx[c], GET_ARTICLE, body->bytes, body->len, 0, NULL) != FOLIO_OK) rc = 4;
        sent++;
    }
    while (rc == 0 && done < requests) {
        /* One connection waits in its blocking read (as folio_call does); several are polled. */
        if (connections == 1) fds[0].revents = POLLIN;
        else if (poll(fds, (nfds_t)connections, 10000) <= 0) {
            fprintf(stderr, "folio-c-bench: no answer within 10 s\n");
            rc = 4;
            break;
        }
        for (int c = 0; c < connections && rc == 0; c++) {
            if (!(fds[c].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            folio_reply *reply = NULL;
            if (folio_recv(ctx[c], &reply) != FOLIO_OK) {
                fprintf(stderr, "folio-c-bench: %s\n", ctx[c]->errstr);
                rc = 4;
                break;
            }
            int ok = reply->has_status && reply->status == FOLIO_STATUS_OK && reply->len > 0;
            if (!ok) fprintf(stderr, "folio-c-bench: call failed: status %d %s\n", reply->status, reply->message);
            folio_reply_free(reply);
            if (!ok) { rc = 4; break; }
            latencies[done++] = now_micros() - started[c];
            if (sent < requests) {
                next_id[c] = (next_id[c] + 1) % id_count;
                request_body *body = &bodies[next_id[c]];
                started[c] = now_micros();
                if (folio_send(ctx[c], GET_ARTICLE, body->bytes, body->len, 0, NULL) != FOLIO_OK) rc = 4;
                sent++;
            } else {
                fds[c].fd = -1;  /* this connection is done */
            }
        }
    }
    double elapsed = now_micros() - begin;
    if (rc == 0) {
        qsort(latencies, (size_t)done, sizeof *latencies, by_value);
        printf("%d,%ld,%.1f,%.1f,%.1f\n", connections, done, (double)done / elapsed * 1e6,
               latencies[done / 2], latencies[done * 99 / 100]);
    }
    for (int c = 0; c < connections; c++) folio_free(ctx[c]);
    for (int b = 0; b < id_count; b++) free(bodies[b].bytes);
    if (ids != argv + i) {
        for (int k = 0; k < id_count; k++) free(ids[k]);
        free(ids);
    }
    free(bodies); free(latencies); free(ctx); free(fds); free(started); free(next_id);
    return rc;
}
