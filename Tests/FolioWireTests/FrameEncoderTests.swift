import FolioWire
import NIOCore
import NIOEmbedded
import Testing

@Suite struct FrameEncoderTests {
    func encode(_ frame: OutgoingFrame, limits: WireLimits = .default) throws -> [UInt8] {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(FrameEncoder(limits: limits)))
        try channel.writeOutbound(frame)
        var out: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { out += buffer.bytes }
        return out
    }

    @Test func smallPayloadsGoPlainEvenWhenZlibIsAccepted() throws {
        let payload = samplePayload(1023)
        let bytes = try encode(OutgoingFrame(payload: ByteBuffer(bytes: payload), compressible: true))
        #expect(bytes == header(flags: 0, length: 1023) + payload)
    }

    @Test func largePayloadsAreCompressedOnlyWhenAccepted() throws {
        let payload = samplePayload(1024)
        let plain = try encode(OutgoingFrame(payload: ByteBuffer(bytes: payload), compressible: false))
        #expect(plain == header(flags: 0, length: 1024) + payload)
        let packed = try encode(OutgoingFrame(payload: ByteBuffer(bytes: payload), compressible: true))
        let deflated = Zlib.compress(payload, level: 1)
        #expect(packed == header(flags: 1, length: UInt32(deflated.count)) + deflated)
    }

    @Test func refusesAMessageLargerThanTheFrameLimit() throws {
        let error = #expect(throws: WireError.self) {
            try FrameWriter.frame(payload: samplePayload(600), compress: false, limits: WireLimits(maxFrameBytes: 500))
        }
        #expect(error?.code == .resourceExhausted)
    }

    @Test func encoderAndParserRoundTrip() throws {
        var parser = FrameParser()
        for size in [0, 1, 1023, 1024, 70_000] {
            let payload = samplePayload(size, seed: UInt64(size))
            var buffer = try FrameWriter.frame(payload: payload, compress: true)
            let frame = try #require(try parser.next(from: &buffer))
            #expect(frame.payload.bytes == payload)
            #expect(frame.wasCompressed == (size >= 1024))
        }
    }
}
