import FolioClient
import FolioModel
import FolioWire
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
import FolioTestSupport
#endif

/// FolioBlockingClient against a real foliod. Its calls block, so they run off the pool (`offPool`).
@Suite("FolioBlockingClient", .serialized)
struct BlockingClientTests {
    @Test("Answers what FolioClient answers, with the same errors")
    func answersLikeFolioClient() async throws {
        try await withDaemon { daemon, client in
            let ingested = try await client.ingest(TestPages.seedRequest())
            let id = try #require(ingested.articleIds.first)
            let expected = try await client.getArticle(id: id)
            let simplified = try await client.getArticle(id: id, script: .simplified)
            let bytes = try await client.call(method: FolioMethod.getArticle.rawValue,
                                              body: Folio_V1_GetArticleRequest.with { $0.articleID = id }.serializedData())
            let blocking = FolioBlockingClient(socketPath: daemon.socketPath)
            defer { blocking.close() }
            try await offPool {
                #expect(try blocking.getArticle(id: id) == expected)
                #expect(try blocking.getArticle(id: id, script: .simplified) == simplified)
                let raw = try blocking.call(method: FolioMethod.getArticle.rawValue,
                                            body: Folio_V1_GetArticleRequest.with { $0.articleID = id }.serializedData())
                #expect(raw == bytes)
                #expect(try blocking.health().status == .serving)
                let page = try blocking.call(.getPage, Folio_V1_GetPageRequest.with { $0.pageID = ingested.pageID },
                                             as: Folio_V1_Page.self)
                #expect(page.articles.map(\.id) == ingested.articleIds)
                #expect(throws: FolioError(code: .notFound, message: "no article no-such-article")) {
                    try blocking.getArticle(id: "no-such-article")
                }
                #expect(throws: FolioError(code: .unimplemented, message: "unknown method \"/folio.v1.Folio/Nope\"")) {
                    try blocking.call(method: "/folio.v1.Folio/Nope", body: Data())
                }
            }
        }
    }

    @Test("Large requests and answers travel compressed")
    func compressesBothWays() async throws {
        try await withDaemon { daemon, _ in
            // Frames of at most 64 KB on this client: a 200 KB page only leaves compressed, and its
            // parse only comes back in a frame because foliod compresses it.
            var configuration = FolioClient.Configuration()
            configuration.limits = WireLimits(maxFrameBytes: 64 << 10)
            let blocking = FolioBlockingClient(socketPath: daemon.socketPath, configuration: configuration)
            defer { blocking.close() }
            var request = Folio_V1_ParseRequest()
            request.text = TestPages.large(bytes: 200_000)
            request.source = "large.txt"
            #expect(try request.serializedData().count > configuration.limits.maxFrameBytes)
            try await offPool { [request, configuration] in
                let parsed = try blocking.call(.parse, request, as: Folio_V1_ParseResponse.self,
                                               options: .init(timeout: .seconds(120)))
                #expect(!parsed.page.articles.isEmpty)
                #expect(try parsed.serializedData().count > configuration.limits.maxFrameBytes)
                do {
                    _ = try blocking.call(.parse, request, as: Folio_V1_ParseResponse.self,
                                          options: .init(timeout: .seconds(120), acceptCompressedResponses: false))
                    Issue.record("an answer over this client's frame limit came back uncompressed")
                } catch let error as FolioError {
                    #expect(error.kind == .protocolViolation && error.code == .resourceExhausted, "\(error)")
                }
                #expect(try blocking.health().status == .serving)
            }
        }
    }

    @Test("A passed deadline is DEADLINE_EXCEEDED; the next call reconnects")
    func deadlineThenReconnect() async throws {
        try await withDaemon { daemon, _ in
            let blocking = FolioBlockingClient(socketPath: daemon.socketPath)
            defer { blocking.close() }
            try await offPool {
                do {
                    _ = try blocking.call(.parse, ConcurrencyTests.slowParse(), as: Folio_V1_ParseResponse.self,
                                          options: .init(timeout: .milliseconds(5)))
                    Issue.record("a 5 ms deadline did not fire")
                } catch let error as FolioError {
                    #expect(error.code == .deadlineExceeded, "\(error.kind): \(error.message)")
                }
                #expect(try blocking.health().status == .serving)
            }
        }
    }

    @Test("No daemon: cannot connect; a closed client refuses calls")
    func cannotConnectAndClosed() async throws {
        let blocking = FolioBlockingClient(socketPath: "/tmp/folio-no-daemon-\(getpid()).sock")
        do {
            _ = try blocking.health()
            Issue.record("a call without a daemon succeeded")
        } catch let error as FolioError {
            #expect(error.kind == .cannotConnect && error.code == .unavailable)
            #expect(error.message.contains("is it running?"))
        }
        blocking.close()
        #expect(throws: FolioError.self) { try blocking.health() }
    }

    @Test("A peer that breaks the protocol: a typed error, and the next call opens a new connection")
    func brokenPeer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("folio-broken-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("peer.sock").path
        // Answers each connection's first request with one reply, then closes it.
        let replies: [[UInt8]] = [
            RawSocket.frame([0x0A], flags: 0x02),        // reserved flag bit set
            [0, 0, 0],                                   // the connection ends inside a frame header
            RawSocket.frame([0xFF, 0xFF, 0xFF]),          // not a Response envelope
        ]
        let listener = try FakePeer(path: path, replies: replies)
        let blocking = FolioBlockingClient(socketPath: path)
        defer { blocking.close() }
        let kinds = try await offPool { () -> [FolioError.Kind] in
            try replies.indices.map { _ in
                do {
                    _ = try blocking.health()
                    throw HarnessError(description: "a broken answer was accepted")
                } catch let error as FolioError {
                    return error.kind
                }
            }
        }
        #expect(kinds == [.protocolViolation, .connectionLost, .protocolViolation])
        #expect(listener.accepted == replies.count)
    }
}

extension BlockingClientTests {
    /// foliod answers a write it has started with its outcome however late (docs/protocol.md): the
    /// blocking client gave up at the deadline with a plain DEADLINE_EXCEEDED, which a caller takes
    /// for "nothing stored". Now a write is waited for `writeAnswerGrace` longer, and only then ends
    /// as `.outcomeUnknown`; a read is still given up at its deadline.
    @Test("A write is waited for past its deadline, then its outcome is unknown; a read is not")
    func writeAnswerGrace() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("folio-late-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var stored = Folio_V1_IngestResponse()
        stored.pageID = "late"
        var answer = Folio_V1_Response()
        answer.id = 1  // a new client's first call
        answer.status.code = .ok
        answer.body = try stored.serializedData()
        let late = RawSocket.frame(try answer.serializedBytes())
        let deadline = FolioCallOptions(timeout: .milliseconds(200))
        func client(_ name: String, replies: [[UInt8]?], grace: Duration) throws -> FolioBlockingClient {
            let path = directory.appendingPathComponent(name).path
            _ = try FakePeer(path: path, replies: replies, delay: 0.6)
            return FolioBlockingClient(socketPath: path, configuration: .init(writeAnswerGrace: grace))
        }

        let ingest = try client("ingest.sock", replies: [late], grace: .seconds(5))
        defer { ingest.close() }
        let page = try await offPool {
            try ingest.call(.ingest, Folio_V1_IngestRequest(), as: Folio_V1_IngestResponse.self, options: deadline)
        }
        #expect(page.pageID == "late")

        let delete = try client("delete.sock", replies: [nil], grace: .milliseconds(300))
        defer { delete.close() }
        let (unknown, waited) = try await offPool { () -> (FolioError?, Duration) in
            let start = ContinuousClock.now
            do {
                _ = try delete.call(.deletePage, Folio_V1_DeletePageRequest(), as: Folio_V1_DeletePageResponse.self,
                                    options: deadline)
                return (nil, ContinuousClock.now - start)
            } catch {
                return (error as? FolioError, ContinuousClock.now - start)
            }
        }
        #expect(unknown?.kind == .outcomeUnknown && unknown?.code == .deadlineExceeded, "\(String(describing: unknown))")
        #expect(waited >= .milliseconds(500))

        let health = try client("health.sock", replies: [late], grace: .seconds(5))
        defer { health.close() }
        let readError = try await offPool { () -> FolioError? in
            do {
                _ = try health.health(options: deadline)
                return nil
            } catch {
                return error as? FolioError
            }
        }
        #expect(readError?.code == .deadlineExceeded && readError?.kind != .outcomeUnknown, "\(String(describing: readError))")
    }
}

/// A Unix-socket peer that is not foliod: it reads one request per connection, writes a given
/// reply after `delay` (nil: none, the connection held until the client closes it) and closes, once
/// per reply, on a thread of its own.
// Unchecked: `count` is only touched under `lock`; the rest is set in init and read by its thread.
final class FakePeer: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var accepted: Int { lock.withLock { count } }

    init(path: String, replies: [[UInt8]?], delay: TimeInterval = 0) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 4) == 0 else { throw HarnessError(description: "cannot listen on \(path)") }
        Thread { [self] in
            defer { close(fd) }
            for reply in replies {
                let peer = accept(fd, nil, nil)
                guard peer >= 0 else { return }
                var request = [UInt8](repeating: 0, count: 4096)
                _ = request.withUnsafeMutableBytes { read(peer, $0.baseAddress, $0.count) }
                lock.withLock { count += 1 }  // before replying: the client may finish as soon as it reads
                if let reply {
                    Thread.sleep(forTimeInterval: delay)
                    _ = reply.withUnsafeBytes { Glibc.send(peer, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                } else {
                    while (request.withUnsafeMutableBytes { read(peer, $0.baseAddress, $0.count) }) > 0 {}
                }
                close(peer)
            }
        }.start()
    }
}
