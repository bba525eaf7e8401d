#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// glibc's heap, tuned and trimmed. Both calls are looked up at run time: Swift's Glibc module
/// exports neither, and a C library without them (musl) simply does without.
package enum Heap {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? { dlsym(dlopen(nil, RTLD_NOW), name) }

    private static let trim: Trim? = symbol("malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
    private static let option: Option? = symbol("mallopt").map { unsafeBitCast($0, to: Option.self) }

    package static var canTrim: Bool { trim != nil }

    /// Hands every arena's free pages back to the system (glibc keeps memory freed by worker and
    /// event-loop threads in their arenas, and returns an arena's pages only from its top); true
    /// when some were released.
    @discardableResult
    package static func releaseFreePages() -> Bool {
        (trim?(0) ?? 0) != 0
    }

    /// Allocations of at least `bytes` get mappings of their own, given back whole when freed.
    /// glibc's threshold otherwise rises with every large block freed (up to 32 MiB), and from then
    /// on the large, short-lived arrays of a start-up (a shard's postings, its tables) are carved
    /// from arenas that keep their pages: a fixed threshold keeps them out of the peak.
    /// False when glibc refused the value or there is no `mallopt`.
    @discardableResult
    package static func mapAllocations(atLeast bytes: Int) -> Bool {
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        return (option?(mmapThreshold, Int32(clamping: bytes)) ?? 0) == 1
    }
}
