import FolioWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Worker threads that take turns among local users: each uid's calls run in the order they came,
/// and the uids with calls waiting are served round robin. One user's queue of slow calls (hundreds
/// of pipelined parses or searches) then delays another user's call by about one call, not by the
/// whole queue, which a plain FIFO pool would make them wait behind.
final class FairPool: Sendable {
    private typealias Job = @Sendable (_ active: Bool) -> Void
    private struct Turns {
        var waiting: [UInt32: [Job]] = [:]
        /// The uids with calls waiting, the next to be served first.
        var order: [UInt32] = []
    }
    private let threads: NIOThreadPool
    private let turns = NIOLockedValueBox(Turns())

    init(threads: NIOThreadPool) {
        self.threads = threads
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
        // One submission per job: whichever thread takes it runs the job whose turn it is.
        threads.submit { state in self.next()?(state == .active) }
        return promise.futureResult
    }

    private func next() -> Job? {
        turns.withLockedValue { turns in
            guard !turns.order.isEmpty, case let uid = turns.order.removeFirst(),
                  var jobs = turns.waiting.removeValue(forKey: uid) else { return nil }
            let job = jobs.removeFirst()
            if !jobs.isEmpty {
                turns.waiting[uid] = jobs
                turns.order.append(uid)
            }
            return job
        }
    }
}
