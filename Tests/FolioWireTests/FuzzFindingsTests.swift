import FolioWire
import Foundation
import NIOCore
import SwiftProtobuf
import Testing

/// Inputs the fuzz targets (Fuzz/) found, kept as regression tests.
@Suite struct FuzzFindingsTests {
    /// A request envelope whose packed accept_encodings hold `values` (varints), after id 5 and GetArticle.
    static func request(encodings values: [UInt64], body: [UInt8] = [0x0A, 0x02, 0x61, 0x31]) -> [UInt8] {
        var packed: [UInt8] = []
        for value in values { packed += varint(value) }
        let method = Array(FolioMethod.getArticle.rawValue.utf8)
        return [0x08, 0x05, 0x12] + varint(UInt64(method.count)) + method
            + [0x1A] + varint(UInt64(body.count)) + body + [0x32] + varint(UInt64(packed.count)) + packed
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
        return out + [UInt8(v)]
    }

    /// FuzzEnvelope: the request fast path kept an encoding above Int32 (swift-protobuf truncates
    /// to int32 on decode), and serializing that message overflowed swift-protobuf's buffer.
    @Test(arguments: [[1, 1 << 32 | 1], [1 << 40], [UInt64.max], [0x8000_0000]] as [[UInt64]])
    func encodingsBeyondInt32DecodeAsSwiftProtobufDoes(values: [UInt64]) throws {
        let bytes = Self.request(encodings: values)
        let reference = try Folio_V1_Request(serializedBytes: bytes)
        let decoded = try Envelopes.request(from: Frame(payload: ByteBuffer(bytes: bytes)))
        #expect(decoded == reference)
        let again: [UInt8] = try decoded.serializedBytes()
        #expect(try Folio_V1_Request(serializedBytes: again) == reference)
        // The GetArticle fast path leaves such a call to the general path (which agrees with swift-protobuf).
        if let call = EnvelopeFastPath.getArticleCall(ByteBuffer(bytes: bytes)) {
            #expect(call.acceptsZlib == reference.acceptEncodings.contains(.zlib))
        }
    }
}
