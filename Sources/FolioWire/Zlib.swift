import CZlib
import NIOCore

/// zlib (RFC 1950) through the system library. Inflation is bounded: it stops as soon as the
/// output would pass the limit, so a bomb costs at most `limit` bytes of memory.
public enum Zlib {
    /// Compresses `input` into a complete zlib stream.
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 1) -> [UInt8] {
        var stream = z_stream()
        let initStatus = deflateInit_(&stream, level, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "deflateInit failed: \(initStatus)")  // only on out-of-memory
        defer { deflateEnd(&stream) }
        return runDeflate(&stream, input: input, flush: Z_FINISH)
    }

    public static func compress(_ input: [UInt8], level: Int32 = 1) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level) }
    }

    /// Compresses `input` as raw deflate blocks ending in a sync flush: byte-aligned, not final,
    /// and referring to no earlier data, so the blocks can be spliced into any zlib stream
    /// (see `PrecompressedBody`).
    public static func rawDeflateBlocks(_ input: UnsafeRawBufferPointer, level: Int32 = 1) -> [UInt8] {
        var stream = z_stream()
        let initStatus = deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                       zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "deflateInit2 failed: \(initStatus)")
        defer { deflateEnd(&stream) }
        return runDeflate(&stream, input: input, flush: Z_SYNC_FLUSH)
    }

    private static func runDeflate(_ stream: inout z_stream, input: UnsafeRawBufferPointer, flush: Int32) -> [UInt8] {
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 16
        var output = [UInt8](repeating: 0, count: bound)
        var produced = 0
        output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
            stream.avail_out = uInt(out.count)
            let status = deflate(&stream, flush)
            precondition(status == Z_STREAM_END || status == Z_OK, "deflate failed: \(status)")
            precondition(stream.avail_in == 0, "deflateBound too small")
            produced = out.count - Int(stream.avail_out)
        }
        output.removeSubrange(produced...)
        return output
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

    public static func adler32(_ input: UnsafeRawBufferPointer, seed: UInt32 = 1) -> UInt32 {
        guard let base = input.bindMemory(to: Bytef.self).baseAddress else { return seed }
        return UInt32(CZlib.adler32(uLong(seed), base, uInt(input.count)))
    }

    /// The Adler-32 of `a ++ b` from the checksums of both parts and the length of `b`.
    public static func adler32Combine(_ a: UInt32, _ b: UInt32, lengthOfB: Int) -> UInt32 {
        UInt32(CZlib.adler32_combine(uLong(a), uLong(b), off_t(lengthOfB)))
    }
}
