#ifndef FOLIO_PREFETCH_H
#define FOLIO_PREFETCH_H

/// A hint that `address` is read soon: the line is fetched into the cache without the load
/// waiting for it (Swift has no prefetch of its own). The tagger asks for its table rows a few
/// characters ahead, so that their misses overlap instead of stalling one after another.
static inline void folio_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
