import CZlib
import NIOCore

extension Zlib {
    /// An inflate stream kept for many inputs and reset for each: creating one per frame (zlib's
    /// state plus its 32 KB window) costs more than inflating a short article. One per connection
    /// (frames) or per thread (stored bodies); not for concurrent use.
    // @unchecked: moved between threads but used by one at a time (per connection or per thread), as above.
    public final class Inflater: @unchecked Sendable {
        public let format: Format
        /// zlib keeps a pointer back to the stream: it lives at a fixed address.
        private let stream: UnsafeMutablePointer<z_stream>
        private var initialized = false

        public init(format: Format = .zlib) {
            self.format = format
            stream = .allocate(capacity: 1)
            stream.initialize(to: z_stream())
        }

        deinit {
            if initialized { inflateEnd(stream) }
            stream.deinitialize(count: 1)
            stream.deallocate()
        }

        /// Appends the inflation of one complete stream to `out`, refusing (`inflatedTooLarge`) as
        /// soon as the output would pass `limit` bytes, and (`corruptCompression`) anything that is
        /// not exactly one valid stream. `dictionary`: the preset dictionary of a `.raw` stream.
        /// On a throw `out` is left as it was.
        public func inflate(_ input: UnsafeRawBufferPointer, dictionary: [UInt8]? = nil, limit: Int,
                            into out: inout ByteBuffer) throws {
            guard let base = input.bindMemory(to: Bytef.self).baseAddress, !input.isEmpty else {
                throw WireError(.corruptCompression, "empty zlib payload")
            }
            try reset(dictionary: dictionary)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
            stream.pointee.avail_in = uInt(input.count)
            defer {
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
            let start = out.writerIndex
            do {
                try run(inputCount: input.count, limit: limit, into: &out)
            } catch {
                out.moveWriterIndex(to: start)
                throw error
            }
        }

        private func reset(dictionary: [UInt8]?) throws {
            if initialized {
                inflateReset(stream)
            } else {
                guard inflateInit2_(stream, format.windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                    throw WireError(.corruptCompression, "inflateInit failed")
                }
                initialized = true
            }
            if let dictionary {
                let set = dictionary.withUnsafeBufferPointer { inflateSetDictionary(stream, $0.baseAddress, uInt($0.count)) }
                guard set == Z_OK else { throw WireError(.corruptCompression, "cannot set the preset dictionary (\(set))") }
            }
        }

        private func run(inputCount: Int, limit: Int, into out: inout ByteBuffer) throws {
            // Grow geometrically but never past limit + 1: one byte beyond the limit proves the bomb.
            var chunk = min(max(inputCount * 4, 4096), limit + 1)
            var produced = 0
            while true {
                var status: Int32 = Z_OK
                var roomLeft = 0
                out.writeWithUnsafeMutableBytes(minimumWritableBytes: chunk) { raw in
                    let room = min(raw.count, limit + 1 - produced)
                    stream.pointee.next_out = raw.bindMemory(to: Bytef.self).baseAddress!
                    stream.pointee.avail_out = uInt(room)
                    status = CZlib.inflate(stream, Z_NO_FLUSH)
                    roomLeft = Int(stream.pointee.avail_out)
                    let wrote = room - roomLeft
                    produced += wrote
                    return wrote
                }
                if produced > limit {
                    throw WireError(.inflatedTooLarge, "payload inflates past the \(limit)-byte limit")
                }
                switch status {
                case Z_STREAM_END:
                    guard stream.pointee.avail_in == 0 else {
                        throw WireError(.corruptCompression, "\(stream.pointee.avail_in) bytes after the end of the zlib stream")
                    }
                    return
                case Z_OK, Z_BUF_ERROR:
                    if roomLeft == 0 {
                        chunk = max(1, min(produced, limit + 1 - produced))
                    } else if stream.pointee.avail_in == 0 {
                        throw WireError(.corruptCompression, "zlib stream is truncated")
                    } else if status == Z_BUF_ERROR {
                        throw WireError(.corruptCompression, "zlib stream makes no progress")
                    }
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw WireError(.corruptCompression, "invalid zlib stream: \(reason)")
                }
            }
        }
    }
}
