import FolioWire
import NIOConcurrencyHelpers

/// A stop asked while a load parses (SIGTERM, SIGINT): the load gives up between two pages rather
/// than parse the rest for a corpus nobody will be served, and installs nothing. Never cleared: a
/// store whose daemon stops loads nothing more. The page files are untouched, so nothing is lost.
final class LoadStop: Sendable {
    private let asked = NIOLockedValueBox(false)
    /// Loads (start-up or reload) under way, holding the write lock or waiting for it.
    private let loads = NIOLockedValueBox(0)

    var isAsked: Bool { asked.withLockedValue { $0 } }
    var isLoading: Bool { loads.withLockedValue { $0 > 0 } }

    func ask() { asked.withLockedValue { $0 = true } }

    /// Runs a load, counted in `isLoading`.
    func loading<T>(_ body: () throws -> T) rethrows -> T {
        loads.withLockedValue { $0 += 1 }
        defer { loads.withLockedValue { $0 -= 1 } }
        return try body()
    }

    /// Throws `abandoned` once a stop was asked; `parsed` of `pages` say how far the load got.
    func check(parsed: Int = 0, of pages: Int? = nil) throws {
        guard isAsked else { return }
        throw Self.abandoned(parsed: parsed, of: pages)
    }

    /// What a load abandoned for a stop throws (a Reload call in flight is answered with it).
    static func abandoned(parsed: Int, of pages: Int?) -> StatusError {
        let progress = pages.map { " after parsing \(parsed) of \($0) pages" } ?? ""
        return StatusError(.unavailable, "foliod is stopping: the load was abandoned\(progress); the page files are untouched")
    }
}

extension ArchiveStore {
    /// foliod stops: a load under way gives up between two pages and throws UNAVAILABLE "foliod is
    /// stopping" with nothing installed (the corpus served stays as it was), no load starts any
    /// more, and a background snapshot write not yet begun is dropped (a drain writes one anyway,
    /// `flushSnapshot`; a stop during the start-up load writes none).
    public func abandonLoads() {
        stop.ask()
        schedule.withLockedValue { $0.pending?.cancel() }
    }

    /// True once `abandonLoads` was called.
    public var loadsAbandoned: Bool { stop.isAsked }

    /// True while a load (start-up or reload) runs or waits for the write lock.
    public var isLoading: Bool { stop.isLoading }
}
