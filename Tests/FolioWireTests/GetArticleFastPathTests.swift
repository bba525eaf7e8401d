import FolioModel
import FolioWire
import Foundation
import NIOCore
import Testing

/// foliod answers plain GetArticle calls from `EnvelopeFastPath.getArticleCall`: whatever it
/// returns must be what swift-protobuf reads from the same bytes, and everything it is not
/// sure about must go to the general path (nil).
@Suite struct GetArticleFastPathTests {
    static func payload(id: UInt64 = 7, method: String = FolioMethod.getArticle.rawValue, articleID: String = "bench-3-01",
                        script: Folio_V1_OutputScript = .original, timeoutMs: UInt32 = 0,
                        encodings: [Folio_V1_Encoding] = [], metadata: [String: String] = [:],
                        cancel: Bool = false) throws -> ByteBuffer {
        var body = Folio_V1_GetArticleRequest()
        body.articleID = articleID
        body.script = script
        var request = Folio_V1_Request()
        request.id = id
        request.method = method
        request.body = try body.serializedData()
        request.timeoutMs = timeoutMs
        request.acceptEncodings = encodings
        request.metadata = metadata
        request.cancel = cancel
        return ByteBuffer(bytes: try request.serializedBytes() as [UInt8])
    }

    /// What the general path reads from the same bytes.
    static func reference(_ payload: ByteBuffer) throws -> GetArticleCall {
        let request = try Folio_V1_Request(serializedBytes: Array(payload.readableBytesView))
        let body = try Folio_V1_GetArticleRequest(serializedBytes: request.body)
        return GetArticleCall(id: request.id, articleID: body.articleID, acceptsZlib: request.acceptEncodings.contains(.zlib))
    }

    @Test func plainCallsAgreeWithSwiftProtobuf() throws {
        for id: UInt64 in [1, 127, 128, 300, .max] {
            for articleID in ["", "a", "bench-199-09", "錦州-01", String(repeating: "x", count: 200)] {
                for timeout: UInt32 in [0, 250, .max] {
                    for encodings: [Folio_V1_Encoding] in [[], [.zlib], [.identity, .zlib], [.identity]] {
                        let bytes = try Self.payload(id: id, articleID: articleID, timeoutMs: timeout, encodings: encodings)
                        let fast = EnvelopeFastPath.getArticleCall(bytes)
                        #expect(fast == (try Self.reference(bytes)), "id \(id) \(articleID) \(encodings)")
                    }
                }
            }
        }
    }

    @Test func everythingElseTakesTheGeneralPath() throws {
        let others: [ByteBuffer] = [
            try Self.payload(method: FolioMethod.getPage.rawValue),
            try Self.payload(method: FolioMethod.getArticle.rawValue + "x"),
            try Self.payload(method: ""),
            try Self.payload(id: 0),
            try Self.payload(script: .traditional),
            try Self.payload(metadata: ["trace": "1"]),
            try Self.payload(cancel: true),
        ]
        for payload in others { #expect(EnvelopeFastPath.getArticleCall(payload) == nil) }
    }

    @Test func unusualBytesTakeTheGeneralPath() throws {
        let method = Array(FolioMethod.getArticle.rawValue.utf8)
        let envelope: ([UInt8]) -> ByteBuffer = { body in
            ByteBuffer(bytes: [0x08, 0x05, 0x12, UInt8(method.count)] + method + [0x1A, UInt8(body.count)] + body)
        }
        let cases: [ByteBuffer] = [
            envelope([0x0A, 0x01, 0x41, 0x0A, 0x01, 0x42]),  // article_id twice (last wins in protobuf)
            envelope([0x0A, 0x02, 0xC3, 0x28]),              // article_id not UTF-8
            envelope([0x0A, 0x05, 0x41]),                    // truncated article_id
            envelope([0x18, 0x01]),                          // unknown body field
            envelope([0x0A, 0x01, 0x41, 0x10, 0x80]),        // truncated script
            ByteBuffer(bytes: [0x08, 0x05, 0x08, 0x06]),     // id twice
            ByteBuffer(bytes: [0x08, 0x05, 0x2A, 0x00]),     // metadata entry
            ByteBuffer(bytes: [0x08, 0x05, 0x30, 0x01]),     // an encoding not packed
            ByteBuffer(bytes: [0x08, 0x05, 0x32, 0x0A] + [UInt8](repeating: 0xFF, count: 9) + [0x01]),  // huge encoding value
            ByteBuffer(bytes: [0x08]),                       // truncated id
        ]
        for payload in cases { #expect(EnvelopeFastPath.getArticleCall(payload) == nil, "\(Array(payload.readableBytesView))") }
        // The huge encoding value must not trap the general fast path either (it is swift-protobuf's call).
        let huge = Frame(payload: cases[8])
        _ = try? Envelopes.request(from: huge)
    }
}
