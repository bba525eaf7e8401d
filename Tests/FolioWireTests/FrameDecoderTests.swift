import FolioTestSupport
import FolioWire
import NIOCore
import NIOEmbedded
import Testing

@Suite struct FrameDecoderTests {
    /// Three frames back to back: small plain, large compressed, empty.
    func stream() throws -> (bytes: [UInt8], payloads: [[UInt8]]) {
        let payloads = [samplePayload(40), samplePayload(6000, seed: 3), []]
        var out = ByteBuffer()
        for p in payloads {
            try p.withUnsafeBytes { try FrameWriter.write(payload: $0, compress: true, into: &out) }
        }
        return (out.bytes, payloads)
    }

    func channel(_ limits: WireLimits = .default) -> EmbeddedChannel {
        EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(limits: limits)))
    }

    func drain(_ channel: EmbeddedChannel) throws -> [Frame] {
        var frames: [Frame] = []
        while let frame = try channel.readInbound(as: Frame.self) { frames.append(frame) }
        return frames
    }

    @Test func decodesOneByteAtATime() throws {
        let (bytes, payloads) = try stream()
        let channel = channel()
        for byte in bytes { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        let frames = try drain(channel)
        #expect(frames.map(\.payload.bytes) == payloads)
        #expect(frames.map(\.wasCompressed) == [false, true, false])
        #expect(try channel.finish().isClean)
    }

    @Test(arguments: 0..<40) func decodesRandomSplits(seed: Int) throws {
        let (bytes, payloads) = try stream()
        var rng = SplitMix64(seed: UInt64(seed))
        let channel = channel()
        var offset = 0
        while offset < bytes.count {
            let size = Int.random(in: 1...max(1, bytes.count / 3), using: &rng)
            let end = min(bytes.count, offset + size)
            try channel.writeInbound(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
        }
        #expect(try drain(channel).map(\.payload.bytes) == payloads)
    }

    @Test func refusesReservedFlagBits() throws {
        for flags: UInt8 in [0x02, 0x80, 0xFF] {
            let error = #expect(throws: WireError.self) {
                try channel().writeInbound(ByteBuffer(bytes: header(flags: flags, length: 1) + [0x41]))
            }
            #expect(error?.kind == .reservedFlags)
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func refusesOversizedLengthFromTheHeaderAlone() throws {
        let limits = WireLimits(maxFrameBytes: 1000)
        let error = #expect(throws: WireError.self) {
            try channel(limits).writeInbound(ByteBuffer(bytes: header(flags: 0, length: 1001)))
        }
        #expect(error?.kind == .frameTooLarge)
        #expect(error?.code == .resourceExhausted)
        // A frame of exactly the limit passes.
        let ok = channel(limits)
        try ok.writeInbound(ByteBuffer(bytes: header(flags: 0, length: 1000) + samplePayload(1000)))
        #expect(try drain(ok).count == 1)
    }

    @Test func refusesAZlibBomb() throws {
        let bomb = Zlib.compress([UInt8](repeating: 0x20, count: 2 << 20))
        let error = #expect(throws: WireError.self) {
            try channel(WireLimits(maxInflatedBytes: 1 << 20))
                .writeInbound(ByteBuffer(bytes: header(flags: 1, length: UInt32(bomb.count)) + bomb))
        }
        #expect(error?.kind == .inflatedTooLarge)
        #expect(error?.code == .resourceExhausted)
    }

    @Test func refusesCorruptCompressedPayload() throws {
        let error = #expect(throws: WireError.self) {
            try channel().writeInbound(ByteBuffer(bytes: header(flags: 1, length: 4) + [1, 2, 3, 4]))
        }
        #expect(error?.kind == .corruptCompression)
    }

    @Test func reportsAStreamThatEndsInsideAFrame() throws {
        let channel = channel()
        try channel.writeInbound(ByteBuffer(bytes: header(flags: 0, length: 10) + [1, 2, 3]))
        #expect(throws: WireError.self) { _ = try channel.finish() }
    }

    /// The parser keeps sync past a refused frame: the next frame decodes normally.
    @Test func parserSkipsARefusedFrameAndStaysInSync() throws {
        var parser = FrameParser(limits: WireLimits(maxFrameBytes: 8))
        let oversized = header(flags: 0, length: 20) + samplePayload(20)
        let reserved = header(flags: 0x40, length: 3) + [7, 7, 7]
        let good = header(flags: 0, length: 2) + [0xAB, 0xCD]
        var buffer = ByteBuffer(bytes: oversized.prefix(9))
        #expect(throws: WireError.self) { try parser.next(from: &buffer) }
        #expect(parser.bytesToDiscard == 16)
        buffer.writeBytes(oversized.dropFirst(9) + reserved + good)
        #expect(throws: WireError.self) { try parser.next(from: &buffer) }
        #expect(try parser.next(from: &buffer)?.payload.bytes == [0xAB, 0xCD])
        #expect(try parser.next(from: &buffer) == nil)
        #expect(!parser.isMidFrame)
    }
}
