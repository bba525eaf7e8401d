import FolioTestSupport
import FolioWire
import Foundation
import NIOCore
import SwiftProtobuf
import Testing

/// The hand-written envelope reader/writer must agree with swift-protobuf byte for byte and
/// message for message, and leave anything unusual to swift-protobuf.
@Suite struct EnvelopeFastPathTests {
    static let methods = ["", "/folio.v1.Folio/GetArticle", "/folio.v1.Folio/錦州", String(repeating: "m", count: 300)]
    static let bodySizes = [0, 1, 127, 128, 1000, 1017, 1024, 5000, 70_000]

    func sampleRequests(metadata: Bool) -> [Folio_V1_Request] {
        var rng = SplitMix64(seed: metadata ? 99 : 42)
        var requests: [Folio_V1_Request] = []
        for method in Self.methods {
            for size in Self.bodySizes {
                var request = Folio_V1_Request()
                request.id = [1, 127, 128, 300, UInt64.max][Int(rng.next() % 5)]
                request.method = method
                request.body = Data(samplePayload(size, seed: rng.next()))
                request.timeoutMs = [0, 1, 5000, UInt32.max][Int(rng.next() % 4)]
                request.acceptEncodings = rng.next() % 2 == 0 ? [] : [.zlib]
                if metadata { request.metadata = ["trace": "abc", "user": "錦州"] }
                requests.append(request)
            }
        }
        return requests
    }

    @Test(arguments: [false, true])
    func requestFramesMatchSwiftProtobuf(compress: Bool) throws {
        for request in sampleRequests(metadata: false) + sampleRequests(metadata: true) {
            let fast = try Envelopes.requestFrame(id: request.id, method: request.method, body: request.body,
                                                  timeoutMs: request.timeoutMs, metadata: request.metadata,
                                                  acceptEncodings: request.acceptEncodings, compress: compress)
            let reference = try FrameWriter.frame(payload: request.serializedBytes(), compress: compress)
            #expect(fast.bytes == reference.bytes, "id \(request.id) body \(request.body.count)")
        }
    }

    @Test func requestsDecodeAsSwiftProtobufDoes() throws {
        var cancel = Folio_V1_Request()
        cancel.id = 9
        cancel.cancel = true
        var several = Folio_V1_Request()
        several.acceptEncodings = [.identity, .zlib]
        for request in sampleRequests(metadata: false) + sampleRequests(metadata: true) + [cancel, several] {
            let frame = Frame(payload: ByteBuffer(bytes: try request.serializedBytes() as [UInt8]))
            #expect(try Envelopes.request(from: frame) == request)
        }
    }

    @Test func responsesDecodeAsSwiftProtobufDoes() throws {
        var responses: [Folio_V1_Response] = []
        for size in Self.bodySizes {
            for status: Folio_V1_Status? in [nil, .ok, Folio_V1_Status(code: .notFound, message: "no article 錦州")] {
                var response = Folio_V1_Response()
                response.id = UInt64(size) &* 7919 &+ 1
                response.body = Data(samplePayload(size, seed: UInt64(size)))
                if let status { response.status = status }
                responses.append(response)
            }
        }
        responses.append(Envelopes.connectionError(.unavailable, "bye"))
        for response in responses {
            let frame = Frame(payload: ByteBuffer(bytes: try response.serializedBytes() as [UInt8]))
            let decoded = try Envelopes.response(from: frame)
            #expect(decoded == response)
            #expect(decoded.hasStatus == response.hasStatus)
        }
    }

    /// Repeated fields (last one wins, messages merge) and unknown fields (kept) are
    /// swift-protobuf's business: the result must be exactly its own.
    @Test func unusualEncodingsFallBackToSwiftProtobuf() throws {
        let payloads: [[UInt8]] = [
            [0x08, 0x01, 0x08, 0x02],                    // id twice: 2 wins
            [0x08, 0x05, 0x1A, 0x02, 0x08, 0x05, 0x1A, 0x02, 0x12, 0x01, 0x78],  // status twice: merged
            [0x08, 0x05, 0x50, 0x07],                    // unknown field 10
            [0x08, 0x05, 0x12, 0x00, 0x12, 0x01, 0x41],  // body twice
            [0x10, 0x01],                                // wrong wire type for body
        ]
        for payload in payloads {
            let frame = Frame(payload: ByteBuffer(bytes: payload))
            let reference = try? Folio_V1_Response(serializedBytes: payload)
            #expect((try? Envelopes.response(from: frame)) == reference, "\(payload)")
            let request = try? Folio_V1_Request(serializedBytes: payload)
            #expect((try? Envelopes.request(from: frame)) == request, "\(payload)")
        }
    }

    @Test func truncatedEnvelopesAreRefused() {
        for payload: [UInt8] in [[0x08], [0x12, 0x05, 0x41], [0x1A, 0x80], [0x32, 0x02, 0x01]] {
            let frame = Frame(payload: ByteBuffer(bytes: payload))
            let error = #expect(throws: WireError.self) { try Envelopes.response(from: frame) }
            #expect(error?.kind == .malformedEnvelope)
            #expect(throws: WireError.self) { try Envelopes.request(from: frame) }
        }
    }
}
