import CLibdeflate
import CZlib
import NIOCore

/// zlib through the system library: the one place in the package that drives a z_stream.
/// Inflation is bounded: it stops as soon as the output would pass the limit, so a bomb costs at
/// most `limit` bytes of memory.
public enum Zlib {
    /// How the deflate data is wrapped.
    public enum Format: Sendable {
        /// RFC 1950: a 2-byte header, deflate blocks, an Adler-32 trailer (the wire's frames).
        case zlib
        /// Bare deflate blocks (RFC 1951): spliced into frames, or kept by the store with a dictionary.
        case raw

        var windowBits: Int32 { self == .zlib ? 15 : -15 }
    }

    /// Compresses `input` into a complete zlib stream.
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 1) -> [UInt8] {
        Deflater(format: .zlib, level: level).deflate(input)
    }

    public static func compress(_ input: [UInt8], level: Int32 = 1) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level) }
    }

    /// Inflates a complete zlib stream, refusing (`inflatedTooLarge`) as soon as the output
    /// would exceed `limit` bytes, and `corruptCompression` for anything that is not exactly one
    /// valid zlib stream.
    public static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws -> [UInt8] {
        var out = ByteBuffer()
        try Inflater().inflate(input, limit: limit, into: &out)
        return Array(out.readableBytesView)
    }

    public static func decompress(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        try input.withUnsafeBytes { try decompress($0, limit: limit) }
    }

    /// A complete zlib stream around a raw deflate stream made by `rawDeflateStream`: the header,
    /// the stream and `adler`, so that inflating it checks the stream's checksum.
    public static func zlibStream(aroundRaw stream: some Collection<UInt8>, adler: UInt32) -> [UInt8] {
        var out: [UInt8] = zlibHeader
        out.reserveCapacity(stream.count + 6)
        out.append(contentsOf: stream)
        out.append(contentsOf: [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)])
        return out
    }

    /// The zlib header foliod writes: deflate, 32K window, fastest.
    public static let zlibHeader: [UInt8] = [0x78, 0x01]

    /// A stored (uncompressed) deflate block holding `bytes` (at most 65,535 of them).
    public static func appendStoredBlock<Sink: ProtoByteSink>(_ bytes: [UInt8], final: Bool, to out: inout Sink) {
        let count = UInt16(bytes.count)
        for byte in [UInt8(final ? 1 : 0), UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8(~count >> 8)] {
            out.appendByte(byte)
        }
        for byte in bytes { out.appendByte(byte) }
    }

    /// Bytes `appendStoredBlock` writes for `count` bytes.
    public static func storedBlockSize(_ count: Int) -> Int { 5 + count }

    /// libdeflate's Adler-32 (vectorized; zlib's is scalar): the store sums every body it keeps.
    public static func adler32(_ input: UnsafeRawBufferPointer, seed: UInt32 = 1) -> UInt32 {
        guard let base = input.baseAddress else { return seed }
        return libdeflate_adler32(seed, base, input.count)
    }

    /// The Adler-32 of `a ++ b` from the checksums of both parts and the length of `b`.
    public static func adler32Combine(_ a: UInt32, _ b: UInt32, lengthOfB: Int) -> UInt32 {
        UInt32(CZlib.adler32_combine(uLong(a), uLong(b), off_t(lengthOfB)))
    }
}
