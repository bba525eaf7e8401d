import FolioModel
import FolioStore
import FolioWire
import NIOConcurrencyHelpers

/// Daemon-wide bound on blocking calls waiting for a worker thread (NIOThreadPool's own queue
/// is unbounded): how many, and how many request bytes they hold. A call beyond either bound
/// is refused with RESOURCE_EXHAUSTED instead of queueing memory without limit. One uid may hold
/// half of either, so that another user's call always finds room.
final class WorkQueue: Sendable {
    private struct Budget {
        var jobs = 0
        var bytes = 0
    }
    private struct Budgets {
        var all = Budget()
        var byUID: [UInt32: Budget] = [:]
    }
    private let budget = NIOLockedValueBox(Budgets())
    let maxJobs: Int
    let maxBytes: Int

    init(maxJobs: Int, maxBytes: Int) {
        self.maxJobs = maxJobs
        self.maxBytes = maxBytes
    }

    /// Admits `work` of a peer of `uid` holding `bytes` of request data, or says why not.
    func admit(bytes: Int, uid: UInt32 = .max, _ work: @escaping @Sendable () throws -> CallReply) -> Result<QueuedWork, StatusError> {
        let admitted = budget.withLockedValue { b -> StatusError? in
            let mine = b.byUID[uid, default: Budget()]
            if b.all.jobs >= maxJobs {
                return StatusError(.resourceExhausted, "foliod is busy: \(b.all.jobs) calls are waiting for a worker (limit \(maxJobs))")
            }
            if b.all.bytes > 0 && b.all.bytes + bytes > maxBytes {
                return StatusError(.resourceExhausted, "foliod is busy: \(b.all.bytes) bytes of requests are waiting for a worker (limit \(maxBytes))")
            }
            if mine.jobs >= max(1, maxJobs / 2) || (mine.bytes > 0 && mine.bytes + bytes > maxBytes / 2) {
                return StatusError(.resourceExhausted, "uid \(uid) has \(mine.jobs) calls (\(mine.bytes) bytes) waiting for a worker: half of foliod's queue")
            }
            b.all.jobs += 1
            b.all.bytes += bytes
            b.byUID[uid] = Budget(jobs: mine.jobs + 1, bytes: mine.bytes + bytes)
            return nil
        }
        if let admitted { return .failure(admitted) }
        return .success(QueuedWork(work, bytes: bytes, uid: uid, queue: self))
    }

    fileprivate func release(bytes: Int, uid: UInt32) {
        budget.withLockedValue {
            $0.all.jobs -= 1
            $0.all.bytes -= bytes
            let mine = $0.byUID[uid, default: Budget()]
            $0.byUID[uid] = mine.jobs > 1 ? Budget(jobs: mine.jobs - 1, bytes: mine.bytes - bytes) : nil
        }
    }

    /// Calls waiting and the bytes they hold (for Stats and tests).
    var waiting: (jobs: Int, bytes: Int) { budget.withLockedValue { ($0.all.jobs, $0.all.bytes) } }
}

/// One admitted call's work. It holds the closure (and the request body the closure captured)
/// until a worker takes it or the call ends first (cancel, deadline, closed connection):
/// whichever comes first frees the body and the budget at once.
final class QueuedWork: Sendable {
    private let work: NIOLockedValueBox<(@Sendable () throws -> CallReply)?>
    private let bytes: Int
    private let uid: UInt32
    private let queue: WorkQueue

    fileprivate init(_ work: @escaping @Sendable () throws -> CallReply, bytes: Int, uid: UInt32, queue: WorkQueue) {
        self.work = NIOLockedValueBox(work)
        self.bytes = bytes
        self.uid = uid
        self.queue = queue
    }

    /// The work, once: nil when the call already ended.
    func take() -> (@Sendable () throws -> CallReply)? {
        let taken = work.withLockedValue { w -> (@Sendable () throws -> CallReply)? in
            defer { w = nil }
            return w
        }
        if taken != nil { queue.release(bytes: bytes, uid: uid) }
        return taken
    }

    /// The call ended before a worker got to it: drop the work and what it holds.
    func drop() {
        _ = take()
    }
}
