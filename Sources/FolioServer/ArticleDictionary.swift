import CZlib
import FolioWire
import NIOCore
import NIOPosix

/// A zlib preset dictionary built from the archive's own articles, and the deflate/inflate that
/// use it for the stored article bodies.
///
/// Most stored articles are a few KB: too short for deflate to find much to refer back to in the
/// article itself. A 32 KB dictionary of the byte strings that recur across many articles (the
/// message's field tags around common phrases, agencies, places, dates, entity types) gives it
/// that history: on held-out pfr1998 articles level 6 with the dictionary stores 0.43–0.44 of the
/// serialized size against 0.56 for level 1 without (see README). The dictionary is built when a
/// snapshot is written from a corpus that has none, stored in the snapshot, and read back with it;
/// nothing of it comes from outside the archive.
///
/// Blocks made with a dictionary are a raw deflate stream no client can inflate, so foliod sends
/// those articles plain (see `ArticleBody.responseFrame`).
final class ArticleDictionary: Sendable {
    /// The deflate window: a longer dictionary could never be referred to.
    static let maximumSize = 32 * 1024
    /// Deflate level of the stored bodies: they are compressed once, in the background, and the
    /// dictionary's matches need a level that looks for them (level 1 gains a third as much).
    static let level: Int32 = 6

    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A raw deflate stream (final block included) of `plain` with this dictionary as its history.
    func deflate(_ plain: UnsafeRawBufferPointer) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        let status = deflateInit2_(stream, Self.level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")  // only on out-of-memory
        bytes.withUnsafeBufferPointer { _ = deflateSetDictionary(stream, $0.baseAddress, uInt($0.count)) }
        let bound = Int(deflateBound(stream, uLong(plain.count))) + 16
        return [UInt8](unsafeUninitializedCapacity: bound) { out, initialized in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: plain.bindMemory(to: Bytef.self).baseAddress)
            stream.pointee.avail_in = uInt(plain.count)
            stream.pointee.next_out = out.baseAddress
            stream.pointee.avail_out = uInt(out.count)
            let result = CZlib.deflate(stream, Z_FINISH)
            precondition(result == Z_STREAM_END, "deflate failed: \(result)")
            initialized = out.count - Int(stream.pointee.avail_out)
        }
    }

    func deflate(_ plain: [UInt8]) -> [UInt8] {
        plain.withUnsafeBytes { deflate($0) }
    }

    private static let inflaters = ThreadSpecificVariable<DictionaryInflater>()

    /// Appends the `plainCount` bytes that `blocks` (made by `deflate`) inflate to; throws
    /// `dataLoss` when they do not inflate to exactly that.
    func inflate(_ blocks: ArraySlice<UInt8>, plainCount: Int, into out: inout ByteBuffer) throws {
        let inflater = Self.inflaters.currentValue ?? {
            let made = DictionaryInflater()
            Self.inflaters.currentValue = made
            return made
        }()
        try inflater.inflate(blocks, dictionary: bytes, plainCount: plainCount, into: &out)
    }

    func inflate(_ blocks: ArraySlice<UInt8>, plainCount: Int) throws -> [UInt8] {
        var out = ByteBuffer()
        try inflate(blocks, plainCount: plainCount, into: &out)
        return Array(out.readableBytesView)
    }
}

/// One raw-inflate stream, reset per body (a stream per call would cost more than the inflation).
/// The z_stream lives at a fixed address: zlib keeps a pointer back to it.
final class DictionaryInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let ready: Bool

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        ready = inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if ready { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    func inflate(_ blocks: ArraySlice<UInt8>, dictionary: [UInt8], plainCount: Int, into out: inout ByteBuffer) throws {
        guard ready else { throw StatusError(.internal, "cannot set up an inflater") }
        inflateReset(stream)
        let set = dictionary.withUnsafeBufferPointer { inflateSetDictionary(stream, $0.baseAddress, uInt($0.count)) }
        guard set == Z_OK else { throw StatusError(.dataLoss, "cannot set the article dictionary (\(set))") }
        var status: Int32 = Z_OK
        var produced = 0
        blocks.withUnsafeBufferPointer { input in
            // One byte of room beyond `plainCount`: a stream that would inflate to more is caught.
            produced = out.writeWithUnsafeMutableBytes(minimumWritableBytes: plainCount + 1) { room in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = room.bindMemory(to: Bytef.self).baseAddress
                stream.pointee.avail_out = uInt(plainCount + 1)
                status = CZlib.inflate(stream, Z_FINISH)
                defer {
                    stream.pointee.next_in = nil
                    stream.pointee.next_out = nil
                }
                return plainCount + 1 - Int(stream.pointee.avail_out)
            }
        }
        guard status == Z_STREAM_END, produced == plainCount, stream.pointee.avail_in == 0 else {
            out.moveWriterIndex(to: out.writerIndex - produced)
            throw StatusError(.dataLoss, "stored article did not inflate to its \(plainCount) bytes (zlib \(status), \(produced) bytes)")
        }
    }
}
