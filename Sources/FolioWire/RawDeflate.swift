import CLibdeflate
import NIOPosix

extension Zlib {
    /// Compresses `input` into a complete raw deflate stream (RFC 1951, its last block final) that
    /// refers to no earlier data: it can end any zlib stream whose blocks before it end byte-aligned
    /// and not final (see `FrameWriter.okResponseFrame(id:deflatedStream:adler:plainCount:limits:allocator:)`).
    ///
    /// Made by libdeflate, not zlib: the store compresses every article it parses, and for
    /// article-sized inputs libdeflate's level 1 runs about 2.4 times as fast as zlib's for output
    /// about 1.5% larger (Benchmarks/RESULTS.md, "Cold start: libdeflate for stored bodies").
    public static func rawDeflateStream(_ input: UnsafeRawBufferPointer, level: Int32 = 1) -> [UInt8] {
        RawCompressor.current(level: level).compress(input)
    }

    /// A libdeflate compressor kept per thread (allocating one costs more than compressing a few KB).
    // @unchecked: each lives in one thread's slot and is only used by that thread.
    final class RawCompressor: @unchecked Sendable {
        let level: Int32
        private let compressor: OpaquePointer

        private static let compressors = ThreadSpecificVariable<RawCompressor>()

        static func current(level: Int32) -> RawCompressor {
            if let kept = compressors.currentValue, kept.level == level { return kept }
            let made = RawCompressor(level: level)
            compressors.currentValue = made
            return made
        }

        private init(level: Int32) {
            // libdeflate's levels are 0…12; zlib's 1…9 mean the same speed/size trade there.
            self.level = min(max(level, 0), 12)
            // nil only when out of memory.
            guard let made = libdeflate_alloc_compressor(self.level) else { fatalError("libdeflate_alloc_compressor failed") }
            compressor = made
        }

        deinit { libdeflate_free_compressor(compressor) }

        func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
            let bound = libdeflate_deflate_compress_bound(compressor, input.count)
            // Compressed into a scratch buffer of the worst-case size, returned in an array of the
            // exact size: the store keeps these arrays, and one of the bound's capacity would hold
            // about as many bytes as the input.
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bound, alignment: 16)
            defer { buffer.deallocate() }
            let written = libdeflate_deflate_compress(compressor, input.baseAddress, input.count, buffer.baseAddress, bound)
            precondition(written > 0, "libdeflate output exceeded its own bound")
            return Array(buffer[0..<written])
        }
    }
}
