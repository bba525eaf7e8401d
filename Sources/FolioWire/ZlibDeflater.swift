import CZlib

extension Zlib {
    /// One deflate configuration: format, level and an optional preset dictionary (raw format only:
    /// the store's bodies, deflated against the archive's own dictionary).
    public struct Deflater: Sendable {
        public let format: Format
        public let level: Int32
        public let dictionary: [UInt8]?

        public init(format: Format, level: Int32, dictionary: [UInt8]? = nil) {
            precondition(dictionary == nil || format == .raw, "a preset dictionary goes with the raw format")
            self.format = format
            self.level = level
            self.dictionary = dictionary
        }

        /// Deflates `input` in one go. `final`: the stream ends (a final block, and for `.zlib`
        /// the checksum); otherwise the blocks end in a sync flush, byte-aligned and open.
        public func deflate(_ input: UnsafeRawBufferPointer, final: Bool = true) -> [UInt8] {
            // zlib keeps a pointer back to the stream: it lives at a fixed address.
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            defer {
                CZlib.deflateEnd(stream)
                stream.deinitialize(count: 1)
                stream.deallocate()
            }
            let status = deflateInit2_(stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY,
                                       zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            precondition(status == Z_OK, "deflateInit2 failed: \(status)")  // only on out-of-memory
            if let dictionary {
                dictionary.withUnsafeBufferPointer { _ = deflateSetDictionary(stream, $0.baseAddress, uInt($0.count)) }
            }
            // Deflated into a buffer of the worst-case size, returned in an array of the exact size:
            // callers keep these arrays (the store holds every article body), and an array made with
            // the bound's capacity would hold about as many bytes as the input it compressed.
            let bound = Int(deflateBound(stream, uLong(input.count))) + 16
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bound)
            defer { buffer.deallocate() }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = buffer.baseAddress
            stream.pointee.avail_out = uInt(bound)
            let result = CZlib.deflate(stream, final ? Z_FINISH : Z_SYNC_FLUSH)
            precondition(result == Z_STREAM_END || result == Z_OK, "deflate failed: \(result)")
            precondition(stream.pointee.avail_in == 0, "deflateBound too small")
            return Array(buffer[0..<(bound - Int(stream.pointee.avail_out))])
        }

        public func deflate(_ input: [UInt8], final: Bool = true) -> [UInt8] {
            input.withUnsafeBytes { deflate($0, final: final) }
        }
    }
}
