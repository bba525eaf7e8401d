import Foundation

/// A gate the test opens once it has seen what it waits for; until then `wait` blocks. A test that
/// never opens it is released after `limit` seconds, so a failing test cannot hang the run.
// Unchecked: every stored property is either immutable or read and written under `condition`.
public final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false
    public let limit: TimeInterval

    public init(limit: TimeInterval = 60) {
        self.limit = limit
    }

    public func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }

    public func wait() {
        let deadline = Date().addingTimeInterval(limit)
        condition.lock()
        while !isOpen && condition.wait(until: deadline) {}
        condition.unlock()
    }
}
