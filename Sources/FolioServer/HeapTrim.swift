import Foundation

/// glibc keeps memory freed by the worker and event-loop threads in their own arenas, and
/// returns an arena's pages to the system only from its top (a `malloc_trim` taken into a daemon
/// under `folio-bench load` gave back 178 → 134 MB). `malloc_trim(0)` hands every arena's free
/// pages back. It is looked up at run time: Swift's Glibc module does not export it, and a C
/// library without it (musl) simply does without.
enum HeapTrim {
    private typealias Trim = @convention(c) (Int) -> Int32
    private static let trim: Trim? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
    }()

    static var isAvailable: Bool { trim != nil }

    /// Returns free heap pages to the system; true when some were released.
    @discardableResult
    static func releaseFreePages() -> Bool {
        (trim?(0) ?? 0) != 0
    }
}
