import FolioClient
import FolioModel
import FolioTestSupport
import FolioWire
import Foundation
import Testing

/// Bad input on a raw socket: each case gets its documented status (or a clean close), foliod
/// stays up, and another connection keeps being served.
@Suite("Bad input on the wire", .serialized)
struct RawProtocolTests {
    /// After the bad input: a fresh connection still answers Health.
    static func expectStillServing(_ daemon: Daemon) throws {
        let other = try RawSocket(path: daemon.socketPath)
        try other.send(.call(7, .health, Folio_V1_HealthRequest()))
        let (_, response) = try other.response()
        #expect(response.id == 7)
        #expect(response.status.code == .ok)
        let health = try Folio_V1_HealthResponse(serializedBytes: response.body)
        #expect(health.status == .serving)
    }

    /// Expects a connection-level error (id 0, `code`) followed by the close, or just the close.
    static func expectConnectionError(_ socket: RawSocket, _ code: Folio_V1_StatusCode,
                                      allowSilentClose: Bool = false) throws {
        switch try socket.read() {
        case .frame(_, let response):
            #expect(response.id == 0)
            #expect(response.status.code == code, "status: \(response.status)")
            #expect(!response.status.message.isEmpty)
            guard case .closed = try socket.read() else {
                Issue.record("the connection stayed open after a connection-level error")
                return
            }
        case .closed:
            #expect(allowSilentClose, "closed without the \(code.name) status")
        }
    }

    @Test("A truncated frame: the connection closes, the daemon keeps serving")
    func truncatedFrame() async throws {
        try await withDaemon { daemon, _ in
            let socket = try RawSocket(path: daemon.socketPath)
            let frame = RawSocket.frame(try Folio_V1_Request.call(1, .health, Folio_V1_HealthRequest()).serializedBytes())
            try socket.send(Array(frame.prefix(frame.count - 2)))
            socket.shutdownWrite()
            try Self.expectConnectionError(socket, .invalidArgument, allowSilentClose: true)
            try Self.expectStillServing(daemon)
        }
    }

    @Test("A length over the limit: RESOURCE_EXHAUSTED")
    func lengthOverLimit() async throws {
        try await withDaemon { daemon, _ in
            let socket = try RawSocket(path: daemon.socketPath)
            let length = UInt32(WireLimits.default.maxFrameBytes + 1)
            try socket.send([0, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
            try Self.expectConnectionError(socket, .resourceExhausted)
            try Self.expectStillServing(daemon)
        }
    }

    @Test("A zlib bomb: RESOURCE_EXHAUSTED, not inflated")
    func zlibBomb() async throws {
        try await withDaemon { daemon, _ in
            // Inflating up to the 16 MiB limit takes seconds in a debug foliod: wait longer.
            let socket = try RawSocket(path: daemon.socketPath, receiveTimeoutSeconds: 90)
            // 32 MiB of zeros deflates to ~32 KiB: a small frame that would inflate past 16 MiB.
            let bomb = Zlib.compress([UInt8](repeating: 0, count: 32 << 20))
            #expect(bomb.count < WireLimits.default.maxFrameBytes)
            try socket.send(RawSocket.frame(bomb, flags: FrameLayout.compressedFlag))
            try Self.expectConnectionError(socket, .resourceExhausted)
            try Self.expectStillServing(daemon)
        }
    }

    @Test("Reserved flag bits: INVALID_ARGUMENT")
    func reservedFlags() async throws {
        try await withDaemon { daemon, _ in
            let socket = try RawSocket(path: daemon.socketPath)
            let payload: [UInt8] = try Folio_V1_Request.call(1, .health, Folio_V1_HealthRequest()).serializedBytes()
            try socket.send(RawSocket.frame(payload, flags: 0x04))
            try Self.expectConnectionError(socket, .invalidArgument)
            try Self.expectStillServing(daemon)
        }
    }

    @Test("Garbage bytes: a connection-level error or a close")
    func garbage() async throws {
        try await withDaemon { daemon, _ in
            var generator = SplitMix64(seed: 42)
            for _ in 0..<3 {
                let socket = try RawSocket(path: daemon.socketPath)
                let junk = (0..<512).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                try socket.send(junk)
                socket.shutdownWrite()
                switch try socket.read() {
                case .frame(_, let response):
                    #expect(response.id == 0)
                    #expect(response.status.code != .ok)
                case .closed:
                    break
                }
            }
            // Not a frame at all, but a well-framed payload that is not a Request.
            let socket = try RawSocket(path: daemon.socketPath)
            try socket.send(RawSocket.frame([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]))
            try Self.expectConnectionError(socket, .invalidArgument)
            try Self.expectStillServing(daemon)
        }
    }

    @Test("An unknown method: UNIMPLEMENTED for that call; the connection stays usable")
    func unknownMethod() async throws {
        try await withDaemon { daemon, _ in
            let socket = try RawSocket(path: daemon.socketPath)
            var request = Folio_V1_Request()
            request.id = 5
            request.method = "/folio.v1.Folio/Teleport"
            try socket.send(request)
            let (_, response) = try socket.response()
            #expect(response.id == 5)
            #expect(response.status.code == .unimplemented)
            try socket.send(.call(6, .health, Folio_V1_HealthRequest()))
            let (_, next) = try socket.response()
            #expect(next.id == 6 && next.status.code == .ok)
        }
    }

    @Test("A body that is not the declared message: INVALID_ARGUMENT for that call")
    func wrongBody() async throws {
        try await withDaemon { daemon, _ in
            let socket = try RawSocket(path: daemon.socketPath)
            var request = Folio_V1_Request()
            request.id = 9
            request.method = FolioMethod.getArticle.rawValue
            request.body = Data([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01])
            try socket.send(request)
            let (_, response) = try socket.response()
            #expect(response.id == 9)
            #expect(response.status.code == .invalidArgument)
            try socket.send(.call(10, .health, Folio_V1_HealthRequest()))
            #expect(try socket.response().response.status.code == .ok)
        }
    }

    @Test("A second call with an id in flight is refused; the first one completes")
    func duplicateID() async throws {
        try await withDaemon { daemon, _ in
            // 90 s like the other slow-parse test: the 1.5 MB parse must finish before the last
            // answer, and with every suite running at once on a loaded 2-core machine it took > 15 s.
            let socket = try RawSocket(path: daemon.socketPath, receiveTimeoutSeconds: 90)
            try socket.send(.call(3, .parse, ConcurrencyTests.slowParse()), compress: true)
            try socket.send(.call(3, .health, Folio_V1_HealthRequest()))
            let (_, refused) = try socket.response()
            #expect(refused.id == 3)
            #expect(refused.status.code == .alreadyExists)
            let (_, first) = try socket.response()
            #expect(first.id == 3)
            #expect(first.status.code == .ok)
            #expect(try Folio_V1_ParseResponse(serializedBytes: first.body).page.articles.count > 0)
            try Self.expectStillServing(daemon)
        }
    }

    @Test("timeout_ms is enforced by foliod; a cancel frame ends a call with CANCELLED")
    func serverDeadlineAndCancel() async throws {
        try await withDaemon { daemon, _ in
            let socket = try RawSocket(path: daemon.socketPath)
            try socket.send(.call(1, .parse, ConcurrencyTests.slowParse(), timeoutMs: 5), compress: true)
            let (_, expired) = try socket.response()
            #expect(expired.id == 1)
            #expect(expired.status.code == .deadlineExceeded)

            try socket.send(.call(2, .parse, ConcurrencyTests.slowParse()), compress: true)
            var cancel = Folio_V1_Request()
            cancel.id = 2
            cancel.cancel = true
            try socket.send(cancel)
            let (_, cancelled) = try socket.response()
            #expect(cancelled.id == 2)
            #expect(cancelled.status.code == .cancelled)
            try socket.send(.call(3, .health, Folio_V1_HealthRequest()))
            #expect(try socket.response().response.status.code == .ok)
        }
    }

    @Test("Responses are compressed only for a client that accepts zlib, and only when large")
    func responseCompression() async throws {
        try await withDaemon { daemon, client in
            _ = try await client.ingest(TestPages.seedRequest())
            let socket = try RawSocket(path: daemon.socketPath)
            var getPage = Folio_V1_GetPageRequest()
            getPage.pageID = "seed"
            try socket.send(.call(1, .getPage, getPage, acceptZlib: true))
            let (zlibFlags, compressed) = try socket.response()
            #expect(zlibFlags & FrameLayout.compressedFlag != 0)
            try socket.send(.call(2, .getPage, getPage, acceptZlib: false))
            let (plainFlags, plain) = try socket.response()
            #expect(plainFlags == 0)
            #expect(compressed.body == plain.body)
            try socket.send(.call(3, .health, Folio_V1_HealthRequest(), acceptZlib: true))
            #expect(try socket.response().flags == 0)
        }
    }
}
