import Foundation
import NIOConcurrencyHelpers

/// A gate the test opens once it has seen what it waits for; until then `wait` blocks. A test that
/// never opens it is released after `limit` seconds, so a failing test cannot hang the run.
public final class Gate: Sendable {
    private let state = ConditionLock(value: false)
    public let limit: TimeInterval

    public init(limit: TimeInterval = 60) {
        self.limit = limit
    }

    public func open() {
        state.lock()
        state.unlock(withValue: true)
    }

    public func wait() {
        if state.lock(whenValue: true, timeoutSeconds: limit) { state.unlock() }
    }
}
