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
    private var textStarts: [Int] = [0]
    private var text: [UInt16] = []
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
    // Per-document scratch: terms in first-seen order, their occurrence counts, and every
    // occurrence; a counting scatter groups them by term (units stay ascending) without sorting.
    private var occurrences: [Occurrence] = []
    private var localTerms: [UInt32] = []
    private var localCounts: [UInt32] = []
    private var scattered: [UInt32] = []

    static func build(_ sources: [DocSource]) -> Segment {
        var builder = SegmentBuilder()
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
        text.append(contentsOf: source.fields.joined(separator: "\n").utf16)
        textStarts.append(text.count)
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

        occurrences.removeAll(keepingCapacity: true)
        localTerms.removeAll(keepingCapacity: true)
        localCounts.removeAll(keepingCapacity: true)
        var walker = FieldWalker()
        var headlineEnd: UInt32 = 0
        for (index, field) in source.fields.enumerated() {
            walker.analyze(field) { token in
                let id = Int(token.kind == .word ? termID(word: token.word) : termID(cjk: token.key))
                if terms[id].seenInDoc != docMark {
                    terms[id].seenInDoc = docMark
                    terms[id].local = UInt32(localTerms.count)
                    localTerms.append(UInt32(id))
                    localCounts.append(0)
                }
                let local = terms[id].local
                localCounts[Int(local)] += 1
                occurrences.append(Occurrence(local: local, unit: token.unit))
            }
            if index == DocSource.headlineField { headlineEnd = walker.unit }
            walker.endField()
        }
        docUnits.append(walker.unit)
        headlineUnits.append(headlineEnd)
        appendPostings(doc: doc, headlineEnd: headlineEnd)
    }

    private mutating func appendPostings(doc: Int, headlineEnd: UInt32) {
        // Counting scatter: starts[local] is where that term's units go in `scattered`.
        var starts = [Int](repeating: 0, count: localTerms.count + 1)
        for local in localCounts.indices { starts[local + 1] = starts[local] + Int(localCounts[local]) }
        if scattered.count < occurrences.count { scattered = [UInt32](repeating: 0, count: occurrences.count * 2) }
        var next = starts
        for occurrence in occurrences {
            scattered[next[Int(occurrence.local)]] = occurrence.unit
            next[Int(occurrence.local)] += 1
        }
        for local in localTerms.indices {
            let id = Int(localTerms[local])
            let units = scattered[starts[local]..<starts[local + 1]]
            var headlineCount: UInt32 = 0
            for unit in units where unit < headlineEnd { headlineCount += 1 }
            let count = UInt32(units.count)
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
        // The text first: its UTF-16 form is let go before the postings are copied out of the pool,
        // so the two largest temporaries are never held at once.
        let (textBytes, byteStarts, codec) = Self.encode(text, starts: textStarts)
        text = []
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
                       postings: postings)
    }

    /// The text in a code made for it, and the documents' starts as byte offsets.
    private static func encode(_ text: [UInt16], starts: [Int]) -> ([UInt8], [Int], TextCodec) {
        let codec = TextCodec(coding: text)
        let codes = codec.encodingTable()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count * 3 / 2 + 16)
        var byteStarts: [Int] = [0]
        byteStarts.reserveCapacity(starts.count)
        for doc in 0..<(starts.count - 1) {
            for index in starts[doc]..<starts[doc + 1] { TextCodec.append(text[index], codes: codes, to: &bytes) }
            byteStarts.append(bytes.count)
        }
        return (bytes, byteStarts, codec)
    }
}
