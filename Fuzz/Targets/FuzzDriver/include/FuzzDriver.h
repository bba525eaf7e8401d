#ifndef FOLIO_FUZZ_DRIVER_H
#define FOLIO_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/* SwiftPM links an executable target's entry point as <Target>_main; each fuzz target defines it
 * and hands control to libFuzzer's driver with its test function. */
int folio_fuzz_run(int argc, char **argv, int (*test)(const uint8_t *data, size_t size));

#endif
