// The commit arrives as a C define from Package.swift (FOLIO_GIT_COMMIT, a bare token such as
// 1a2b3c4 or 1a2b3c4-dirty): Swift has no valued defines, C does. Without it: "unknown".
#include "folio_build_info.h"

#define FOLIO_STRINGIFY_(token) #token
#define FOLIO_STRINGIFY(token) FOLIO_STRINGIFY_(token)

#ifdef FOLIO_GIT_COMMIT
static const char commit[] = FOLIO_STRINGIFY(FOLIO_GIT_COMMIT);
#else
static const char commit[] = "unknown";
#endif

const char *folio_build_git_commit(void) { return commit; }
