import CZlib
import NIOPosix

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

        /// Deflates `input` in one go into a complete stream (for `.zlib` with its checksum).
        public func deflate(_ input: UnsafeRawBufferPointer) -> [UInt8] {
            DeflateStream.current(format: format, level: level).deflate(input, dictionary: dictionary)
        }

        public func deflate(_ input: [UInt8]) -> [UInt8] {
            input.withUnsafeBytes { deflate($0) }
        }
    }

    /// A deflate stream kept per thread and reset for each input: setting one up (zlib's state, its
    /// window and hash tables) costs several times more than deflating a few KB, and the store
    /// deflates every article it parses.
    // @unchecked: each lives in one thread's `streams` and is only used by that thread.
    final class DeflateStream: @unchecked Sendable {
        let format: Format
        let level: Int32
        /// zlib keeps a pointer back to the stream: it lives at a fixed address.
        private let stream: UnsafeMutablePointer<z_stream>

        private static let streams = ThreadSpecificVariable<PerThread>()

        // @unchecked: a thread's own streams, reached only through its thread-specific slot.
        private final class PerThread: @unchecked Sendable {
            var streams: [DeflateStream] = []
        }

        static func current(format: Format, level: Int32) -> DeflateStream {
            let perThread = streams.currentValue ?? {
                let made = PerThread()
                streams.currentValue = made
                return made
            }()
            if let kept = perThread.streams.first(where: { $0.format == format && $0.level == level }) { return kept }
            let made = DeflateStream(format: format, level: level)
            perThread.streams.append(made)
            return made
        }

        private init(format: Format, level: Int32) {
            self.format = format
            self.level = level
            stream = .allocate(capacity: 1)
            stream.initialize(to: z_stream())
            let status = deflateInit2_(stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY,
                                       zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            precondition(status == Z_OK, "deflateInit2 failed: \(status)")  // only on out-of-memory
        }

        deinit {
            CZlib.deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }

        func deflate(_ input: UnsafeRawBufferPointer, dictionary: [UInt8]?) -> [UInt8] {
            CZlib.deflateReset(stream)
            if let dictionary {
                dictionary.withUnsafeBufferPointer { _ = deflateSetDictionary(stream, $0.baseAddress, uInt($0.count)) }
            }
            defer {
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
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
            let result = CZlib.deflate(stream, Z_FINISH)
            precondition(result == Z_STREAM_END, "deflate failed: \(result)")
            precondition(stream.pointee.avail_in == 0, "deflateBound too small")
            return Array(buffer[0..<(bound - Int(stream.pointee.avail_out))])
        }
    }
}
