import FolioModel

/// An immutable slice of the index: documents 0..<docCount with their stored text and metadata, and
/// the postings of every term in flat arrays. Postings of a term are one byte stream of varints:
/// for each document `docGap, weightedTF` and, for positional terms (bigrams),
/// `positionBytes` followed by that many bytes of delta-coded unit positions.
/// Unigrams carry no positions: phrases are matched through bigram chains.
// @unchecked: immutable once built (unsafe buffers over its arrays the compiler cannot check).
final class Segment: @unchecked Sendable {
    // Documents.
    let docCount: Int
    let articleIDs: [String]
    let pageIDRefs: [UInt32]       // into `strings`
    let textStarts: [Int]          // docCount + 1 byte offsets into `textBytes`
    /// Fields joined by "\n", in the segment's own byte code (`TextCodec`); empty (and every start 0)
    /// when the text is read from `articles` instead.
    let textBytes: [UInt8]
    let textCodec: TextCodec
    /// Where the documents' text is read when the segment keeps none (foliod: the archive's store).
    let articles: ArticleLookup?
    var storesText: Bool { articles == nil }
    let docUnits: [UInt32]         // document length in units (BM25)
    let headlineUnits: [UInt32]    // units < this are the headline (weighted)
    let blockCounts: [UInt16]
    let sectionIDs: [UInt32]       // into `strings` (original form)
    let sectionKeyIDs: [UInt32]    // into `strings` (folded form, for filters)
    let dates: [UInt32]
    let authorStarts: [UInt32]     // docCount + 1 offsets into authorIDs
    let authorIDs: [UInt32]        // into `strings` (folded names)
    let entityStarts: [UInt32]     // docCount + 1 offsets into entityKeys
    /// Per entity `type << 28 | keyID` (key into `strings`): filters scan these without decoding.
    let entityKeys: [UInt32]
    let entityDataStarts: [UInt32] // docCount + 1 offsets into entityData
    /// Per entity, in the order of `entityKeys`: its form and mentions (see `EntityCoding`).
    let entityData: [UInt8]
    /// Page ids, sections, authors, entity keys and forms, each once; `strings` in id order.
    let stringIDs: StringInterner
    var strings: [String] { stringIDs.strings }
    /// Documents in article-id order, and each document's place in that order: ranking ties are
    /// broken by article id without comparing strings per hit.
    let docsByID: [UInt32]
    /// What scoring and ranking read for every matching document, side by side so that one cache
    /// line serves all three.
    struct HotDoc {
        var units: UInt32
        var headlineUnits: UInt32
        var idRank: UInt32
    }
    let hot: [HotDoc]
    let hotDocs: UnsafeBufferPointer<HotDoc>

    // Postings.
    let cjkTerms: TermTable
    let termStarts: [Int]          // termCount + 1 offsets into postings
    let termDocFrequency: [UInt32]
    let postings: [UInt8]
    /// Per term, offsets into `skips`: pairs (doc before the block, byte offset of the block
    /// relative to the term's start) every `skipInterval` postings, so intersections jump ahead.
    let skipStarts: [UInt32]
    let skips: [UInt32]
    let totalUnits: UInt64
    /// Views of `postings` and `skips` for the query hot loops. Both arrays are immutable `let`s of
    /// this object, so their storage neither moves nor dies while the segment lives.
    let postingBytes: UnsafeBufferPointer<UInt8>
    let skipEntries: UnsafeBufferPointer<UInt32>

    static let skipInterval: UInt32 = 64

    init(docCount: Int, articleIDs: [String], pageIDRefs: [UInt32], textStarts: [Int], textBytes: [UInt8],
         textCodec: TextCodec,
         docUnits: [UInt32], headlineUnits: [UInt32], blockCounts: [UInt16], sectionIDs: [UInt32],
         sectionKeyIDs: [UInt32], dates: [UInt32], authorStarts: [UInt32], authorIDs: [UInt32],
         entityStarts: [UInt32], entityKeys: [UInt32], entityDataStarts: [UInt32], entityData: [UInt8],
         strings: [String],
         cjkTerms: TermTable,
         termStarts: [Int], termDocFrequency: [UInt32], skipStarts: [UInt32],
         skips: [UInt32], postings: [UInt8], articles: ArticleLookup? = nil) {
        self.docCount = docCount
        self.articles = articles
        self.articleIDs = articleIDs
        self.pageIDRefs = pageIDRefs
        self.textStarts = textStarts
        self.textBytes = textBytes
        self.textCodec = textCodec
        self.docUnits = docUnits
        self.headlineUnits = headlineUnits
        self.blockCounts = blockCounts
        self.sectionIDs = sectionIDs
        self.sectionKeyIDs = sectionKeyIDs
        self.dates = dates
        self.authorStarts = authorStarts
        self.authorIDs = authorIDs
        self.entityStarts = entityStarts
        self.entityKeys = entityKeys
        self.entityDataStarts = entityDataStarts
        self.entityData = entityData
        self.stringIDs = StringInterner(indexing: strings)
        self.cjkTerms = cjkTerms
        self.termStarts = termStarts
        self.termDocFrequency = termDocFrequency
        self.postings = postings
        self.skipStarts = skipStarts
        self.skips = skips
        postingBytes = self.postings.withUnsafeBufferPointer { $0 }
        skipEntries = self.skips.withUnsafeBufferPointer { $0 }
        self.totalUnits = docUnits.reduce(0) { $0 + UInt64($1) }
        let byID = (0..<UInt32(docCount)).sorted { articleIDs[Int($0)] < articleIDs[Int($1)] }
        var ranks = [UInt32](repeating: 0, count: docCount)
        for (rank, doc) in byID.enumerated() { ranks[Int(doc)] = UInt32(rank) }
        docsByID = byID
        hot = (0..<docCount).map { HotDoc(units: docUnits[$0], headlineUnits: headlineUnits[$0], idRank: ranks[$0]) }
        hotDocs = hot.withUnsafeBufferPointer { $0 }
    }

    /// How many documents have an article id ordered at or before `articleID`.
    func idRankAfter(_ articleID: String) -> Int {
        var low = 0, high = docCount
        while low < high {
            let mid = (low + high) / 2
            if articleIDs[Int(docsByID[mid])] <= articleID { low = mid + 1 } else { high = mid }
        }
        return low
    }

    var termCount: Int { termDocFrequency.count }

    /// Bytes held by the segment's arrays (stored text, postings, per-document and per-term tables);
    /// strings are counted by their UTF-8 size.
    var approximateBytes: Int { memoryBreakdown.reduce(0) { $0 + $1.bytes } }

    /// Bytes per part (benchmarks print it).
    var memoryBreakdown: [(part: String, bytes: Int)] {
        let perDoc = docCount * (4 + 8 + 4 + 4 + 2 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 12)  // refs, starts, units, hot…
        let perTerm = termCount * (8 + 4 + 4) + cjkTerms.capacity * TermTable.bytesPerSlot
        let idBytes = articleIDs.reduce(0) { $0 + 16 + max(0, $1.utf8.count - 15) }
        let stringBytes = strings.reduce(0) { $0 + 16 + max(0, $1.utf8.count - 15) } * 2  // + stringIDs
        return [("stored text", textBytes.count + textCodec.units.count * 2), ("postings", postings.count), ("skips", skips.count * 4),
                ("entities", entityKeys.count * 4 + entityDataStarts.count * 4), ("entity data", entityData.count),
                ("documents", perDoc + idBytes + authorIDs.count * 4), ("terms", perTerm), ("strings", stringBytes)]
    }

    func termID(for term: QueryTerm) -> UInt32? { cjkTerms[term.key] }

    /// The stored fields of a document (layout in `DocSource`); none when it is read from an
    /// article that is gone (an ingest replaced it and the index has not caught up yet).
    /// `texts` (when given) is read first, then the segment's own lookup.
    func fields(of doc: Int, texts: ArticleLookup? = nil) -> [String] {
        if let texts, let article = texts(articleIDs[doc]) { return DocSource.fields(of: article) }
        if let articles { return articles(articleIDs[doc]).map(DocSource.fields) ?? [] }
        // Split on the code unit, not on Characters: no grapheme breaking on the query path.
        return units(of: doc).split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { $0.withUnsafeBufferPointer(stringFromUTF16) }
    }

    /// The document's stored text decoded to UTF-16 (fields joined by newlines).
    func units(of doc: Int) -> [UInt16] {
        if articles != nil { return Array(fields(of: doc).joined(separator: "\n").utf16) }
        var output: [UInt16] = []
        output.reserveCapacity(textStarts[doc + 1] - textStarts[doc])
        textBytes.withUnsafeBufferPointer { textCodec.decode($0, textStarts[doc]..<textStarts[doc + 1], into: &output) }
        return output
    }

    func section(of doc: Int) -> String { strings[Int(sectionIDs[doc])] }

    func pageID(of doc: Int) -> String { strings[Int(pageIDRefs[doc])] }

    func authors(of doc: Int) -> ArraySlice<UInt32> {
        authorIDs[Int(authorStarts[doc])..<Int(authorStarts[doc + 1])]
    }

    /// Rebuilds the source of a document (for merging segments).
    func source(of doc: Int, texts: ArticleLookup? = nil) -> DocSource {
        let entities = storedEntities(of: doc).map { entity in
            DocSource.SourceEntity(type: entity.type, key: strings[Int(entity.keyID)],
                                   form: strings[Int(entity.formID)], mentions: mentions(of: entity))
        }
        return DocSource(articleID: articleIDs[doc], pageID: pageID(of: doc), fields: fields(of: doc, texts: texts),
                         blockCount: Int(blockCounts[doc]), section: section(of: doc),
                         sectionKey: strings[Int(sectionKeyIDs[doc])], date: dates[doc],
                         authors: authors(of: doc).map { strings[Int($0)] }, entities: entities)
    }
}

/// UTF-16 → String through a direct UTF-8 transcode (the generic String(decoding:as: UTF16.self)
/// path is several times slower). Unpaired surrogates become U+FFFD.
func stringFromUTF16(_ units: UnsafeBufferPointer<UInt16>) -> String {
    String(unsafeUninitializedCapacity: units.count * 3) { buffer in
        var out = 0
        var index = 0
        while index < units.count {
            var scalar = UInt32(units[index])
            index += 1
            if scalar >= 0xD800 && scalar < 0xE000 {
                if scalar < 0xDC00, index < units.count, units[index] >= 0xDC00, units[index] < 0xE000 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (UInt32(units[index]) - 0xDC00)
                    index += 1
                } else {
                    scalar = 0xFFFD
                }
            }
            writeUTF8(scalar, to: buffer, at: &out)
        }
        return out
    }
}

/// Writes `scalar` as UTF-8 at `out` (the buffer has room: callers reserve 3 bytes per UTF-16 unit).
@inline(__always)
func writeUTF8(_ scalar: UInt32, to buffer: UnsafeMutableBufferPointer<UInt8>, at out: inout Int) {
    if scalar < 0x80 {
        buffer[out] = UInt8(scalar)
        out += 1
    } else if scalar < 0x800 {
        buffer[out] = UInt8(0xC0 | (scalar >> 6))
        buffer[out + 1] = UInt8(0x80 | (scalar & 0x3F))
        out += 2
    } else if scalar < 0x10000 {
        buffer[out] = UInt8(0xE0 | (scalar >> 12))
        buffer[out + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        buffer[out + 2] = UInt8(0x80 | (scalar & 0x3F))
        out += 3
    } else {
        buffer[out] = UInt8(0xF0 | (scalar >> 18))
        buffer[out + 1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
        buffer[out + 2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        buffer[out + 3] = UInt8(0x80 | (scalar & 0x3F))
        out += 4
    }
}
