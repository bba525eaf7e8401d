// The prefetch hint is a header-only inline function; SwiftPM wants a source file per C target.
#include "folio_prefetch.h"
