#ifndef FOLIO_TEST_DAEMON_H
#define FOLIO_TEST_DAEMON_H
#include <sys/types.h>

typedef struct {
    pid_t pid;
    char dir[64], socket[96], data[96], log[96];
} daemon_t;

/* Starts `foliod --socket DIR/foliod.sock --data DIR/data [extra_args...]` and waits until Health says
 * SERVING. 0 on success; -1 (daemon stopped, log kept) otherwise. */
int daemon_start(daemon_t *d, const char *foliod, const char *const *extra_args);
/* SIGTERM (SIGKILL after 10 s), then removes the temporary directory. */
void daemon_stop(daemon_t *d);
void daemon_print_log(const daemon_t *d);
#endif
