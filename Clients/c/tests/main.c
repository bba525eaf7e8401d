/* libfolio tests: golden frame vectors (no daemon) then the live tests against a real foliod. */
#include <stdlib.h>

#include "check.h"

int check_passed, check_failed;

int main(void) {
    run_unit_tests();
    const char *manifest = getenv("FOLIO_VECTORS"), *frames = getenv("FOLIO_FRAMES_DIR"), *foliod = getenv("FOLIOD");
    if (!manifest || !frames) {
        printf("set FOLIO_VECTORS and FOLIO_FRAMES_DIR (make test does)\n");
        check_failed++;
    } else {
        run_vector_tests(manifest, frames);
    }
    run_live_tests(foliod);
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}
