import CZlib
import NIOCore

/// A zlib inflate stream kept for a connection's life and reset for each frame: creating one
/// per frame (zlib's state plus its 32 KB window) cost more than inflating a 2 KB article.
/// Not for concurrent use (one per frame parser, i.e. per connection).
public final class Inflater: @unchecked Sendable {
    private var stream = z_stream()
    private var initialized = false

    public init() {}

    deinit {
        if initialized { inflateEnd(&stream) }
    }

    /// Appends the inflation of one complete zlib stream to `out`, refusing
    /// (`inflatedTooLarge`) as soon as the output would pass `limit` bytes, and
    /// (`corruptCompression`) anything that is not exactly one valid zlib stream.
    public func inflate(_ input: UnsafeRawBufferPointer, limit: Int, into out: inout ByteBuffer) throws {
        guard let base = input.bindMemory(to: Bytef.self).baseAddress, !input.isEmpty else {
            throw WireError(.corruptCompression, "empty zlib payload")
        }
        if initialized {
            inflateReset(&stream)
        } else {
            guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw WireError(.corruptCompression, "inflateInit failed")
            }
            initialized = true
        }
        stream.next_in = UnsafeMutablePointer(mutating: base)
        stream.avail_in = uInt(input.count)
        defer {
            stream.next_in = nil
            stream.next_out = nil
        }
        // Grow geometrically but never past limit + 1: one byte beyond the limit proves the bomb.
        var chunk = min(max(input.count * 4, 4096), limit + 1)
        var produced = 0
        while true {
            var status: Int32 = Z_OK
            var roomLeft = 0
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: chunk) { raw in
                let room = min(raw.count, limit + 1 - produced)
                stream.next_out = raw.bindMemory(to: Bytef.self).baseAddress!
                stream.avail_out = uInt(room)
                status = CZlib.inflate(&stream, Z_NO_FLUSH)
                roomLeft = Int(stream.avail_out)
                let wrote = room - roomLeft
                produced += wrote
                return wrote
            }
            if produced > limit {
                throw WireError(.inflatedTooLarge, "payload inflates past the \(limit)-byte limit")
            }
            switch status {
            case Z_STREAM_END:
                guard stream.avail_in == 0 else {
                    throw WireError(.corruptCompression, "\(stream.avail_in) bytes after the end of the zlib stream")
                }
                return
            case Z_OK, Z_BUF_ERROR:
                if roomLeft == 0 {
                    chunk = max(1, min(produced, limit + 1 - produced))
                } else if stream.avail_in == 0 {
                    throw WireError(.corruptCompression, "zlib stream is truncated")
                } else if status == Z_BUF_ERROR {
                    throw WireError(.corruptCompression, "zlib stream makes no progress")
                }
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw WireError(.corruptCompression, "invalid zlib stream: \(reason)")
            }
        }
    }
}
