import NIOCore

/// One decoded frame: its payload already inflated, and whether it came compressed.
public struct Frame: Equatable, Sendable {
    public var payload: ByteBuffer
    /// Flag bit 0 was set on the wire (informational; `payload` is always plain).
    public var wasCompressed: Bool

    public init(payload: ByteBuffer, wasCompressed: Bool = false) {
        self.payload = payload
        self.wasCompressed = wasCompressed
    }
}

/// The frame state machine with no NIO channel around it: feed bytes, take frames.
///
/// It keeps sync after a refused frame whenever the length header was read: the bad
/// payload is skipped (`bytesToDiscard`) so the next call starts at the next header.
public struct FrameParser: Sendable {
    public let limits: WireLimits
    private var pendingHeader: (flags: UInt8, length: Int)?
    /// Reused for every compressed frame of the connection (created on the first one).
    private var inflater: Zlib.Inflater?
    /// Bytes of a refused frame's payload still to be skipped.
    public private(set) var bytesToDiscard = 0

    public init(limits: WireLimits = .default) {
        self.limits = limits
    }

    /// True while a frame has been started but not completed (for end-of-stream checks).
    public var isMidFrame: Bool { pendingHeader != nil || bytesToDiscard > 0 }

    /// Takes the next complete frame out of `buffer`, or returns nil when more bytes are needed.
    /// Throws a `WireError` for a frame that breaks the protocol; the frame's bytes are consumed
    /// (or scheduled to be skipped) so parsing may continue with the following frame.
    public mutating func next(from buffer: inout ByteBuffer) throws -> Frame? {
        if bytesToDiscard > 0 {
            let skip = min(bytesToDiscard, buffer.readableBytes)
            buffer.moveReaderIndex(forwardBy: skip)
            bytesToDiscard -= skip
            if bytesToDiscard > 0 { return nil }
        }
        if pendingHeader == nil {
            guard buffer.readableBytes >= FrameLayout.headerBytes,
                  let flags = buffer.readInteger(as: UInt8.self),
                  let length = buffer.readInteger(endianness: .big, as: UInt32.self)
            else { return nil }
            let size = Int(length)
            if flags & FrameLayout.reservedMask != 0 {
                try refuse(size, buffer: &buffer, WireError(.reservedFlags,
                    "reserved frame flag bits set: 0x\(String(flags, radix: 16))"))
            }
            if size > limits.maxFrameBytes {
                try refuse(size, buffer: &buffer, WireError(.frameTooLarge,
                    "frame of \(size) bytes exceeds the \(limits.maxFrameBytes)-byte limit"))
            }
            pendingHeader = (flags, size)
        }
        guard let header = pendingHeader, buffer.readableBytes >= header.length else { return nil }
        pendingHeader = nil
        let payload = buffer.readSlice(length: header.length)!
        guard header.flags & FrameLayout.compressedFlag != 0 else {
            return Frame(payload: payload, wasCompressed: false)
        }
        if inflater == nil { inflater = Zlib.Inflater() }
        var inflated = ByteBuffer()
        try payload.withUnsafeReadableBytes { raw in
            try inflater!.inflate(raw, limit: limits.maxInflatedBytes, into: &inflated)
        }
        return Frame(payload: inflated, wasCompressed: true)
    }

    private mutating func refuse(_ length: Int, buffer: inout ByteBuffer, _ error: WireError) throws -> Never {
        let skip = min(length, buffer.readableBytes)
        buffer.moveReaderIndex(forwardBy: skip)
        bytesToDiscard = length - skip
        throw error
    }
}
