#include "FuzzDriver.h"

/* libFuzzer's entry for programs that have their own main (compiler-rt, FuzzerDriver.cpp). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *data, size_t size));

int folio_fuzz_run(int argc, char **argv, int (*test)(const uint8_t *data, size_t size)) {
    return LLVMFuzzerRunDriver(&argc, &argv, test);
}
