import NIOCore

/// NIO decoder: bytes → `Frame`. Wrap it as `ByteToMessageHandler(FrameDecoder(limits:))`.
/// A protocol violation is thrown as a `WireError` (fired through `errorCaught`); the owner
/// answers with a connection-level status (`Envelopes.connectionError`) and closes.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = Frame
    private var parser: FrameParser

    public init(limits: WireLimits = .default) {
        parser = FrameParser(limits: limits)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try parser.next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                                    seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if seenEOF && (buffer.readableBytes > 0 || parser.isMidFrame) {
            throw WireError(.truncatedFrame, "connection closed inside a frame")
        }
        return .needMoreData
    }
}

/// A payload to send, with whether the peer accepts zlib for it.
public struct OutgoingFrame: Sendable {
    public enum Content: Sendable {
        /// A serialized envelope, framed (and maybe compressed) by the encoder.
        case payload(ByteBuffer, compressible: Bool)
        /// Bytes already framed (e.g. by `FrameWriter.okResponseFrame`), written as they are.
        case framed(ByteBuffer)
    }
    public var content: Content

    public init(payload: ByteBuffer, compressible: Bool) { content = .payload(payload, compressible: compressible) }
    public init(framed: ByteBuffer) { content = .framed(framed) }
}

/// NIO encoder: `OutgoingFrame` → bytes.
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = OutgoingFrame
    public let limits: WireLimits

    public init(limits: WireLimits = .default) {
        self.limits = limits
    }

    public func encode(data: OutgoingFrame, out: inout ByteBuffer) throws {
        switch data.content {
        case .payload(let payload, let compressible):
            try FrameWriter.write(payload: payload, compress: compressible, limits: limits, into: &out)
        case .framed(var bytes):
            out.writeBuffer(&bytes)
        }
    }
}
