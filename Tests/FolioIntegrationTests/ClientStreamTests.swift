import FolioClient
import FolioModel
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// How the Swift client ends calls that do not run to their end: a cancelled stream, a deadline
/// while the call waits for a slot. foliod is stopped (SIGSTOP) so that nothing arrives meanwhile.
@Suite("FolioClient: cancelled streams and queued deadlines", .serialized)
struct ClientStreamTests {
    @Test("Cancelling the task that iterates an export throws CANCELLED; it no longer ends as if complete")
    func cancelledStreamThrows() async throws {
        try await withDaemon { daemon, client in
            _ = try await client.ingest(TestPages.seedRequest())
            let pid = try #require(daemon.process?.processIdentifier)
            kill(pid, SIGSTOP)
            defer { kill(pid, SIGCONT) }
            let export = Task {
                var seen = 0
                do {
                    for try await _ in client.exportArticles() { seen += 1 }
                    return "ended without an error after \(seen) articles"
                } catch let error as FolioError {
                    return error.code == .cancelled && error.kind == .local ? "cancelled" : "\(error)"
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            export.cancel()
            #expect(try await export.value == "cancelled")
        }
    }

    @Test("A call's deadline runs while it waits for one of the client's call slots")
    func deadlineWhileQueued() async throws {
        try await withDaemon { daemon, _ in
            let client = FolioClient(socketPath: daemon.socketPath, configuration: .init(defaultTimeout: nil, maxCallsInFlight: 2))
            defer { client.close() }
            _ = try await client.health()
            let pid = try #require(daemon.process?.processIdentifier)
            kill(pid, SIGSTOP)
            defer { kill(pid, SIGCONT) }
            let holders = (0..<2).map { _ in Task { _ = try? await client.stats() } }  // no deadline: they wait
            try await Task.sleep(for: .milliseconds(200))
            let start = ContinuousClock.now
            do {
                _ = try await client.health(options: .init(timeout: .seconds(1)))
                Issue.record("a call to a stopped daemon answered")
            } catch let error as FolioError {
                #expect(error.code == .deadlineExceeded && error.kind == .local)
            }
            #expect(ContinuousClock.now - start < .seconds(4))
            var hits = 0
            do {
                for try await _ in client.exportArticles(options: .init(timeout: .seconds(1))) { hits += 1 }
                Issue.record("an export from a stopped daemon ended after \(hits) articles")
            } catch let error as FolioError {
                #expect(error.code == .deadlineExceeded)
            }
            holders.forEach { $0.cancel() }
        }
    }
}

@Suite("FolioBlockingClient: reconnecting")
struct BlockingClientReconnectTests {
    @Test("A call after foliod closed the idle connection reconnects instead of failing")
    func callAfterIdleTimeout() async throws {
        try await withDaemon(arguments: ["--idle-timeout", "1"]) { daemon, _ in
            let client = FolioBlockingClient(socketPath: daemon.socketPath, configuration: .init(defaultTimeout: .seconds(30)))
            defer { client.close() }
            for _ in 0..<2 {
                #expect(try client.health().status == .serving)
                try await Task.sleep(for: .milliseconds(2500))  // foliod closes the idle connection meanwhile
            }
            #expect(try client.health().status == .serving)
        }
    }
}
