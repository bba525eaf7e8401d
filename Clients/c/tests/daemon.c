/* Starts a real foliod for the live tests: temporary socket and data dir, waits until it is serving. */
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "folio.h"

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int daemon_start(daemon_t *d, const char *foliod, const char *const *extra_args) {
    memset(d, 0, sizeof *d);
    snprintf(d->dir, sizeof d->dir, "/tmp/folio-c-XXXXXX");
    if (mkdtemp(d->dir) == NULL) return -1;
    snprintf(d->socket, sizeof d->socket, "%s/foliod.sock", d->dir);
    snprintf(d->data, sizeof d->data, "%s/data", d->dir);
    snprintf(d->log, sizeof d->log, "%s/foliod.log", d->dir);
    mkdir(d->data, 0700);
    const char *argv[24] = {foliod, "--socket", d->socket, "--data", d->data};
    int argc = 5;
    for (int i = 0; extra_args && extra_args[i] && argc < 22; i++) argv[argc++] = extra_args[i];
    argv[argc] = NULL;
    d->pid = fork();
    if (d->pid < 0) return -1;
    if (d->pid == 0) {
        int fd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) { dup2(fd, 1); dup2(fd, 2); close(fd); }
        execv(foliod, (char *const *)argv);
        _exit(127);
    }
    for (int waited = 0; waited < 60000; waited += 50) {  /* a debug foliod under load may take a while */
        int st;
        if (waitpid(d->pid, &st, WNOHANG) == d->pid) { d->pid = 0; return -1; }
        folio_ctx *c = folio_connect(d->socket);
        if (c && c->err == FOLIO_OK) {
            folio_set_timeout(c, 2000);
            Folio__V1__HealthResponse *h = NULL;
            int ok = folio_health(c, NULL, &h) == FOLIO_OK &&
                     h->status == FOLIO__V1__HEALTH_RESPONSE__SERVING_STATUS__SERVING_STATUS_SERVING;
            folio_message_free(h);
            folio_free(c);
            if (ok) return 0;
        } else {
            folio_free(c);
        }
        sleep_ms(50);
    }
    return -1;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    return remove(path);
}

void daemon_stop(daemon_t *d) {
    if (d->pid > 0) {
        kill(d->pid, SIGTERM);
        int st, waited = 0;
        while (waitpid(d->pid, &st, WNOHANG) == 0) {
            if (waited >= 10000) { kill(d->pid, SIGKILL); waitpid(d->pid, &st, 0); break; }
            sleep_ms(20);
            waited += 20;
        }
        d->pid = 0;
    }
    if (d->dir[0]) nftw(d->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    d->dir[0] = '\0';
}

void daemon_print_log(const daemon_t *d) {
    FILE *f = fopen(d->log, "r");
    if (f == NULL) return;
    char line[512];
    printf("  --- foliod log (%s) ---\n", d->log);
    for (int i = 0; i < 40 && fgets(line, sizeof line, f); i++) printf("  | %s", line);
    fclose(f);
}
