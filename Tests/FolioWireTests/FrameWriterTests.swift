import FolioWire
import Foundation
import NIOCore
import Testing

/// Bytes the frame writer and the varint writer produced before they were made one: pinned here
/// so that no refactor moves them.
@Suite struct FrameWriterTests {
    @Test func plainOKFrameIsPinned() throws {
        let frame = try FrameWriter.okResponseFrame(id: 300, body: [0x0A, 0x03, 0x61, 0x62, 0x63], compress: true)
        #expect(frame.bytes == [0x00, 0x00, 0x00, 0x00, 0x0C, 0x08, 0xAC, 0x02, 0x12, 0x05,
                                0x0A, 0x03, 0x61, 0x62, 0x63, 0x1A, 0x00])
    }

    /// An empty body is left out of the envelope, as swift-protobuf leaves it out.
    @Test func emptyBodyOKFrameMatchesSwiftProtobuf() throws {
        let frame = try FrameWriter.okResponseFrame(id: 7, body: [], compress: false)
        #expect(frame.bytes == [0x00, 0x00, 0x00, 0x00, 0x04, 0x08, 0x07, 0x1A, 0x00])
        let serialized: [UInt8] = try Envelopes.finalResponse(id: 7).serializedBytes()
        #expect(frame.bytes == header(flags: 0, length: UInt32(serialized.count)) + serialized)
    }

    /// The spliced frame: a stored block with the envelope's fields before the body (id 300, the OK
    /// status, the body's tag and length), then the body's raw stream, which ends the deflate data,
    /// then the whole envelope's Adler-32 (computed with Python's zlib). The stream's bytes are
    /// libdeflate's to choose; they must inflate to the body.
    @Test func splicedOKFrameIsPinned() throws {
        let body = Array(Array(String(repeating: "錦州港新通道建設。", count: 40).utf8).prefix(1080))
        let frame = try FrameWriter.okResponseFrame(id: 300, body: body, compress: true).bytes
        let head: [UInt8] = [0x78, 0x01, 0x00, 0x08, 0x00, 0xF7, 0xFF, 0x08, 0xAC, 0x02, 0x1A, 0x00, 0x12, 0xB8, 0x08]
        #expect(frame[0] == 1 && Array(frame[1..<5]) == [0, 0, UInt8((frame.count - 5) >> 8), UInt8((frame.count - 5) & 0xFF)])
        #expect(Array(frame[5..<(5 + head.count)]) == head)
        #expect(Array(frame.suffix(4)) == [0x1E, 0xAB, 0x05, 0x60])
        let stream = Array(frame[(5 + head.count)..<(frame.count - 4)])
        #expect(try Zlib.decompress(Zlib.zlibStream(aroundRaw: stream, adler: body.withUnsafeBytes { Zlib.adler32($0) }),
                                    limit: body.count) == body)
        #expect(frame.count < 5 + head.count + body.count / 4)
    }

    /// The threshold applies to the payload (the envelope), as for stream frames and the protocol's
    /// rule: a body of 1020 bytes makes a payload of 1027 with id 1, compressed; 1016 make 1023, plain.
    @Test func theThresholdIsThePayloadsNotTheBodys() throws {
        for (bodyCount, compressed) in [(1016, false), (1017, true), (1020, true), (1024, true)] {
            let body = [UInt8](repeating: 0x61, count: bodyCount)
            #expect(FrameWriter.okResponseLength(id: 1, plainCount: bodyCount) == bodyCount + 7)
            let frame = try FrameWriter.okResponseFrame(id: 1, body: body, compress: true).bytes
            #expect(frame[0] == (compressed ? 1 : 0), "body \(bodyCount) bytes")
            let payload: [UInt8] = try Envelopes.finalResponse(id: 1, body: body).serializedBytes()
            let stream = try FrameWriter.frame(payload: payload, compress: true).bytes
            #expect(stream[0] == frame[0], "a unary reply and any other frame of the same payload agree")
        }
    }

    @Test func connectionErrorHeaderIsTheFrameHeader() {
        var out = ByteBuffer()
        FrameWriter.writeHeader(compressed: false, length: 0x0102_0304, into: &out)
        FrameWriter.writeHeader(compressed: true, length: 5, into: &out)
        #expect(out.bytes == [0x00, 0x01, 0x02, 0x03, 0x04, 0x01, 0x00, 0x00, 0x00, 0x05])
    }
}

@Suite struct ProtoWireTests {
    static let cases: [(UInt64, [UInt8])] = [
        (0, [0x00]), (1, [0x01]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
        (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test func varintsWriteAndReadBack() {
        for (value, bytes) in Self.cases {
            var array: [UInt8] = []
            ProtoWire.writeVarint(value, into: &array)
            var buffer = ByteBuffer()
            ProtoWire.writeVarint(value, into: &buffer)
            #expect(array == bytes)
            #expect(buffer.bytes == bytes)
            #expect(ProtoWire.varintSize(value) == bytes.count)
            var position = 0
            #expect(ProtoWire.readVarint(bytes, at: &position) == value)
            #expect(position == bytes.count)
        }
    }

    @Test func truncatedAndOverlongVarintsAreRefused() {
        for bad: [UInt8] in [[], [0x80], [0xFF, 0xFF], [UInt8](repeating: 0xFF, count: 11)] {
            var position = 0
            #expect(ProtoWire.readVarint(bad, at: &position) == nil)
            #expect(position == 0)
        }
    }

    @Test func keysAndLengthPrefixes() {
        var out: [UInt8] = []
        ProtoWire.writeKey(field: 1, wireType: ProtoWire.varintType, into: &out)
        ProtoWire.writeLengthPrefix(field: 3, length: 300, into: &out)
        #expect(out == [0x08, 0x1A, 0xAC, 0x02])
    }
}

@Suite struct ZlibModesTests {
    @Test func rawWithDictionaryRoundTrips() throws {
        let dictionary = samplePayload(4000, seed: 5)
        let plain = samplePayload(3000, seed: 5)
        let blocks = Zlib.Deflater(format: .raw, level: 6, dictionary: dictionary).deflate(plain)
        let without = Zlib.Deflater(format: .raw, level: 6).deflate(plain)
        #expect(blocks.count < without.count)
        let inflater = Zlib.Inflater(format: .raw)
        for _ in 0..<2 {
            var out = ByteBuffer()
            try blocks.withUnsafeBytes { try inflater.inflate($0, dictionary: dictionary, limit: plain.count, into: &out) }
            #expect(out.bytes == plain)
        }
        var out = ByteBuffer(bytes: [0x01])
        #expect(throws: WireError.self) {
            try blocks.withUnsafeBytes { try inflater.inflate($0, dictionary: dictionary, limit: plain.count - 1, into: &out) }
        }
        #expect(out.bytes == [0x01])
    }

    @Test func rawStreamInflatesInsideAZlibStream() throws {
        let plain = samplePayload(5000, seed: 9)
        let stream = plain.withUnsafeBytes { Zlib.rawDeflateStream($0) }
        let adler = plain.withUnsafeBytes { Zlib.adler32($0) }
        #expect(stream.count < plain.count)
        #expect(try Zlib.decompress(Zlib.zlibStream(aroundRaw: stream, adler: adler), limit: plain.count) == plain)
        #expect(throws: WireError.self) {
            try Zlib.decompress(Zlib.zlibStream(aroundRaw: stream, adler: adler &+ 1), limit: plain.count)
        }
    }
}
