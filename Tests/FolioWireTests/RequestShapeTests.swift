import FolioWire
import Foundation
import NIOCore
import Testing

/// Requests of absurd structure are refused by one cheap walk, before swift-protobuf sees them.
@Suite struct RequestShapeTests {
    static func varint(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        var rest = value
        while rest >= 0x80 { out.append(UInt8(rest & 0x7F) | 0x80); rest >>= 7 }
        out.append(UInt8(rest))
        return out
    }

    static func health(id: UInt64 = 5) -> [UInt8] {
        let method = Array("/folio.v1.Folio/Health".utf8)
        return [0x08] + varint(id) + [0x12] + varint(UInt64(method.count)) + method
    }

    /// Decodes `payload` compressed in a frame drip-fed to the frame parser, as foliod reads it.
    static func decodeDripFed(_ payload: [UInt8], chunk: Int = 4096) throws -> Folio_V1_Request {
        let frame = try FrameWriter.frame(payload: payload, compress: true,
                                          limits: WireLimits(maxFrameBytes: 16 << 20, compressionThreshold: 0))
        var parser = FrameParser()
        var buffer = ByteBuffer()
        var bytes = frame.readableBytesView[...]
        while !bytes.isEmpty {
            buffer.writeBytes(bytes.prefix(chunk))
            bytes = bytes.dropFirst(chunk)
            if let decoded = try parser.next(from: &buffer) { return try Envelopes.request(from: decoded) }
        }
        Issue.record("no frame")
        throw WireError(.truncatedFrame, "no frame")
    }

    /// Refused by the shape walk (its own error kind), before swift-protobuf decodes anything.
    static func expectRefusedQuickly(_ payload: [UInt8], _ message: String) throws {
        let error = #expect(throws: WireError.self) { _ = try decodeDripFed(payload) }
        #expect(error?.kind == .envelopeTooComplex)
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func millionsOfEmptyMetadataEntriesAreRefused() throws {
        let payload = Self.health() + Array(repeating: [0x2A, 0x00], count: 7_900_000).flatMap { $0 }
        try Self.expectRefusedQuickly(payload, "metadata entries")
    }

    @Test func unknownVarintFieldsAreRefused() throws {
        // field 15, varint 1: bytes 78 01.
        let payload = Self.health() + Array(repeating: [0x78, 0x01], count: 7_900_000).flatMap { $0 }
        try Self.expectRefusedQuickly(payload, "bytes outside its body")
    }

    @Test func unpackedEncodingsAndRepeatedIDsAreRefused() throws {
        try Self.expectRefusedQuickly(Self.health() + Array(repeating: [0x30, 0x01], count: 100_000).flatMap { $0 },
                                      "bytes outside its body")
        try Self.expectRefusedQuickly(Self.health() + Array(repeating: [0x08, 0x07], count: 100_000).flatMap { $0 },
                                      "bytes outside its body")
        // Empty bodies over and over: only the last copy of the body is the body.
        try Self.expectRefusedQuickly(Self.health() + Array(repeating: [0x1A, 0x00], count: 100_000).flatMap { $0 },
                                      "bytes outside its body")
    }

    @Test func largeBodyAndSaneMetadataPass() throws {
        var request = Folio_V1_Request()
        request.id = 9
        request.method = "/folio.v1.Folio/Ingest"
        request.body = Data(repeating: 0x41, count: 8 << 20)
        request.metadata = Dictionary(uniqueKeysWithValues: (0..<RequestShape.maxMetadataEntries).map { ("k\($0)", "v") })
        request.acceptEncodings = [.zlib]
        let decoded = try Self.decodeDripFed(try request.serializedBytes(), chunk: 1 << 20)
        #expect(decoded == request)
        request.metadata["one-more"] = "v"
        let error = #expect(throws: WireError.self) { _ = try Self.decodeDripFed(try request.serializedBytes(), chunk: 1 << 20) }
        #expect(error?.kind == .envelopeTooComplex)
    }

    @Test func malformedBytesStillGetTheDecodersError() {
        let frame = Frame(payload: ByteBuffer(bytes: Self.health() + [0xFF, 0xFF, 0xFF]))
        let error = #expect(throws: WireError.self) { try Envelopes.request(from: frame) }
        #expect(error?.kind == .malformedEnvelope)
    }

    @Test func bodyFieldsAreCountedUpToTheLimit() {
        let fine = Array(repeating: [0x78, 0x01] as [UInt8], count: RequestShape.maxBodyFields).flatMap { $0 }
        #expect(fine.withUnsafeBytes { RequestShape.excessBodyFields($0) } == nil)
        let junk = Array(repeating: [0x78, 0x01] as [UInt8], count: 7_900_000).flatMap { $0 }
        #expect(junk.withUnsafeBytes { RequestShape.excessBodyFields($0) } == RequestShape.maxBodyFields + 1)
    }
}
