import FolioModel
import FolioWire

/// An article as the store keeps it: one byte record (its response body, its summary serialized
/// — ListArticles decodes the ones it returns — and its date), its folded filter keys as ids into
/// the corpus' `KeyTable`, and the dictionary its body needs, if any. No parsed `Folio_V1_Article`
/// and no object per article: a 100,000-article archive held five allocations per article before
/// (two objects, three arrays: about 210 bytes of headers each), now two.
///
/// Record: kind u8 (bit 7: the summary is compressed with the dictionary too) | plain length u32 |
/// Adler-32 u32 | body length u32 | summary length u32 | date length u32 | plain summary length u32 |
/// body | summary | date | filter keys (little-endian).
package struct StoredArticle: Sendable {
    let record: [UInt8]
    let dictionary: ArticleDictionary?

    private static let headerBytes = 25
    private static let compressedSummaryFlag: UInt8 = 0x80

    init(body: PreparedBody, summary: [UInt8], date: String, keys: FilterKeys, dictionary: ArticleDictionary? = nil) {
        self.init(kind: body.kind, body: body.bytes[...], plainCount: body.plainCount, adler: body.adler,
                  summary: summary[...], date: date, keys: keys, dictionary: dictionary)
    }

    /// `summaryPlainCount` only for a summary compressed with `dictionary`.
    init(kind: ArticleBody.Kind, body: ArraySlice<UInt8>, plainCount: Int, adler: UInt32, summary: ArraySlice<UInt8>,
         summaryPlainCount: Int? = nil, date: String, keys: FilterKeys, dictionary: ArticleDictionary?) {
        var record: [UInt8] = []
        record.reserveCapacity(Self.headerBytes + body.count + summary.count + date.utf8.count + keys.bytes.count)
        record.append(kind.rawValue | (summaryPlainCount == nil ? 0 : Self.compressedSummaryFlag))
        for value in [UInt32(plainCount), adler, UInt32(body.count), UInt32(summary.count), UInt32(date.utf8.count),
                      UInt32(summaryPlainCount ?? summary.count)] {
            withUnsafeBytes(of: value.littleEndian) { record.append(contentsOf: $0) }
        }
        record += body
        record += summary
        record += date.utf8
        record += keys.bytes
        self.record = record
        self.dictionary = dictionary
    }

    private func field(_ offset: Int) -> Int {
        Int(UInt32(littleEndian: record.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }))
    }

    var kind: ArticleBody.Kind { ArticleBody.Kind(rawValue: record[0] & ~Self.compressedSummaryFlag) ?? .plain }
    var summaryIsCompressed: Bool { record[0] & Self.compressedSummaryFlag != 0 }
    var summaryPlainCount: Int { field(21) }
    var plainCount: Int { field(1) }
    var adler: UInt32 { UInt32(field(5)) }
    var bodyCount: Int { field(9) }
    private var summaryRange: Range<Int> {
        let start = Self.headerBytes + bodyCount
        return start..<(start + field(13))
    }

    private var dateRange: Range<Int> {
        let start = summaryRange.upperBound
        return start..<(start + field(17))
    }

    var bodyBytes: ArraySlice<UInt8> { record[Self.headerBytes..<(Self.headerBytes + bodyCount)] }
    /// The summary as held: compressed with the dictionary when `summaryIsCompressed`.
    var storedSummary: ArraySlice<UInt8> { record[summaryRange] }

    /// The serialized summary.
    func summaryBytes() throws -> [UInt8] {
        guard summaryIsCompressed else { return Array(storedSummary) }
        guard let dictionary else { throw StatusError(.dataLoss, "a compressed summary without its dictionary") }
        return try dictionary.inflate(storedSummary, plainCount: summaryPlainCount)
    }
    package var date: String { String(decoding: record[dateRange], as: UTF8.self) }
    package var keys: FilterKeys { FilterKeys(bytes: record[dateRange.upperBound...]) }

    /// The response body (a view of this record made per call).
    package var body: ArticleBody { ArticleBody(self) }

    var storage: ArticleBody.Storage {
        switch kind {
        case .plain: .plain(bodyBytes)
        case .deflated: .deflated(stream: bodyBytes, adler: adler, plainCount: plainCount)
        case .withDictionary: .withDictionary(blocks: bodyBytes, plainCount: plainCount, dictionary: dictionary!)
        }
    }

    /// Identifies this record while it is alive (the plain cache holds the record it keys, so the
    /// address cannot be reused meanwhile).
    var identity: Int {
        record.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
    }

    package func summary() throws -> Folio_V1_ArticleSummary {
        try Folio_V1_ArticleSummary(serializedBytes: summaryBytes())
    }

    /// Bodies of fewer bytes stay as they are: the dictionary gains them too little for an inflate per call.
    static let dictionaryMinimumBytes = 128

    /// This article with its body compressed with `dictionary` when that makes it smaller, else as it is.
    func compressed(with dictionary: ArticleDictionary, limits: WireLimits) throws -> StoredArticle {
        if kind == .withDictionary, self.dictionary === dictionary { return self }
        guard plainCount >= Self.dictionaryMinimumBytes else { return try withoutDictionary(limits: limits) }
        let plain = try body.serialized(limits: limits)
        let blocks = dictionary.deflate(plain)
        guard blocks.count < (kind == .withDictionary ? plainCount : bodyCount) else { return try withoutDictionary(limits: limits) }
        // Summaries are short (~90 bytes) but share headlines' phrases, agencies and ids with the
        // dictionary: 0.59 of their size on pfr1998.
        let summary = try summaryBytes()
        let packed = dictionary.deflate(summary)
        let packs = packed.count < summary.count
        return StoredArticle(kind: .withDictionary, body: blocks[...], plainCount: plain.count, adler: 0,
                             summary: packs ? packed[...] : summary[...], summaryPlainCount: packs ? summary.count : nil,
                             date: date, keys: keys, dictionary: dictionary)
    }

    /// This article in a form that needs no dictionary (for a snapshot written without one).
    func withoutDictionary(limits: WireLimits) throws -> StoredArticle {
        guard kind == .withDictionary else { return self }
        return StoredArticle(body: PreparedBody(serialized: try body.serialized(limits: limits), limits: limits),
                             summary: try summaryBytes(), date: date, keys: keys)
    }
}

/// A response body as a parse makes it: a raw deflate stream (level 1, spliceable) when at least the wire's
/// compression threshold, else plain.
struct PreparedBody {
    let kind: ArticleBody.Kind
    let bytes: [UInt8]
    let plainCount: Int
    let adler: UInt32

    init(serialized: [UInt8], limits: WireLimits) {
        plainCount = serialized.count
        if serialized.count >= limits.compressionThreshold {
            kind = .deflated
            bytes = serialized.withUnsafeBytes { Zlib.rawDeflateStream($0, level: limits.compressionLevel) }
            adler = serialized.withUnsafeBytes { Zlib.adler32($0) }
        } else {
            kind = .plain
            bytes = serialized
            adler = 0
        }
    }
}

/// An article's folded filter keys: section, author count, authors, entities, as varints (most
/// ids take one or two bytes) kept inside the article's record, read in place.
package struct FilterKeys: Sendable {
    let bytes: ArraySlice<UInt8>

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    init(section: UInt32, authors: [UInt32], entities: [UInt32]) {
        var out = RecordWriter()
        for id in [section, UInt32(authors.count)] + authors + entities { out.varint(UInt64(id)) }
        bytes = out.bytes[...]
    }

    package var section: UInt32 {
        var ids = KeyIDs(bytes).makeIterator()
        return ids.next() ?? 0
    }

    package var authors: KeyIDs {
        var ids = KeyIDs(bytes).makeIterator()
        _ = ids.next()
        let count = Int(ids.next() ?? 0)
        return KeyIDs(bytes[ids.position...], limit: count)
    }

    package var entities: KeyIDs {
        var ids = KeyIDs(bytes).makeIterator()
        _ = ids.next()
        for _ in 0..<Int(ids.next() ?? 0) { _ = ids.next() }
        return KeyIDs(bytes[ids.position...])
    }
}

/// Key ids decoded from varints as they are read (at most `limit` of them).
package struct KeyIDs: Sequence, Sendable {
    let bytes: ArraySlice<UInt8>
    var limit = Int.max

    init(_ bytes: ArraySlice<UInt8>, limit: Int = .max) {
        self.bytes = bytes
        self.limit = limit
    }

    package struct Iterator: IteratorProtocol {
        let bytes: ArraySlice<UInt8>
        var position: Int
        var left: Int

        package mutating func next() -> UInt32? {
            guard left > 0, position < bytes.endIndex else { return nil }
            left -= 1
            // The store wrote these ids: a damaged run ends the sequence.
            guard let value = ProtoWire.readVarint(bytes, at: &position) else {
                left = 0
                return nil
            }
            return UInt32(truncatingIfNeeded: value)
        }
    }

    package func makeIterator() -> Iterator { Iterator(bytes: bytes, position: bytes.startIndex, left: limit) }
}
