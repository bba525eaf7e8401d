#ifndef FOLIO_BUILD_INFO_H
#define FOLIO_BUILD_INFO_H

/// The git commit the binaries were built from ("unknown" when the build had no git checkout).
const char *folio_build_git_commit(void);

#endif
