import FolioWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import FolioServer

/// Local users take turns on the workers: one user's queue does not hold another's call up.
@Suite struct FairPoolTests {
    static func pool(threads count: Int, perUID: Int = .max) -> (NIOThreadPool, EventLoopGroup, FairPool, EventLoop) {
        let threads = NIOThreadPool(numberOfThreads: count)
        threads.start()
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        return (threads, loops, FairPool(threads: threads, perUID: perUID), loops.next())
    }

    @Test func aSecondUserIsServedAfterOneCallNotTheWholeQueue() async throws {
        let (threads, loops, pool, loop) = Self.pool(threads: 1)
        let ran = NIOLockedValueBox<[String]>([])
        let started = NIOLockedValueBox(false), release = NIOLockedValueBox(false)
        // The only thread is busy with uid 1's first call while the others arrive.
        let first = pool.run(for: 1, on: loop) {
            started.withLockedValue { $0 = true }
            while !release.withLockedValue({ $0 }) { usleep(1000) }
            ran.withLockedValue { $0.append("a0") }
        }
        while !started.withLockedValue({ $0 }) { try await Task.sleep(nanoseconds: 1_000_000) }
        var rest = (1...5).map { number in pool.run(for: 1, on: loop) { ran.withLockedValue { $0.append("a\(number)") } } }
        rest.append(pool.run(for: 2, on: loop) { ran.withLockedValue { $0.append("b1") } })
        release.withLockedValue { $0 = true }
        try await first.get()
        for future in rest { try await future.get() }
        #expect(ran.withLockedValue { $0 } == ["a0", "a1", "b1", "a2", "a3", "a4", "a5"])
        try await threads.shutdownGracefully()
        // A stopped pool answers UNAVAILABLE instead of dropping the call.
        await #expect(throws: StatusError(.unavailable, "foliod is stopping")) {
            try await pool.run(for: 1, on: loop) { 1 }.get()
        }
        try await loops.shutdownGracefully()
    }

    @Test func oneUserRunsAtMostItsShareAndAnotherStartsAtOnce() async throws {
        let (threads, loops, pool, loop) = Self.pool(threads: 2, perUID: 1)
        let running = NIOLockedValueBox(0), most = NIOLockedValueBox(0), release = NIOLockedValueBox(false)
        // uid 1's calls hold their thread until released; it may run one at a time.
        let held = (0..<3).map { _ in
            pool.run(for: 1, on: loop) {
                let now = running.withLockedValue { $0 += 1; return $0 }
                most.withLockedValue { $0 = max($0, now) }
                while !release.withLockedValue({ $0 }) { usleep(1000) }
                running.withLockedValue { $0 -= 1 }
            }
        }
        while running.withLockedValue({ $0 }) == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
        // uid 2's call runs on the second thread while uid 1's first call still holds the first.
        try await pool.run(for: 2, on: loop) {}.get()
        #expect(running.withLockedValue { $0 } == 1)
        release.withLockedValue { $0 = true }
        for future in held { try await future.get() }
        #expect(most.withLockedValue { $0 } == 1)
        try await threads.shutdownGracefully()
        try await loops.shutdownGracefully()
    }

    @Test func aStoppingPoolFailsTheCallsHeldBackByTheirUsersCap() async throws {
        let (threads, loops, pool, loop) = Self.pool(threads: 2, perUID: 1)
        let started = NIOLockedValueBox(false), release = NIOLockedValueBox(false)
        let first = pool.run(for: 1, on: loop) {
            started.withLockedValue { $0 = true }
            while !release.withLockedValue({ $0 }) { usleep(1000) }
        }
        while !started.withLockedValue({ $0 }) { try await Task.sleep(nanoseconds: 1_000_000) }
        // Held back: uid 1 runs its one call.
        let held = (0..<2).map { number in pool.run(for: 1, on: loop) { number } }
        let stopped = loop.makePromise(of: Void.self)
        threads.shutdownGracefully { _ in stopped.succeed() }
        release.withLockedValue { $0 = true }
        try await first.get()
        try await stopped.futureResult.get()
        for future in held {
            await #expect(throws: StatusError(.unavailable, "foliod is stopping")) { try await future.get() }
        }
        try await loops.shutdownGracefully()
    }
}
