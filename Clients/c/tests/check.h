/* A tiny test harness: CHECK counts passes and failures; main prints "N passed, N failed". */
#ifndef FOLIO_CHECK_H
#define FOLIO_CHECK_H
#include <stdio.h>

extern int check_passed, check_failed;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (cond) check_passed++;                                         \
        else {                                                            \
            check_failed++;                                               \
            printf("  FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);      \
            printf(__VA_ARGS__);                                          \
            printf("\n");                                                 \
        }                                                                 \
    } while (0)

void run_vector_tests(const char *manifest, const char *frames_dir);
void run_live_tests(const char *foliod);
void run_unit_tests(void);

#endif
