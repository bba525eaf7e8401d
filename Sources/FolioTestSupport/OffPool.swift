import Foundation

/// Runs blocking work (a child process, a blocking client, `recv`) on a thread of its own. Tests
/// run on Swift's cooperative pool (one thread per core: two here), and so do an in-process
/// daemon's async calls: a test blocking one of those threads stalls every suite beside it.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
