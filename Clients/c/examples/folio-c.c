/* folio-c: a small example client on libfolio.
 *   folio-c [--socket PATH] [--timeout MS] search QUERY [LIMIT]
 *   folio-c [--socket PATH] get ARTICLE_ID
 *   folio-c [--socket PATH] health
 *   folio-c [--socket PATH] --version
 * Arguments too many are a usage error.
 * Exit codes: 0 ok, 1 usage, 2 not found, 3 cannot connect, 4 other error (also output that
 * cannot be written), 5 not serving, 6 deadline exceeded (as `folio`). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "folio.h"

#define USAGE "usage: folio-c [--socket PATH] [--timeout MS] search QUERY [LIMIT] | get ARTICLE_ID | health | --version\n"

static int usage(void) {
    fputs(USAGE, stderr);
    return 1;
}

static int fail(folio_ctx *c, const char *what) {
    fprintf(stderr, "folio-c: %s: %s\n", what, c->errstr);
    if (c->status == FOLIO_STATUS_NOT_FOUND) return 2;
    return c->status == FOLIO_STATUS_DEADLINE_EXCEEDED ? 6 : 4;
}

/* A whole number from `least` to `most` written in decimal digits only (no sign, no spaces). */
static int parse_number(const char *s, unsigned long least, unsigned long most, unsigned *out) {
    if (*s == '\0' || strspn(s, "0123456789") != strlen(s)) return 0;
    errno = 0;
    unsigned long v = strtoul(s, NULL, 10);
    if (errno != 0 || v < least || v > most) return 0;
    *out = (unsigned)v;
    return 1;
}

/* Prints a snippet with its highlights in [brackets]; offsets count Unicode scalars. */
static void print_snippet(const Folio__V1__SearchHit *hit) {
    const unsigned char *s = (const unsigned char *)hit->snippet;
    size_t scalar = 0;
    for (; *s; scalar++) {
        for (size_t h = 0; h < hit->n_highlights; h++)
            if (hit->highlights[h]->start == scalar) putchar('[');
        int n = *s >= 0xF0 ? 4 : *s >= 0xE0 ? 3 : *s >= 0xC0 ? 2 : 1;
        for (int i = 0; i < n && *s; i++) putchar(*s++);
        for (size_t h = 0; h < hit->n_highlights; h++)
            if (hit->highlights[h]->end == scalar + 1) putchar(']');
    }
    putchar('\n');
}

static int cmd_search(folio_ctx *c, const char *query, unsigned limit) {
    Folio__V1__SearchRequest req = FOLIO__V1__SEARCH_REQUEST__INIT;
    req.query = (char *)query;
    req.limit = limit;
    Folio__V1__SearchResponse *res;
    if (folio_search(c, &req, &res) != FOLIO_OK) return fail(c, "search");
    printf("%u hits (%llu µs)\n", res->total, (unsigned long long)res->took_micros);
    for (size_t i = 0; i < res->n_hits; i++) {
        const Folio__V1__SearchHit *hit = res->hits[i];
        printf("%2zu. %-22s %7.3f  %s  %s\n    ", i + 1, hit->article_id, hit->score, hit->date, hit->headline);
        print_snippet(hit);
    }
    folio_message_free(res);
    return 0;
}

static int cmd_get(folio_ctx *c, const char *id) {
    Folio__V1__GetArticleRequest req = FOLIO__V1__GET_ARTICLE_REQUEST__INIT;
    req.article_id = (char *)id;
    Folio__V1__Article *a;
    if (folio_get_article(c, &req, &a) != FOLIO_OK) return fail(c, "get");
    printf("%s\n", a->headline);
    if (*a->subtitle) printf("——%s\n", a->subtitle);
    for (size_t i = 0; i < a->n_bylines; i++) printf("%s %s\n", a->bylines[i]->role, a->bylines[i]->name);
    printf("[%s %s, lines %u-%u]\n\n", a->page_id, a->date, a->lines ? a->lines->first : 0, a->lines ? a->lines->last : 0);
    for (size_t i = 0; i < a->n_lead; i++) printf("  %s\n", a->lead[i]->text);
    for (size_t i = 0; i < a->n_body; i++) printf("%s\n", a->body[i]->text);
    folio_message_free(a);
    return 0;
}

static int cmd_health(folio_ctx *c) {
    Folio__V1__HealthResponse *h;
    if (folio_health(c, NULL, &h) != FOLIO_OK) return fail(c, "health");
    int serving = h->status == FOLIO__V1__HEALTH_RESPONSE__SERVING_STATUS__SERVING_STATUS_SERVING;
    printf("%s: %u pages, %u articles\n", serving ? "serving" : "not serving", h->pages, h->articles);
    folio_message_free(h);
    return serving ? 0 : 5;
}

int main(int argc, char **argv) {
    const char *socket_path = NULL;
    unsigned timeout_ms = 10000;
    int i = 1;
    if (argc == 2 && strcmp(argv[1], "--version") == 0) return puts("folio-c " FOLIO_VERSION " (libfolio, protocol 1)"), 0;
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) return fputs(USAGE, stdout), 0;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        /* --version last, after options (a wrapper that always passes --socket) */
        if (strcmp(argv[i], "--version") == 0 && i + 1 == argc) return puts("folio-c " FOLIO_VERSION " (libfolio, protocol 1)"), 0;
        if (i + 1 == argc) return usage();
        if (strcmp(argv[i], "--socket") == 0) socket_path = argv[i + 1];
        else if (strcmp(argv[i], "--timeout") == 0) {
            if (!parse_number(argv[i + 1], 0, 86400000, &timeout_ms)) {
                fprintf(stderr, "folio-c: --timeout takes milliseconds, 0 to 86400000 (0: none)\n");
                return usage();
            }
        } else return usage();
    }
    if (i >= argc) return usage();
    const char *cmd = argv[i];
    unsigned limit = 10;
    if (strcmp(cmd, "search") == 0 && i + 2 < argc && !parse_number(argv[i + 2], 1, 1000, &limit)) {
        fprintf(stderr, "folio-c: LIMIT is a number of hits, 1 to 1000\n");
        return usage();
    }
    /* The command and its arguments are checked before connecting: a typo must not read as a daemon that
     * is down, and an argument too many (a second id) must not be left unlooked-up behind an exit 0. */
    int args = argc - i - 1;
    int known = strcmp(cmd, "search") == 0 ? args == 1 || args == 2
              : strcmp(cmd, "get") == 0 ? args == 1 : strcmp(cmd, "health") == 0 && args == 0;
    if (!known) return usage();
    /* The deadline covers connecting too: a foliod that never accepts (its queue of new connections
     * full, or hung) must not hang the command. The call gets what is left of it. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    folio_ctx *c = folio_connect_timeout(socket_path, (int)timeout_ms);
    if (c == NULL) return 4;
    if (c->err) {
        fprintf(stderr, "folio-c: %s\n", c->errstr);
        folio_free(c);
        return 3;
    }
    if (timeout_ms) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long long spent = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000;
        timeout_ms = spent < timeout_ms ? timeout_ms - (unsigned)spent : 1;
    }
    folio_set_timeout(c, timeout_ms);
    int rc;
    if (strcmp(cmd, "search") == 0 && i + 1 < argc)
        rc = cmd_search(c, argv[i + 1], limit);
    else if (strcmp(cmd, "get") == 0 && i + 1 < argc) rc = cmd_get(c, argv[i + 1]);
    else rc = cmd_health(c);
    folio_free(c);
    /* Output that could not be written (a full disk) is a failure, not an exit 0 over a cut file. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno == EPIPE) return rc; /* the reader went away (| head): nothing to say it to */
        fprintf(stderr, "folio-c: standard output: write failed (%s)\n", strerror(errno));
        return 4;
    }
    return rc;
}
