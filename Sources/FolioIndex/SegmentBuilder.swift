import CFolioPrefetch

/// Builds an immutable `Segment` from document sources in one pass.
struct SegmentBuilder {
    /// Headline occurrences count this many times in the weighted term frequency.
    static let headlineWeight: UInt32 = 3

    private struct Occurrence {
        var local: UInt32   // index of the term among this document's distinct terms
        var unit: UInt32
    }

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
    private var wordTerms: [String: UInt32] = [:]
    private var terms: [TermState] = []
    private var pool = PostingPool()
    /// One posting's bytes, written here and then copied to the pool.
    private var scratch: [UInt8] = []
    /// Skip entries per term: every `skipInterval` postings, (previous doc, byte offset).
    private var termSkips: [[UInt32]] = []
    private var stringIDs: [String: UInt32] = [:]
    private var strings: [String] = []

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
    private var tokenKeys: [UInt64] = []
    private var tokenUnits: [UInt32] = []
    private var tokenIDs: [UInt32] = []
    private var tokenWords: [String] = []
    /// Terms in first-seen order, their occurrence and headline occurrence counts, and the positional
    /// terms' occurrences; a counting scatter groups these by term (units stay ascending) without sorting.
    private var localTerms: [UInt32] = []
    private var localCounts: [UInt32] = []
    private var localHeadlineCounts: [UInt32] = []
    private var occurrences: [Occurrence] = []
    private var scattered: [UInt32] = []
    /// A word token's key: this bit and its index in `tokenWords` (CJK keys stay below bit 63).
    private static let wordKey: UInt64 = 1 << 63
    /// How many tokens ahead a pass starts loading.
    private static let lookahead = 12

    init(articles: ArticleLookup? = nil) {
        self.articles = articles
    }

    static func build(_ sources: [DocSource], articles: ArticleLookup? = nil) -> Segment {
        var builder = SegmentBuilder(articles: articles)
        for source in sources { builder.add(source) }
        return builder.finish()
    }

    private mutating func intern(_ string: String) -> UInt32 {
        if let id = stringIDs[string] { return id }
        let id = UInt32(strings.count)
        strings.append(string)
        stringIDs[string] = id
        return id
    }

    @inline(__always)
    private mutating func termID(unigram scalar: UInt64) -> UInt32 {
        guard scalar < 1 << 16 else { return termID(cjk: scalar) }
        let id = unigramIDs[Int(scalar)]
        if id != Self.noTerm { return id }
        let newID = UInt32(terms.count)
        unigramIDs[Int(scalar)] = newID
        appendTerm(positional: false)
        return newID
    }

    private mutating func termID(cjk key: UInt64) -> UInt32 {
        if let id = cjkTerms[key] { return id }
        let id = UInt32(terms.count)
        cjkTerms.insert(key, id)
        appendTerm(positional: isBigramKey(key))
        return id
    }

    private mutating func termID(word: String) -> UInt32 {
        if let id = wordTerms[word] { return id }
        let id = UInt32(terms.count)
        wordTerms[word] = id
        appendTerm(positional: true)
        return id
    }

    private mutating func appendTerm(positional isPositional: Bool) {
        terms.append(TermState(positional: isPositional))
        termSkips.append([])
    }

    mutating func add(_ source: DocSource) {
        let doc = articleIDs.count
        let docMark = Int32(doc)
        articleIDs.append(source.articleID)
        pageIDRefs.append(intern(source.pageID))
        if articles == nil { textWriter.append(source.fields.joined(separator: "\n")) }
        blockCounts.append(UInt16(clamping: source.blockCount))
        sectionIDs.append(intern(source.section))
        sectionKeyIDs.append(intern(foldedKey(source.section)))
        dates.append(source.date)
        for author in source.authors { authorIDs.append(intern(author)) }
        authorStarts.append(UInt32(authorIDs.count))
        for entity in source.entities {
            let keyID = intern(entity.key)
            entityKeys.append(EntityCoding.packedKey(type: entity.type, keyID: keyID))
            EntityCoding.append(formID: intern(entity.form), keyID: keyID, mentions: entity.mentions, to: &entityData)
        }
        entityStarts.append(UInt32(entityKeys.count))
        entityDataStarts.append(UInt32(entityData.count))

        tokenKeys.removeAll(keepingCapacity: true)
        tokenUnits.removeAll(keepingCapacity: true)
        tokenWords.removeAll(keepingCapacity: true)
        var walker = FieldWalker()
        var headlineEnd: UInt32 = 0
        var headlineTokens = 0
        for (index, field) in source.fields.enumerated() {
            walker.analyze(field) { token in
                if token.kind == .word {
                    tokenKeys.append(Self.wordKey | UInt64(tokenWords.count))
                    tokenWords.append(token.word)
                } else {
                    tokenKeys.append(token.key)
                }
                tokenUnits.append(token.unit)
            }
            if index == DocSource.headlineField {
                headlineEnd = walker.unit
                headlineTokens = tokenKeys.count
            }
            walker.endField()
        }
        docUnits.append(walker.unit)
        headlineUnits.append(headlineEnd)
        resolveTokenIDs()
        collectLocalTerms(docMark: docMark, headlineTokens: headlineTokens)
        appendPostings(doc: doc)
    }

    /// Term ids of the document's tokens, in token order (new terms get ids in first-seen order).
    private mutating func resolveTokenIDs() {
        tokenIDs.removeAll(keepingCapacity: true)
        let count = tokenKeys.count
        for index in 0..<count {
            if index + Self.lookahead < count {
                let ahead = tokenKeys[index + Self.lookahead]
                if ahead & Self.wordKey == 0 && ahead >= 1 << 16 { cjkTerms.prefetch(ahead) }
            }
            let key = tokenKeys[index]
            let id: UInt32
            if key & Self.wordKey != 0 {
                id = termID(word: tokenWords[Int(key & ~Self.wordKey)])
            } else if isBigramKey(key) {
                id = termID(cjk: key)
            } else {
                id = termID(unigram: key)
            }
            tokenIDs.append(id)
        }
    }

    /// The document's distinct terms, their counts, and the positional terms' occurrences.
    private mutating func collectLocalTerms(docMark: Int32, headlineTokens: Int) {
        occurrences.removeAll(keepingCapacity: true)
        localTerms.removeAll(keepingCapacity: true)
        localCounts.removeAll(keepingCapacity: true)
        localHeadlineCounts.removeAll(keepingCapacity: true)
        let count = tokenIDs.count
        for index in 0..<count {
            if index + Self.lookahead < count { Self.prefetch(terms, tokenIDs[index + Self.lookahead]) }
            let id = Int(tokenIDs[index])
            if terms[id].seenInDoc != docMark {
                terms[id].seenInDoc = docMark
                terms[id].local = UInt32(localTerms.count)
                localTerms.append(UInt32(id))
                localCounts.append(0)
                localHeadlineCounts.append(0)
            }
            let local = Int(terms[id].local)
            localCounts[local] += 1
            if index < headlineTokens { localHeadlineCounts[local] += 1 }
            if terms[id].positional { occurrences.append(Occurrence(local: UInt32(local), unit: tokenUnits[index])) }
        }
    }

    @inline(__always)
    private static func prefetch(_ terms: [TermState], _ id: UInt32) {
        terms.withUnsafeBufferPointer { folio_prefetch($0.baseAddress! + Int(id)) }
    }

    private mutating func appendPostings(doc: Int) {
        // Counting scatter of the positional terms' occurrences: starts[local] is where that term's
        // units go in `scattered`.
        var starts = [Int](repeating: 0, count: localTerms.count + 1)
        for local in localCounts.indices {
            let positional = terms[Int(localTerms[local])].positional
            starts[local + 1] = starts[local] + (positional ? Int(localCounts[local]) : 0)
        }
        if scattered.count < occurrences.count { scattered = [UInt32](repeating: 0, count: occurrences.count * 2) }
        var next = starts
        for occurrence in occurrences {
            scattered[next[Int(occurrence.local)]] = occurrence.unit
            next[Int(occurrence.local)] += 1
        }
        for local in localTerms.indices {
            if local + Self.lookahead < localTerms.count { Self.prefetch(terms, localTerms[local + Self.lookahead]) }
            if local + Self.lookahead / 2 < localTerms.count {
                pool.prefetchEnd(of: terms[Int(localTerms[local + Self.lookahead / 2])].chain)
            }
            let id = Int(localTerms[local])
            let units = scattered[starts[local]..<starts[local + 1]]
            let headlineCount = localHeadlineCounts[local]
            let count = localCounts[local]
            var state = terms[id]
            if state.frequency > 0 && state.frequency % Segment.skipInterval == 0 {
                termSkips[id].append(UInt32(state.lastDoc))
                termSkips[id].append(state.chain.length)
            }
            scratch.removeAll(keepingCapacity: true)
            PostingCoding.append(gap: UInt32(doc - Int(state.lastDoc) - 1), count: count, headlineCount: headlineCount,
                                 to: &scratch)
            if state.positional {
                var previous: UInt32 = 0
                for unit in units {
                    VarInt.append(unit - previous, to: &scratch)
                    previous = unit
                }
            }
            scratch.withUnsafeBufferPointer { pool.append($0, to: &state.chain) }
            state.lastDoc = Int32(doc)
            state.frequency += 1
            terms[id] = state
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
        for term in terms {
            pool.copy(term.chain, into: &postings)
            termStarts.append(postings.count)
        }
        pool = PostingPool()
        let frequencies = terms.map(\.frequency)
        terms = []
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
                       strings: strings, cjkTerms: cjkTerms,
                       wordTerms: wordTerms, termStarts: termStarts, termDocFrequency: frequencies, skipStarts: skipStarts, skips: skips,
                       postings: postings, articles: articles)
    }
}
