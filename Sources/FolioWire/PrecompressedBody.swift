import NIOCore

/// A response body serialized (and, when large, deflated) once, then framed per request
/// without re-encoding or re-compressing it: the hot path of GetArticle.
///
/// The zlib stream of a response is spliced from three pieces: a stored block holding the
/// envelope prefix (call id, body tag and length), the body's cached raw deflate blocks, and
/// a final stored block holding the envelope suffix (an OK status). Adler-32 is combined
/// from the cached body checksum, so only a few bytes are touched per call.
public struct PrecompressedBody: Sendable {
    public let plain: [UInt8]
    /// Raw deflate blocks of `plain` ending in a sync flush; nil for bodies below the threshold.
    public let deflated: [UInt8]?
    public let adler: UInt32

    /// `deflate: false` keeps only the plain bytes (frames then always go uncompressed).
    public init(serialized: [UInt8], limits: WireLimits = .default, deflate: Bool = true) {
        plain = serialized
        adler = serialized.withUnsafeBytes { Zlib.adler32($0) }
        deflated = deflate && serialized.count >= limits.compressionThreshold
            ? serialized.withUnsafeBytes { Zlib.rawDeflateBlocks($0, level: limits.compressionLevel) }
            : nil
    }

    /// Envelope bytes before the body: `id` (field 1, omitted when 0) and the `body` tag + length.
    static func envelopePrefix(id: UInt64, bodyLength: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        if id != 0 {
            bytes.append(0x08)
            appendVarint(id, to: &bytes)
        }
        if bodyLength > 0 {
            bytes.append(0x12)
            appendVarint(UInt64(bodyLength), to: &bytes)
        }
        return bytes
    }

    /// Envelope bytes after the body: `status` (field 3) present and empty, i.e. OK.
    static let okStatusSuffix: [UInt8] = [0x1A, 0x00]

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// The complete frame of a final OK response with this body, compressed when `compress`
    /// and the body was large enough to have been deflated. Byte-for-byte the same envelope
    /// as `Envelopes.finalResponse(id:body:)` serialized.
    public func responseFrame(id: UInt64, compress: Bool, limits: WireLimits = .default,
                              allocator: ByteBufferAllocator = .init()) throws -> ByteBuffer {
        let prefix = Self.envelopePrefix(id: id, bodyLength: plain.count)
        let suffix = Self.okStatusSuffix
        guard compress, let deflated else {
            let length = prefix.count + plain.count + suffix.count
            try FrameWriter.checkOutgoing(length, limits)
            var out = allocator.buffer(capacity: FrameLayout.headerBytes + length)
            out.writeInteger(UInt8(0))
            out.writeInteger(UInt32(length), endianness: .big)
            out.writeBytes(prefix)
            plain.withUnsafeBytes { _ = out.writeBytes($0) }
            out.writeBytes(suffix)
            return out
        }
        // zlib header (deflate, 32K window, fastest) + stored(prefix) + body blocks + final stored(suffix) + adler.
        let length = 2 + (5 + prefix.count) + deflated.count + (5 + suffix.count) + 4
        try FrameWriter.checkOutgoing(length, limits)
        var out = allocator.buffer(capacity: FrameLayout.headerBytes + length)
        out.writeInteger(FrameLayout.compressedFlag)
        out.writeInteger(UInt32(length), endianness: .big)
        out.writeBytes([0x78, 0x01])
        Self.writeStoredBlock(prefix, final: false, into: &out)
        out.writeBytes(deflated)
        Self.writeStoredBlock(suffix, final: true, into: &out)
        var checksum = prefix.withUnsafeBytes { Zlib.adler32($0) }
        checksum = Zlib.adler32Combine(checksum, adler, lengthOfB: plain.count)
        checksum = Zlib.adler32Combine(checksum, suffix.withUnsafeBytes { Zlib.adler32($0) }, lengthOfB: suffix.count)
        out.writeInteger(checksum, endianness: .big)
        return out
    }

    private static func writeStoredBlock(_ bytes: [UInt8], final: Bool, into out: inout ByteBuffer) {
        out.writeInteger(UInt8(final ? 1 : 0))
        out.writeInteger(UInt16(bytes.count), endianness: .little)
        out.writeInteger(~UInt16(bytes.count), endianness: .little)
        out.writeBytes(bytes)
    }
}
