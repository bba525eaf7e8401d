import FolioModel
import FolioWire
import NIOCore
import NIOPosix

/// The GetArticle response body of one article, prepared once and kept: no call re-encodes it.
/// A view made per call of the bytes a `StoredArticle` holds (the store keeps no object per article).
///
/// Articles of at least the compression threshold are stored compressed: after a parse as raw
/// deflate blocks (zlib level 1, ending in a sync flush) that a zlib-accepting client receives
/// spliced into its frame as-is; once read from a snapshot, as deflate streams made with the
/// archive's own dictionary (`ArticleDictionary`, 0.43 of the serialized size against 0.56), which
/// every client gets inflated. Inflating is done straight into the frame by an inflater kept per
/// thread (creating one per call would cost more than inflating a 2 KB article), and the plain
/// bytes of recently asked articles are kept in a bounded `PlainArticleCache`.
final class ArticleBody: Sendable {
    enum Kind: UInt8 {
        case plain = 0
        /// Raw deflate blocks of the serialized article, with its Adler-32 and its length.
        case deflated = 1
        /// A raw deflate stream of the serialized article made with the archive's dictionary: the
        /// smallest form, but no client could inflate it (always sent plain).
        case withDictionary = 2
    }

    enum Storage {
        case plain(ArraySlice<UInt8>)
        case deflated(blocks: ArraySlice<UInt8>, adler: UInt32, plainCount: Int)
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
    func serialized(limits: WireLimits) throws -> [UInt8] {
        switch storage {
        case .plain(let bytes):
            return Array(bytes)
        case .deflated(let blocks, let adler, let plainCount):
            var out = ByteBuffer()
            try Self.inflate(blocks: blocks, adler: adler, plainCount: plainCount, into: &out)
            return Array(out.readableBytesView)
        case .withDictionary(let blocks, let plainCount, let dictionary):
            return try dictionary.inflate(blocks, plainCount: plainCount)
        }
    }

    private static let inflaters = ThreadSpecificVariable<Inflater>()

    /// Appends the `plainCount` bytes the blocks inflate to (zlib checks them against `adler`).
    static func inflate(blocks: ArraySlice<UInt8>, adler: UInt32, plainCount: Int, into out: inout ByteBuffer) throws {
        let inflater = inflaters.currentValue ?? {
            let made = Inflater()
            inflaters.currentValue = made
            return made
        }()
        // A complete zlib stream around the blocks: header, blocks, an empty final stored block, Adler-32.
        var stream: [UInt8] = [0x78, 0x01]
        stream.reserveCapacity(blocks.count + 11)
        stream.append(contentsOf: blocks)
        stream.append(contentsOf: [0x01, 0x00, 0x00, 0xFF, 0xFF])
        stream.append(contentsOf: [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)])
        let before = out.writerIndex
        try stream.withUnsafeBytes { try inflater.inflate($0, limit: max(plainCount, 1), into: &out) }
        guard out.writerIndex - before == plainCount else {
            throw StatusError(.dataLoss, "stored article inflated to \(out.writerIndex - before) bytes, not \(plainCount)")
        }
    }

    func article(limits: WireLimits) throws -> Folio_V1_Article {
        try Folio_V1_Article(serializedBytes: serialized(limits: limits))
    }

    /// The frame of a final OK response carrying this body; compressed when `compress` and deflated.
    func responseFrame(id: UInt64, compress: Bool, limits: WireLimits, allocator: ByteBufferAllocator,
                       cache: PlainArticleCache = .shared) throws -> ByteBuffer {
        switch storage {
        case .plain(let bytes):
            return try Self.plainFrame(id: id, plainCount: bytes.count, limits: limits, allocator: allocator) {
                $0.writeBytes(bytes)
            }
        case .deflated(let blocks, let adler, let plainCount):
            guard compress else {
                return try cachedPlainFrame(id: id, plainCount: plainCount, limits: limits, allocator: allocator, cache: cache) {
                    try Self.inflate(blocks: blocks, adler: adler, plainCount: plainCount, into: &$0)
                }
            }
            return try Self.deflatedFrame(id: id, blocks: blocks, adler: adler, plainCount: plainCount, limits: limits,
                                          allocator: allocator)
        case .withDictionary(let blocks, let plainCount, let dictionary):
            // Plain for every client (the protocol lets a server answer any call plain), unless the
            // article only fits a frame compressed and the client takes zlib: then deflated per call.
            if compress, Self.plainFrameLength(id: id, plainCount: plainCount) > limits.maxFrameBytes {
                let plain = try dictionary.inflate(blocks, plainCount: plainCount)
                return try PrecompressedBody(serialized: plain, limits: limits)
                    .responseFrame(id: id, compress: true, limits: limits, allocator: allocator)
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
            return try Self.plainFrame(id: id, plainCount: plainCount, limits: limits, allocator: allocator) {
                $0.writeBytes(plain)
            }
        }
        let frame = try Self.plainFrame(id: id, plainCount: plainCount, limits: limits, allocator: allocator, writeBody: inflate)
        let bodyStart = frame.writerIndex - Self.okStatusSuffix.count - plainCount
        cache.insert(frame.getBytes(at: bodyStart, length: plainCount) ?? [], for: self)
        return frame
    }

    static func plainFrameLength(id: UInt64, plainCount: Int) -> Int {
        envelopePrefix(id: id, bodyLength: plainCount).count + plainCount + okStatusSuffix.count
    }

    /// The uncompressed frame of an OK response; `writeBody` appends the `plainCount` body bytes.
    static func plainFrame(id: UInt64, plainCount: Int, limits: WireLimits, allocator: ByteBufferAllocator,
                           writeBody: (inout ByteBuffer) throws -> Void) throws -> ByteBuffer {
        let prefix = envelopePrefix(id: id, bodyLength: plainCount)
        let length = prefix.count + plainCount + okStatusSuffix.count
        guard length <= limits.maxFrameBytes else {
            throw WireError(.outgoingTooLarge, "message of \(length) bytes exceeds the \(limits.maxFrameBytes)-byte frame limit")
        }
        var out = allocator.buffer(capacity: FrameLayout.headerBytes + length)
        out.writeInteger(UInt8(0))
        out.writeInteger(UInt32(length), endianness: .big)
        out.writeBytes(prefix)
        try writeBody(&out)
        out.writeBytes(okStatusSuffix)
        return out
    }

    /// Envelope bytes before the body: `id` (field 1, omitted when 0), the `body` tag and length.
    static func envelopePrefix(id: UInt64, bodyLength: Int) -> [UInt8] {
        var prefix: [UInt8] = []
        if id != 0 {
            prefix.append(0x08)
            appendVarint(id, to: &prefix)
        }
        prefix.append(0x12)
        appendVarint(UInt64(bodyLength), to: &prefix)
        return prefix
    }

    /// Envelope bytes after the body: `status` (field 3) present and empty, i.e. OK.
    static let okStatusSuffix: [UInt8] = [0x1A, 0x00]

    /// Same splice as `PrecompressedBody.responseFrame` (which needs the plain bytes we do not keep):
    /// zlib header, stored block with the envelope prefix, the body's blocks, final stored block with
    /// the OK status suffix, Adler-32 combined from the pieces.
    static func deflatedFrame(id: UInt64, blocks: ArraySlice<UInt8>, adler: UInt32, plainCount: Int, limits: WireLimits,
                              allocator: ByteBufferAllocator) throws -> ByteBuffer {
        let prefix = envelopePrefix(id: id, bodyLength: plainCount)
        let suffix = okStatusSuffix
        let length = 2 + (5 + prefix.count) + blocks.count + (5 + suffix.count) + 4
        guard length <= limits.maxFrameBytes else {
            throw WireError(.outgoingTooLarge, "message of \(length) bytes exceeds the \(limits.maxFrameBytes)-byte frame limit")
        }
        var out = allocator.buffer(capacity: FrameLayout.headerBytes + length)
        out.writeInteger(FrameLayout.compressedFlag)
        out.writeInteger(UInt32(length), endianness: .big)
        out.writeBytes([0x78, 0x01])
        writeStoredBlock(prefix, final: false, into: &out)
        out.writeBytes(blocks)
        writeStoredBlock(suffix, final: true, into: &out)
        var checksum = prefix.withUnsafeBytes { Zlib.adler32($0) }
        checksum = Zlib.adler32Combine(checksum, adler, lengthOfB: plainCount)
        checksum = Zlib.adler32Combine(checksum, suffix.withUnsafeBytes { Zlib.adler32($0) }, lengthOfB: suffix.count)
        out.writeInteger(checksum, endianness: .big)
        return out
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private static func writeStoredBlock(_ bytes: [UInt8], final: Bool, into out: inout ByteBuffer) {
        out.writeInteger(UInt8(final ? 1 : 0))
        out.writeInteger(UInt16(bytes.count), endianness: .little)
        out.writeInteger(~UInt16(bytes.count), endianness: .little)
        out.writeBytes(bytes)
    }
}
