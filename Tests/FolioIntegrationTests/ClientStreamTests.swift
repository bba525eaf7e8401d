import FolioClient
import FolioModel
import FolioWire
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
            let ended = try await export.value
            #expect(ended == "cancelled")
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
            // Without the deadline running the call would wait as long as the daemon is stopped; the
            // bound leaves a loaded machine (a CI run beside builds took 5.9 s) room.
            #expect(ContinuousClock.now - start < .seconds(30))
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

@Suite("FolioClient: stream read-ahead", .serialized)
struct StreamReadAheadTests {
    /// Stores `count` pages of about `bytes` each (many articles); returns the archive's article count.
    static func ingestLargePages(_ count: Int, bytes: Int, with client: FolioClient) async throws -> Int {
        for k in 0..<count {
            var request = Folio_V1_IngestRequest()
            request.text = TestPages.large(bytes: bytes)
            request.source = "big-\(k).txt"
            request.pageID = "big-\(k)"
            _ = try await client.ingest(request)
        }
        return Int(try await client.health().articles)
    }

    @Test("A slowly read export: the client stops reading at its read-ahead instead of holding the whole answer")
    func slowExportIsBounded() async throws {
        try await withDaemon { daemon, _ in
            let client = FolioClient(socketPath: daemon.socketPath,
                                     configuration: .init(defaultTimeout: .seconds(120), streamReadAhead: 64 << 10))
            defer { client.close() }
            let total = try await Self.ingestLargePages(5, bytes: 400_000, with: client)
            var articles = client.exportArticles().makeAsyncIterator()
            _ = try await articles.next()
            try await Task.sleep(for: .seconds(1))  // what the client reads meanwhile is all it holds
            let pid = try #require(daemon.process?.processIdentifier)
            kill(pid, SIGKILL)
            var more = 0
            do {
                while try await articles.next() != nil { more += 1 }
            } catch {}
            // Before, every article was read ahead: all of them still came after foliod was killed.
            #expect(more < total / 2, "\(more) of \(total) articles arrived after foliod was killed")
        }
    }
}

extension StreamReadAheadTests {
    @Test("A call made inside an export loop is answered while the export is held back")
    func callInsideAnExportLoop() async throws {
        try await withDaemon { daemon, _ in
            let client = FolioClient(socketPath: daemon.socketPath,
                                     configuration: .init(defaultTimeout: .seconds(60), streamReadAhead: 16 << 10))
            defer { client.close() }
            let total = try await Self.ingestLargePages(2, bytes: 200_000, with: client)
            var seen = 0
            for try await article in client.exportArticles() {
                seen += 1
                if seen % 50 == 1 { #expect(try await client.getArticle(id: article.id).id == article.id) }
            }
            #expect(seen == total)
        }
    }
}

extension ClientStreamTests {
    @Test("call(method:body:) refuses a streaming method (its last message passed for the whole answer)")
    func unaryCallOfAStreamIsRefused() async throws {
        try await withDaemon { _, client in
            do {
                _ = try await client.call(method: FolioMethod.exportArticles.rawValue, body: Data())
                Issue.record("a streaming method was called as unary")
            } catch let error as FolioError {
                #expect(error.code == .invalidArgument && error.message.contains("streaming method"))
            }
        }
    }
}
