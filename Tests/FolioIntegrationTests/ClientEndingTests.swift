import FolioClient
import FolioModel
import FolioWire
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// How FolioClient calls end when the app stops them: a cancelled write, a loop left early, a
/// cancelled connect, a request too large once inflated, a stream on a temporary client.
@Suite("FolioClient: ending calls", .serialized)
struct ClientEndingTests {
    @Test("A write cancelled after it was sent reports foliod's answer, never a local CANCELLED")
    func cancelledWriteWaitsForItsOutcome() async throws {
        try await withDaemon { daemon, client in
            _ = try await client.health()
            let pid = try #require(daemon.process?.processIdentifier)
            kill(pid, SIGSTOP)
            var resumed = false
            defer { if !resumed { kill(pid, SIGCONT) } }
            let ingest = Task { try await client.ingest(TestPages.seedRequest(id: "cancelled-write")) }
            try await Task.sleep(for: .milliseconds(300))  // the request is sent; foliod has not read it
            ingest.cancel()
            try await Task.sleep(for: .milliseconds(200))
            kill(pid, SIGCONT)
            resumed = true
            let outcome: FolioError?
            do {
                _ = try await ingest.value
                outcome = nil
            } catch let error as FolioError {
                outcome = error
            }
            let stored = (try? await client.getPage(id: "cancelled-write")) != nil
            if let outcome {
                // foliod's CANCELLED (nothing stored), or an unknown outcome: not the client's own word.
                #expect(outcome.kind == .server || outcome.kind == .outcomeUnknown, "\(outcome)")
                if outcome.kind == .server { #expect(!stored, "\(outcome) though the page is stored") }
            } else {
                #expect(stored)
            }
        }
    }

    @Test("Leaving a loop over a stream still referenced cancels its call")
    func breakCancelsHeldStream() async throws {
        try await withDaemon { daemon, _ in
            let loader = daemon.makeClient()
            defer { loader.close() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, text) in TestPages.fixturePages.prefix(120).enumerated() {
                    group.addTask {
                        var request = Folio_V1_IngestRequest()
                        request.text = text
                        request.pageID = "held-\(index)"
                        _ = try await loader.ingest(request)
                    }
                }
                try await group.waitForAll()
            }
            // A read-ahead of one byte: the export cannot finish before the loop is left.
            let client = FolioClient(socketPath: daemon.socketPath,
                                     configuration: .init(defaultTimeout: .seconds(30), maxCallsInFlight: 1, streamReadAhead: 1))
            defer { client.close() }
            let stream = client.exportArticles()
            var first = 0
            for try await _ in stream {
                first += 1
                if first == 2 { break }
            }
            // The stream's slot is free again (one slot in all): a call goes through.
            _ = try await client.health(options: .init(timeout: .seconds(20)))
            var rest = 0
            do {
                for try await _ in stream { rest += 1 }
                Issue.record("a second loop ended normally after \(rest) more articles: the export ran on")
            } catch let error as FolioError {
                #expect(error.code == .cancelled, "\(error)")
            }
        }
    }

    @Test("A stream keeps its client: a loop over a temporary client's export runs to its end")
    func streamHoldsItsClient() async throws {
        try await withDaemon { daemon, client in
            _ = try await client.ingest(TestPages.seedRequest())
            var seen = 0
            for try await _ in FolioClient(socketPath: daemon.socketPath).exportArticles() { seen += 1 }
            #expect(seen > 0)
        }
    }

    @Test("Cancelling a task that waits for the connection ends it with CANCELLED")
    func cancelWhileConnecting() async throws {
        // A peer that takes connections and never answers: connecting waits for connectTimeout.
        let path = "/tmp/folio-mute-\(getpid()).sock"
        unlink(path)
        defer { unlink(path) }
        _ = try FakePeer(path: path, replies: [nil, nil])
        for connectOnly in [true, false] {
            let client = FolioClient(socketPath: path, configuration: .init(connectTimeout: .seconds(20)))
            defer { client.close() }
            let task = Task {
                if connectOnly { try await client.connect() } else { _ = try await client.health() }
            }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            do {
                try await task.value
                Issue.record("a cancelled \(connectOnly ? "connect()" : "health()") returned normally")
            } catch let error as FolioError {
                #expect(error.code == .cancelled && error.kind == .local, "\(error)")
            }
        }
    }

    @Test("A request that would inflate past the limit is refused locally; the connection stays up")
    func oversizedInflationRefusedLocally() async throws {
        try await withDaemon { _, client in
            _ = try await client.health()
            var request = Folio_V1_ParseRequest()
            request.text = String(repeating: "中", count: 6_000_000)  // 18 MB, compresses to a few KB
            do {
                _ = try await client.parse(request)
                Issue.record("an 18 MB request was answered")
            } catch let error as FolioError {
                #expect(error.code == .resourceExhausted && error.kind == .local, "\(error)")
            }
            _ = try await client.health()
        }
    }

    @Test("foliod going away in the middle of an answer is a lost connection, not a protocol violation")
    func truncatedAnswerIsConnectionLost() async throws {
        let path = "/tmp/folio-trunc-\(getpid()).sock"
        unlink(path)
        defer { unlink(path) }
        // A frame header announcing 100 bytes, then 10 of them, then the end of the connection.
        let partial: [UInt8] = [0, 0, 0, 0, 100] + [UInt8](repeating: 0x0a, count: 10)
        let peer = try FakePeer(path: path, replies: [partial])
        let client = FolioClient(socketPath: path, configuration: .init(defaultTimeout: .seconds(20)))
        defer { client.close() }
        do {
            _ = try await client.health()
            Issue.record("a truncated answer was accepted")
        } catch let error as FolioError {
            #expect(error.code == .unavailable && error.kind == .connectionLost, "\(error)")
        }
        #expect(peer.accepted == 1)
    }
}
