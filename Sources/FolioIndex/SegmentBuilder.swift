import CFolioPrefetch

/// Builds an immutable `Segment` from document sources in one pass.
struct SegmentBuilder {
    /// Headline occurrences count this many times in the weighted term frequency.
    static let headlineWeight: UInt32 = 3

    /// What a term needs while documents are added, in one record: a token or a posting touches
    /// one cache line per term, not one per array.
    private struct TermState {
        var chain = PostingChain()
        var lastDoc: Int32 = -1
        var frequency: UInt32 = 0
        var seenInDoc: Int32 = -1
        var local: UInt32 = 0        // index among the current document's distinct terms
        var positional: Bool
    }

    private var cjkTerms = TermTable(capacity: 1 << 16)
    /// Term ids of BMP unigrams indexed by folded scalar (`noTerm` when absent): half of all tokens
    /// are unigrams of a few thousand characters, so they skip the hash probe. Copied into `cjkTerms`
    /// by `finish`, where queries look every term up.
    private var unigramIDs = [UInt32](repeating: noTerm, count: 1 << 16)
    private static let noTerm = UInt32.max
    private var terms = HugePageBuffer<TermState>()
    private var pool = PostingPool()
    /// One posting's bytes, written here and then copied to the pool.
    private var postingBytes: [UInt8] = []
    /// Skip entries per term: every `skipInterval` postings, (previous doc, byte offset).
    private var termSkips: [[UInt32]] = []
    private var strings = StringInterner()

    private var articleIDs: [String] = []
    private var pageIDRefs: [UInt32] = []
    /// The documents' text, coded (`TextCodec`) as they arrive once the code is made from a sample
    /// (`TextCodeWriter`): the builder never holds the segment's text as UTF-16, nor both forms.
    private var textWriter = TextCodeWriter()
    /// Where the segment reads its text instead (nothing is coded then); nil keeps the text.
    private let articles: ArticleLookup?
    private var docUnits: [UInt32] = []
    private var headlineUnits: [UInt32] = []
    private var blockCounts: [UInt16] = []
    private var sectionIDs: [UInt32] = []
    private var sectionKeyIDs: [UInt32] = []
    private var dates: [UInt32] = []
    private var authorStarts: [UInt32] = [0]
    private var authorIDs: [UInt32] = []
    private var entityStarts: [UInt32] = [0]
    private var entityKeys: [UInt32] = []
    private var entityDataStarts: [UInt32] = [0]
    private var entityData: [UInt8] = []
    // Per-document scratch. A document is first cut into tokens (keys, units), then their term ids
    // are looked up and their building state gathered in separate passes, each loading a few tokens
    // ahead: the tables are larger than the cache, and overlapped misses cost a fraction of serial ones.
    private var tokens = DocTokens()
    private var tokenIDs: [UInt32] = []
    /// The per-document tables of `indexTokens`, in one buffer.
    private var docScratch: [UInt32] = []
    /// How many tokens ahead a pass starts loading.
    private static let lookahead = 12

    init(articles: ArticleLookup? = nil) {
        self.articles = articles
    }

    static func build(_ sources: [DocSource], articles: ArticleLookup? = nil) throws -> Segment {
        var builder = SegmentBuilder(articles: articles)
        for source in sources { try builder.add(source) }
        return builder.finish()
    }

    private mutating func intern(_ string: String) -> UInt32 { strings.intern(string) }

    @inline(__always)
    private mutating func termID(unigram scalar: UInt64) throws(IndexMemoryError) -> UInt32 {
        guard scalar < 1 << 16 else { return try termID(cjk: scalar) }
        let id = unigramIDs[Int(scalar)]
        if id != Self.noTerm { return id }
        let newID = UInt32(terms.count)
        unigramIDs[Int(scalar)] = newID
        try appendTerm(positional: false)
        return newID
    }

    private mutating func termID(cjk key: UInt64) throws(IndexMemoryError) -> UInt32 {
        if let id = cjkTerms[key] { return id }
        let id = UInt32(terms.count)
        cjkTerms.insert(key, id)
        try appendTerm(positional: isBigramKey(key))
        return id
    }


    private mutating func appendTerm(positional isPositional: Bool) throws(IndexMemoryError) {
        try terms.append(TermState(positional: isPositional))
        termSkips.append([])
    }

    /// Throws when the build's memory cannot be mapped; the builder is then unusable.
    mutating func add(_ source: DocSource) throws {
        let doc = articleIDs.count
        articleIDs.append(source.articleID)
        pageIDRefs.append(intern(source.pageID))
        if articles == nil { textWriter.append(source.fields.joined(separator: "\n")) }
        blockCounts.append(UInt16(clamping: source.blockCount))
        sectionIDs.append(intern(source.section))
        sectionKeyIDs.append(intern(source.sectionKey))
        dates.append(source.date)
        for author in source.authors { authorIDs.append(intern(author)) }
        authorStarts.append(UInt32(authorIDs.count))
        for entity in source.entities { strings.prefetch(entity.key) }
        for entity in source.entities {
            let keyID = intern(entity.key)
            entityKeys.append(EntityCoding.packedKey(type: entity.type, keyID: keyID))
            // Most names are written as their key: one probe, not two.
            let formID = StringInterner.sameBytes(entity.form, entity.key) ? keyID : intern(entity.form)
            EntityCoding.append(formID: formID, keyID: keyID, mentions: entity.mentions, to: &entityData)
        }
        entityStarts.append(UInt32(entityKeys.count))
        entityDataStarts.append(UInt32(entityData.count))

        tokens.removeAll()
        var walker = FieldWalker()
        var headlineEnd: UInt32 = 0
        var headlineTokens = 0
        for (index, field) in source.fields.enumerated() {
            walker.walk(field, &tokens)
            if index == DocSource.headlineField {
                headlineEnd = walker.unit
                headlineTokens = tokens.keys.count
            }
            walker.endField()
        }
        docUnits.append(walker.unit)
        headlineUnits.append(headlineEnd)
        try resolveTokenIDs()
        try indexTokens(doc: doc, headlineTokens: headlineTokens)
    }

    /// Term ids of the document's tokens, in token order (new terms get ids in first-seen order).
    private mutating func resolveTokenIDs() throws(IndexMemoryError) {
        tokenIDs.removeAll(keepingCapacity: true)
        let count = tokens.keys.count
        for index in 0..<count {
            if index + Self.lookahead < count {
                let ahead = tokens.keys[index + Self.lookahead]
                if ahead >= 1 << 16 {
                    cjkTerms.prefetch(ahead)
                } else {
                    // The unigram table (256 KB) misses the cache too: its loads were most of this pass's stalls.
                    unigramIDs.withUnsafeBufferPointer { folio_prefetch($0.baseAddress! + Int(ahead)) }
                }
            }
            let key = tokens.keys[index]
            let id: UInt32
            if isBigramKey(key) {
                id = try termID(cjk: key)
            } else {
                id = try termID(unigram: key)
            }
            tokenIDs.append(id)
        }
    }

    /// Writes the document's postings: one per distinct term, in first-seen order. Two passes over
    /// raw buffers (the arrays' uniqueness and bounds checks cost more than the work itself here):
    /// the first finds the distinct terms, their counts and the positional terms' occurrences; a
    /// counting scatter groups those by term (units stay ascending) without sorting; the second
    /// encodes each posting and appends it to its term's chain.
    private mutating func indexTokens(doc: Int, headlineTokens: Int) throws {
        let count = tokenIDs.count
        // Per distinct term: id, count, headline count, start of its units; per occurrence: its
        // term's local index and its unit; then the scattered units.
        let needed = 7 * count + 1
        if docScratch.count < needed { docScratch = [UInt32](repeating: 0, count: needed * 2) }
        let docMark = Int32(doc)
        let lookahead = Self.lookahead
        let pool = self.pool
        guard let terms = self.terms.base else { return }   // no term yet: the document has no token
        try docScratch.withUnsafeMutableBufferPointer { scratchBuffer in
            let localTerms = scratchBuffer.baseAddress!
            let localCounts = localTerms + count
            let localHeadline = localCounts + count
            let starts = localHeadline + count           // count + 1 entries
            let occurrenceLocals = starts + count + 1
            let occurrenceUnits = occurrenceLocals + count
            let scattered = occurrenceUnits + count
            var distinct = 0
            var occurrenceCount = 0
            tokenIDs.withUnsafeBufferPointer { ids in
                tokens.units.withUnsafeBufferPointer { units in
                    for index in 0..<count {
                        if index + lookahead < count { folio_prefetch(terms + Int(ids[index + lookahead])) }
                        let term = terms + Int(ids[index])
                        if term.pointee.seenInDoc != docMark {
                            term.pointee.seenInDoc = docMark
                            term.pointee.local = UInt32(distinct)
                            localTerms[distinct] = ids[index]
                            localCounts[distinct] = 0
                            localHeadline[distinct] = 0
                            distinct += 1
                        }
                        let local = Int(term.pointee.local)
                        localCounts[local] += 1
                        if index < headlineTokens { localHeadline[local] += 1 }
                        if term.pointee.positional {
                            occurrenceLocals[occurrenceCount] = UInt32(local)
                            occurrenceUnits[occurrenceCount] = units[index]
                            occurrenceCount += 1
                        }
                    }
                }
            }
            starts[0] = 0
            var longest: UInt32 = 0
            for local in 0..<distinct {
                let positional = terms[Int(localTerms[local])].positional
                starts[local + 1] = starts[local] + (positional ? localCounts[local] : 0)
                longest = max(longest, localCounts[local])
            }
            // The scatter moves each start to its term's end; the second pass walks the units in order.
            for occurrence in 0..<occurrenceCount {
                let local = Int(occurrenceLocals[occurrence])
                scattered[Int(starts[local])] = occurrenceUnits[occurrence]
                starts[local] += 1
            }
            let postingRoom = PostingCoding.maximumHeadBytes + Int(longest) * VarInt.maximumBytes
            if postingBytes.count < postingRoom { postingBytes = [UInt8](repeating: 0, count: postingRoom * 2) }
            try postingBytes.withUnsafeMutableBufferPointer { bytesBuffer in
                let bytes = bytesBuffer.baseAddress!
                var unitStart = 0
                for local in 0..<distinct {
                    if local + lookahead < distinct { folio_prefetch(terms + Int(localTerms[local + lookahead])) }
                    if local + lookahead / 2 < distinct {
                        pool.prefetchEnd(of: terms[Int(localTerms[local + lookahead / 2])].chain)
                    }
                    let id = Int(localTerms[local])
                    let term = terms + id
                    let count = localCounts[local]
                    if term.pointee.frequency > 0 && term.pointee.frequency % Segment.skipInterval == 0 {
                        termSkips[id].append(UInt32(term.pointee.lastDoc))
                        termSkips[id].append(term.pointee.chain.length)
                    }
                    var length = 0
                    PostingCoding.write(gap: UInt32(doc - Int(term.pointee.lastDoc) - 1), count: count,
                                        headlineCount: localHeadline[local], to: bytes, at: &length)
                    if term.pointee.positional {
                        var previous: UInt32 = 0
                        for position in unitStart..<(unitStart + Int(count)) {
                            VarInt.write(scattered[position] - previous, to: bytes, at: &length)
                            previous = scattered[position]
                        }
                        unitStart += Int(count)
                    }
                    try pool.append(UnsafeBufferPointer(start: bytes, count: length), to: &term.pointee.chain)
                    term.pointee.lastDoc = docMark
                    term.pointee.frequency += 1
                }
            }
        }
    }

    mutating func finish() -> Segment {
        for (scalar, id) in unigramIDs.enumerated() where id != Self.noTerm { cjkTerms.insert(UInt64(scalar), id) }
        unigramIDs = []
        cjkTerms = cjkTerms.packed()
        let (textBytes, byteStarts, codec) = articles == nil
            ? textWriter.finish() : ([], [Int](repeating: 0, count: articleIDs.count + 1), TextCodec.none)
        textWriter = TextCodeWriter()
        var termStarts: [Int] = [0]
        termStarts.reserveCapacity(terms.count + 1)
        var postings: [UInt8] = []
        postings.reserveCapacity(pool.totalBytes)
        var frequencies: [UInt32] = []
        frequencies.reserveCapacity(terms.count)
        for term in UnsafeBufferPointer(start: terms.base, count: terms.count) {
            pool.copy(term.chain, into: &postings)
            termStarts.append(postings.count)
            frequencies.append(term.frequency)
        }
        pool = PostingPool()
        terms = HugePageBuffer()
        var skipStarts: [UInt32] = [0]
        var skips: [UInt32] = []
        for index in termSkips.indices {
            skips.append(contentsOf: termSkips[index])
            skipStarts.append(UInt32(skips.count))
        }
        termSkips = []
        return Segment(docCount: articleIDs.count, articleIDs: articleIDs, pageIDRefs: pageIDRefs,
                       textStarts: byteStarts, textBytes: textBytes, textCodec: codec, docUnits: docUnits, headlineUnits: headlineUnits,
                       blockCounts: blockCounts, sectionIDs: sectionIDs, sectionKeyIDs: sectionKeyIDs, dates: dates,
                       authorStarts: authorStarts, authorIDs: authorIDs, entityStarts: entityStarts,
                       entityKeys: entityKeys, entityDataStarts: entityDataStarts, entityData: entityData,
                       strings: strings.strings, cjkTerms: cjkTerms,
                       termStarts: termStarts, termDocFrequency: frequencies, skipStarts: skipStarts, skips: skips,
                       postings: postings, articles: articles)
    }
}

/// A document's index tokens in the analyzer's order: per character its unigram, then the bigram
/// it closes.
struct DocTokens: UnitVisitor {
    private(set) var keys: [UInt64] = []
    private(set) var units: [UInt32] = []

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        units.removeAll(keepingCapacity: true)
    }

    mutating func cjk(_ folded: UInt32, previous: UInt32?, unit: UInt32, offset: Int) {
        keys.append(UInt64(folded))
        units.append(unit)
        if let previous {
            keys.append(bigramKey(previous, folded))
            units.append(unit - 1)
        }
    }

}
