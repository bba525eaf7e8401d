import FolioModel
import FolioStore
import FolioWire
import NIOConcurrencyHelpers

/// Daemon-wide bound on blocking calls waiting for a worker thread (NIOThreadPool's own queue
/// is unbounded): how many, and how many request bytes they hold. A call beyond either bound
/// is refused with RESOURCE_EXHAUSTED instead of queueing memory without limit.
final class WorkQueue: Sendable {
    private struct Budget {
        var jobs = 0
        var bytes = 0
    }
    private let budget = NIOLockedValueBox(Budget())
    let maxJobs: Int
    let maxBytes: Int

    init(maxJobs: Int, maxBytes: Int) {
        self.maxJobs = maxJobs
        self.maxBytes = maxBytes
    }

    /// Admits `work` holding `bytes` of request data, or says why not.
    func admit(bytes: Int, _ work: @escaping @Sendable () throws -> CallReply) -> Result<QueuedWork, StatusError> {
        let admitted = budget.withLockedValue { b -> StatusError? in
            if b.jobs >= maxJobs {
                return StatusError(.resourceExhausted, "foliod is busy: \(b.jobs) calls are waiting for a worker (limit \(maxJobs))")
            }
            if b.bytes > 0 && b.bytes + bytes > maxBytes {
                return StatusError(.resourceExhausted, "foliod is busy: \(b.bytes) bytes of requests are waiting for a worker (limit \(maxBytes))")
            }
            b.jobs += 1
            b.bytes += bytes
            return nil
        }
        if let admitted { return .failure(admitted) }
        return .success(QueuedWork(work, bytes: bytes, queue: self))
    }

    fileprivate func release(bytes: Int) {
        budget.withLockedValue {
            $0.jobs -= 1
            $0.bytes -= bytes
        }
    }

    /// Calls waiting and the bytes they hold (for Stats and tests).
    var waiting: (jobs: Int, bytes: Int) { budget.withLockedValue { ($0.jobs, $0.bytes) } }
}

/// One admitted call's work. It holds the closure (and the request body the closure captured)
/// until a worker takes it or the call ends first (cancel, deadline, closed connection):
/// whichever comes first frees the body and the budget at once.
final class QueuedWork: Sendable {
    private let work: NIOLockedValueBox<(@Sendable () throws -> CallReply)?>
    private let bytes: Int
    private let queue: WorkQueue

    fileprivate init(_ work: @escaping @Sendable () throws -> CallReply, bytes: Int, queue: WorkQueue) {
        self.work = NIOLockedValueBox(work)
        self.bytes = bytes
        self.queue = queue
    }

    /// The work, once: nil when the call already ended.
    func take() -> (@Sendable () throws -> CallReply)? {
        let taken = work.withLockedValue { w -> (@Sendable () throws -> CallReply)? in
            defer { w = nil }
            return w
        }
        if taken != nil { queue.release(bytes: bytes) }
        return taken
    }

    /// The call ended before a worker got to it: drop the work and what it holds.
    func drop() {
        _ = take()
    }
}
