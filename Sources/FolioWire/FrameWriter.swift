import NIOCore

/// Writes frames: the one writer of the frame header, and the one builder of a final OK response
/// around a body encoded ahead of time (plain, or a raw deflate stream spliced into the frame's zlib
/// stream as it is). Payloads of at least `compressionThreshold` bytes are compressed when
/// `compress` is true (the peer accepts zlib); smaller ones always go plain.
public enum FrameWriter {
    /// `flags: u8 | length: u32 BE`.
    public static func writeHeader(compressed: Bool, length: Int, into out: inout ByteBuffer) {
        out.writeInteger(compressed ? FrameLayout.compressedFlag : 0)
        out.writeInteger(UInt32(length), endianness: .big)
    }

    public static func write(payload: UnsafeRawBufferPointer, compress: Bool, limits: WireLimits = .default,
                             into out: inout ByteBuffer) throws {
        if compress && payload.count >= limits.compressionThreshold {
            let deflated = Zlib.compress(payload, level: limits.compressionLevel)
            try checkOutgoing(deflated.count, limits)
            writeHeader(compressed: true, length: deflated.count, into: &out)
            out.writeBytes(deflated)
        } else {
            try checkOutgoing(payload.count, limits)
            writeHeader(compressed: false, length: payload.count, into: &out)
            out.writeBytes(payload)
        }
    }

    public static func write(payload: ByteBuffer, compress: Bool, limits: WireLimits = .default,
                             into out: inout ByteBuffer) throws {
        try payload.withUnsafeReadableBytes { try write(payload: $0, compress: compress, limits: limits, into: &out) }
    }

    /// A whole frame as a fresh buffer.
    public static func frame(payload: [UInt8], compress: Bool, limits: WireLimits = .default) throws -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(payload.count + FrameLayout.headerBytes)
        try payload.withUnsafeBytes { try write(payload: $0, compress: compress, limits: limits, into: &out) }
        return out
    }

    static func checkOutgoing(_ size: Int, _ limits: WireLimits) throws {
        guard size <= limits.maxFrameBytes else {
            throw WireError(.outgoingTooLarge,
                            "message of \(size) bytes exceeds the \(limits.maxFrameBytes)-byte frame limit")
        }
    }
}

// MARK: - Final OK responses around bodies encoded ahead of time

extension FrameWriter {
    /// Envelope bytes before the body: `id` (field 1, omitted when 0) and the `body` tag and length
    /// (omitted when empty), as swift-protobuf writes them.
    static func okResponsePrefix(id: UInt64, bodyLength: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        if id != 0 {
            ProtoWire.writeKey(field: 1, wireType: ProtoWire.varintType, into: &bytes)
            ProtoWire.writeVarint(id, into: &bytes)
        }
        if bodyLength > 0 { ProtoWire.writeLengthPrefix(field: 2, length: bodyLength, into: &bytes) }
        return bytes
    }

    /// Envelope bytes after the body: `status` (field 3) present and empty, i.e. OK.
    static let okStatusSuffix: [UInt8] = [0x1A, 0x00]

    /// Payload bytes of the plain frame of an OK response with a body of `plainCount` bytes.
    public static func okResponseLength(id: UInt64, plainCount: Int) -> Int {
        okResponsePrefix(id: id, bodyLength: plainCount).count + plainCount + okStatusSuffix.count
    }

    /// The plain frame of a final OK response; `writeBody` appends the `plainCount` body bytes.
    /// Byte for byte `Envelopes.finalResponse(id:body:)` serialized and framed plain.
    public static func okResponseFrame(id: UInt64, plainCount: Int, limits: WireLimits = .default,
                                       allocator: ByteBufferAllocator = .init(),
                                       writeBody: (inout ByteBuffer) throws -> Void) throws -> ByteBuffer {
        let prefix = okResponsePrefix(id: id, bodyLength: plainCount)
        let length = prefix.count + plainCount + okStatusSuffix.count
        try checkOutgoing(length, limits)
        var out = allocator.buffer(capacity: FrameLayout.headerBytes + length)
        writeHeader(compressed: false, length: length, into: &out)
        out.writeBytes(prefix)
        try writeBody(&out)
        out.writeBytes(okStatusSuffix)
        return out
    }

    /// The compressed frame of a final OK response whose body is `stream`: a raw deflate stream
    /// (`Zlib.rawDeflateStream`) of `plainCount` bytes with Adler-32 `adler`.
    ///
    /// The zlib stream is spliced from two pieces: a stored block holding the envelope's fields
    /// before the body (call id, the OK status, body tag and length) and the body's stream as it is,
    /// which ends the deflate data; its Adler-32 is combined from the parts', so only a few bytes
    /// are touched per call. The status comes before the body here (protobuf readers take fields in
    /// any order): the body's stream has to come last, since its last block is final.
    public static func okResponseFrame(id: UInt64, deflatedStream stream: some Collection<UInt8>, adler: UInt32,
                                       plainCount: Int, limits: WireLimits = .default,
                                       allocator: ByteBufferAllocator = .init()) throws -> ByteBuffer {
        var head = okResponsePrefix(id: id, bodyLength: 0)
        head += okStatusSuffix
        ProtoWire.writeLengthPrefix(field: 2, length: plainCount, into: &head)
        let length = Zlib.zlibHeader.count + Zlib.storedBlockSize(head.count) + stream.count + 4
        try checkOutgoing(length, limits)
        var out = allocator.buffer(capacity: FrameLayout.headerBytes + length)
        writeHeader(compressed: true, length: length, into: &out)
        out.writeBytes(Zlib.zlibHeader)
        Zlib.appendStoredBlock(head, final: false, to: &out)
        out.writeBytes(stream)
        let checksum = Zlib.adler32Combine(head.withUnsafeBytes { Zlib.adler32($0) }, adler, lengthOfB: plainCount)
        out.writeInteger(checksum, endianness: .big)
        return out
    }

    /// The frame of a final OK response with the serialized `body`: compressed (blocks deflated
    /// here) when `compress` and the payload (the envelope around the body, as for every other
    /// frame) reaches the compression threshold, else plain.
    public static func okResponseFrame(id: UInt64, body: [UInt8], compress: Bool, limits: WireLimits = .default,
                                       allocator: ByteBufferAllocator = .init()) throws -> ByteBuffer {
        guard compress, okResponseLength(id: id, plainCount: body.count) >= limits.compressionThreshold else {
            return try okResponseFrame(id: id, plainCount: body.count, limits: limits, allocator: allocator) {
                $0.writeBytes(body)
            }
        }
        let (stream, adler) = body.withUnsafeBytes {
            (Zlib.rawDeflateStream($0, level: limits.compressionLevel), Zlib.adler32($0))
        }
        return try okResponseFrame(id: id, deflatedStream: stream, adler: adler, plainCount: body.count,
                                   limits: limits, allocator: allocator)
    }
}
