#include "check.h"
void run_live_tests(const char *foliod) { (void)foliod; }
