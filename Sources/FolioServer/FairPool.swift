import FolioWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Worker threads that take turns among local users: each uid's calls run in the order they came,
/// and the uids with calls waiting are served round robin. One user's queue of slow calls (hundreds
/// of pipelined parses or searches) then delays another user's call by about one call, not by the
/// whole queue, which a plain FIFO pool would make them wait behind.
///
/// One uid also runs at most `perUID` calls at once. With more threads than that (the daemon has
/// half as many again as cores, and as many as cores per uid), a user alone still gets every core,
/// and a call from another user starts at once instead of waiting for one of the first user's slow
/// calls to end.
final class FairPool: Sendable {
    private typealias Job = @Sendable (_ active: Bool) -> Void
    private struct Turns {
        var waiting: [UInt32: [Job]] = [:]
        /// The uids with calls waiting, the next to be served first.
        var order: [UInt32] = []
        var running: [UInt32: Int] = [:]
        /// Submissions that found every waiting uid at its cap: handed back to the threads as
        /// running calls end (there is always one submission per waiting call).
        var deferred = 0
    }
    private let threads: NIOThreadPool
    private let perUID: Int
    private let turns = NIOLockedValueBox(Turns())

    init(threads: NIOThreadPool, perUID: Int = .max) {
        self.threads = threads
        self.perUID = max(1, perUID)
    }

    /// Runs `body` on a worker when `uid`'s turn comes; fails with UNAVAILABLE once the pool stops.
    func run<T: Sendable>(for uid: UInt32, on eventLoop: EventLoop,
                          _ body: @escaping @Sendable () throws -> T) -> EventLoopFuture<T> {
        let promise = eventLoop.makePromise(of: T.self)
        let job: Job = { active in
            guard active else { return promise.fail(StatusError(.unavailable, "foliod is stopping")) }
            promise.completeWith(Result { try body() })
        }
        turns.withLockedValue { turns in
            if turns.waiting[uid] == nil { turns.order.append(uid) }
            turns.waiting[uid, default: []].append(job)
        }
        submit()
        return promise.futureResult
    }

    /// One submission per call: whichever thread takes it runs the call whose turn it is.
    private func submit() {
        threads.submit { state in self.take(active: state == .active) }
    }

    private func take(active: Bool) {
        guard active else { return failWaiting() }
        guard let (uid, job) = next() else { return }
        job(true)
        finished(uid)
    }

    /// A stopping pool fails every waiting call, those held back by their uid's cap too (their
    /// submissions may never come back to a thread).
    private func failWaiting() {
        let jobs = turns.withLockedValue { turns -> [Job] in
            let jobs = turns.order.flatMap { turns.waiting[$0] ?? [] }
            turns.waiting = [:]
            turns.order = []
            turns.deferred = 0
            return jobs
        }
        for job in jobs { job(false) }
    }

    private func next() -> (UInt32, Job)? {
        turns.withLockedValue { turns in
            let perUID = self.perUID
            guard let index = turns.order.firstIndex(where: { turns.running[$0, default: 0] < perUID }) else {
                if !turns.order.isEmpty { turns.deferred += 1 }
                return nil
            }
            let uid = turns.order.remove(at: index)
            guard var jobs = turns.waiting.removeValue(forKey: uid) else { return nil }
            let job = jobs.removeFirst()
            if !jobs.isEmpty {
                turns.waiting[uid] = jobs
                turns.order.append(uid)
            }
            turns.running[uid, default: 0] += 1
            return (uid, job)
        }
    }

    private func finished(_ uid: UInt32) {
        let resubmit = turns.withLockedValue { turns -> Bool in
            let left = turns.running[uid, default: 1] - 1
            turns.running[uid] = left > 0 ? left : nil
            guard turns.deferred > 0 else { return false }
            turns.deferred -= 1
            return true
        }
        if resubmit { submit() }
    }
}
