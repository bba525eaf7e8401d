import FolioModel
import FolioWire
import NIOCore
import NIOPosix

/// The GetArticle response body of one article, prepared once and kept: no call re-encodes it.
/// A view made per call of the bytes a `StoredArticle` holds (the store keeps no object per article).
///
/// Articles of at least the compression threshold are stored compressed: after a parse as a raw
/// deflate stream (`Zlib.rawDeflateStream`, level 1) that a zlib-accepting client receives
/// spliced into its frame as-is; once read from a snapshot, as deflate streams made with the
/// archive's own dictionary (`ArticleDictionary`: smaller again; Benchmarks/RESULTS.md, "Store
/// dictionary"), which every client gets inflated. Inflating is done straight into the frame by an inflater kept per
/// thread (creating one per call would cost more than inflating a 2 KB article), and the plain
/// bytes of recently asked articles are kept in a bounded `PlainArticleCache`.
package final class ArticleBody: Sendable {
    enum Kind: UInt8 {
        case plain = 0
        /// A raw deflate stream of the serialized article, with its Adler-32 and its length.
        case deflated = 1
        /// A raw deflate stream of the serialized article made with the archive's dictionary: the
        /// smallest form, but no client could inflate it (always sent plain).
        case withDictionary = 2
    }

    enum Storage {
        case plain(ArraySlice<UInt8>)
        case deflated(stream: ArraySlice<UInt8>, adler: UInt32, plainCount: Int)
        case withDictionary(blocks: ArraySlice<UInt8>, plainCount: Int, dictionary: ArticleDictionary)
    }

    let stored: StoredArticle
    let storage: Storage

    init(_ stored: StoredArticle) {
        self.stored = stored
        storage = stored.storage
    }

    /// Bytes held in memory for this body.
    var storedBytes: Int { stored.bodyCount }
    var plainCount: Int { stored.plainCount }
    var dictionary: ArticleDictionary? { stored.dictionary }

    /// The serialized article (inflated when kept deflated).
    package func serialized(limits: WireLimits) throws -> [UInt8] {
        switch storage {
        case .plain(let bytes):
            return Array(bytes)
        case .deflated(let stream, let adler, let plainCount):
            var out = ByteBuffer()
            try Self.inflate(stream: stream, adler: adler, plainCount: plainCount, into: &out)
            return Array(out.readableBytesView)
        case .withDictionary(let blocks, let plainCount, let dictionary):
            return try dictionary.inflate(blocks, plainCount: plainCount)
        }
    }

    private static let inflaters = ThreadSpecificVariable<Zlib.Inflater>()

    /// Appends the `plainCount` bytes the raw stream inflates to (zlib checks them against `adler`).
    static func inflate(stream raw: ArraySlice<UInt8>, adler: UInt32, plainCount: Int, into out: inout ByteBuffer) throws {
        let inflater = inflaters.currentValue ?? {
            let made = Zlib.Inflater(format: .zlib)
            inflaters.currentValue = made
            return made
        }()
        let stream = Zlib.zlibStream(aroundRaw: raw, adler: adler)
        let before = out.writerIndex
        try stream.withUnsafeBytes { try inflater.inflate($0, limit: max(plainCount, 1), into: &out) }
        guard out.writerIndex - before == plainCount else {
            throw StatusError(.dataLoss, "stored article inflated to \(out.writerIndex - before) bytes, not \(plainCount)")
        }
    }

    package func article(limits: WireLimits) throws -> Folio_V1_Article {
        try Folio_V1_Article(serializedBytes: serialized(limits: limits))
    }

    /// The frame of a final OK response carrying this body; compressed when `compress` and deflated.
    package func responseFrame(id: UInt64, compress: Bool, limits: WireLimits, allocator: ByteBufferAllocator,
                       cache: PlainArticleCache = .shared) throws -> ByteBuffer {
        switch storage {
        case .plain(let bytes):
            // Stored plain (under the threshold) yet its payload, with the envelope, may reach it.
            if compress, FrameWriter.okResponseLength(id: id, plainCount: bytes.count) >= limits.compressionThreshold {
                return try FrameWriter.okResponseFrame(id: id, body: Array(bytes), compress: true, limits: limits,
                                                       allocator: allocator)
            }
            return try FrameWriter.okResponseFrame(id: id, plainCount: bytes.count, limits: limits, allocator: allocator) {
                $0.writeBytes(bytes)
            }
        case .deflated(let stream, let adler, let plainCount):
            guard compress else {
                return try cachedPlainFrame(id: id, plainCount: plainCount, limits: limits, allocator: allocator, cache: cache) {
                    try Self.inflate(stream: stream, adler: adler, plainCount: plainCount, into: &$0)
                }
            }
            return try FrameWriter.okResponseFrame(id: id, deflatedStream: stream, adler: adler, plainCount: plainCount,
                                                   limits: limits, allocator: allocator)
        case .withDictionary(let blocks, let plainCount, let dictionary):
            // Plain for every client (the protocol lets a server answer any call plain), unless the
            // article only fits a frame compressed and the client takes zlib: then deflated per call.
            if compress, FrameWriter.okResponseLength(id: id, plainCount: plainCount) > limits.maxFrameBytes {
                let plain = try dictionary.inflate(blocks, plainCount: plainCount)
                return try FrameWriter.okResponseFrame(id: id, body: plain, compress: true, limits: limits,
                                                       allocator: allocator)
            }
            return try cachedPlainFrame(id: id, plainCount: plainCount, limits: limits, allocator: allocator, cache: cache) {
                try dictionary.inflate(blocks, plainCount: plainCount, into: &$0)
            }
        }
    }

    /// A plain frame from the cached plain bytes, else inflated by `inflate` (and then cached).
    private func cachedPlainFrame(id: UInt64, plainCount: Int, limits: WireLimits, allocator: ByteBufferAllocator,
                                  cache: PlainArticleCache, inflate: (inout ByteBuffer) throws -> Void) throws -> ByteBuffer {
        if let plain = cache.plain(of: self) {
            return try FrameWriter.okResponseFrame(id: id, plainCount: plainCount, limits: limits, allocator: allocator) {
                $0.writeBytes(plain)
            }
        }
        var bodyStart = 0
        let frame = try FrameWriter.okResponseFrame(id: id, plainCount: plainCount, limits: limits, allocator: allocator) {
            bodyStart = $0.writerIndex
            try inflate(&$0)
        }
        cache.insert(frame.getBytes(at: bodyStart, length: plainCount) ?? [], for: self)
        return frame
    }
}
