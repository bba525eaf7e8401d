import FolioModel
import FolioServer
import FolioTestSupport
import FolioWire
import Foundation
import Testing

/// A reader's frame that inflates to megabytes of tiny fields is refused at once, and other
/// calls are answered meanwhile (it took seconds of the event loop before).
@Suite struct AbsurdRequestTests {
    static func healthPrefix(id: UInt8) -> [UInt8] {
        let method = Array(FolioMethod.health.rawValue.utf8)
        return [0x08, id, 0x12, UInt8(method.count)] + method
    }

    static func compressedFrame(_ payload: [UInt8]) throws -> [UInt8] {
        Array(try FrameWriter.frame(payload: payload, compress: true,
                                    limits: WireLimits(maxFrameBytes: 16 << 20, compressionThreshold: 0)).readableBytesView)
    }

    /// An Ingest whose text is GBK, sent as is, was "body of Ingest is not a folio.v1.IngestRequest",
    /// which blames the message; the text's encoding is what is wrong.
    @Test func aTextThatIsNotUTF8IsSaidToBeSo() async throws {
        try await DaemonHarness.with { harness in
            let gbk: [UInt8] = [0xD6, 0xD0, 0xCE, 0xC4]  // 中文
            var request = Folio_V1_Request()
            request.id = 3
            request.method = FolioMethod.ingest.rawValue
            request.body = Data([0x0A, UInt8(gbk.count)] + gbk)
            let client = try harness.client()
            client.sendRaw(try FrameWriter.frame(payload: request.serializedBytes(), compress: false).readableBytesView.map { $0 })
            let answer = try #require(try await client.receive()).response
            #expect(answer.id == 3 && answer.status.code == .invalidArgument)
            #expect(answer.status.message.contains("not valid UTF-8"), "\(answer.status.message)")
        }
    }

    @Test func metadataFloodIsRefusedAndOthersAreServed() async throws {
        try await DaemonHarness.with { harness in
            let frame = try Self.compressedFrame(Self.healthPrefix(id: 5)
                                                 + Array(repeating: [0x2A, 0x00], count: 7_900_000).flatMap { $0 })
            #expect(frame.count < 128 << 10)  // zlib level 1: ~69 KB
            let attacker = try harness.client()
            attacker.sendRaw(frame)
            let answer = try #require(try await attacker.receive()).response
            #expect(answer.id == 0)
            #expect(answer.status.code == .resourceExhausted)
            #expect(answer.status.message.contains("metadata entries"))
            let next = try await attacker.receive()
            #expect(next?.response == nil)  // closed

            let other = try harness.client()
            let health = try await other.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self)
            #expect((try? health.get()) != nil)
        }
    }

    @Test func bodyOfJunkFieldsIsInvalidArgument() async throws {
        try await DaemonHarness.with { harness in
            var request = Folio_V1_Request()
            request.id = 7
            request.method = FolioMethod.getArticle.rawValue
            request.body = Data(Array(repeating: [0x78, 0x01], count: 2_000_000).flatMap { $0 })
            let client = try harness.client()
            client.sendRaw(try Self.compressedFrame(try request.serializedBytes()))
            let answer = try #require(try await client.receive()).response
            #expect(answer.id == 7)
            #expect(answer.status.code == .invalidArgument)
            #expect(answer.status.message.contains("more than 256 fields"))
        }
    }
}
