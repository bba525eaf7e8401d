#ifndef FOLIO_PREFETCH_H
#define FOLIO_PREFETCH_H

/// Asks the CPU to start loading the cache line at `address` (a hint: never faults, may be ignored).
/// The index build looks up terms in tables larger than the cache; issuing the next lookups' loads
/// early overlaps their misses instead of paying them one after another.
static inline void folio_prefetch(const void *address) {
    __builtin_prefetch(address);
}

#endif
