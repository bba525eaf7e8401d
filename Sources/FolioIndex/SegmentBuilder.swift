/// Builds an immutable `Segment` from document sources in one pass.
struct SegmentBuilder {
    /// Headline occurrences count this many times in the weighted term frequency.
    static let headlineWeight: UInt32 = 3

    private struct Occurrence {
        var termID: UInt32
        var unit: UInt32
    }

    private var cjkTerms: [UInt64: UInt32] = [:]
    private var wordTerms: [String: UInt32] = [:]
    // Per term, growing while documents are added (mutated in place, never copied).
    private var termBytes: [[UInt8]] = []
    private var termLastDoc: [Int] = []
    private var termFrequency: [UInt32] = []
    private var positional: [Bool] = []
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
    private var entities: [Segment.StoredEntity] = []
    private var mentionData: [UInt32] = []
    private var occurrences: [Occurrence] = []

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
        let id = UInt32(termBytes.count)
        cjkTerms[key] = id
        appendTerm(positional: isBigramKey(key))
        return id
    }

    private mutating func termID(word: String) -> UInt32 {
        if let id = wordTerms[word] { return id }
        let id = UInt32(termBytes.count)
        wordTerms[word] = id
        appendTerm(positional: true)
        return id
    }

    private mutating func appendTerm(positional isPositional: Bool) {
        termBytes.append([])
        termLastDoc.append(-1)
        termFrequency.append(0)
        positional.append(isPositional)
    }

    mutating func add(_ source: DocSource) {
        let doc = articleIDs.count
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
            entities.append(Segment.StoredEntity(type: entity.type, keyID: intern(entity.key),
                                                 formID: intern(entity.form),
                                                 mentionStart: UInt32(mentionData.count),
                                                 mentionCount: UInt32(entity.mentions.count)))
            for mention in entity.mentions {
                mentionData += [mention.block, mention.start, mention.end, UInt32(mention.field.rawValue)]
            }
        }
        entityStarts.append(UInt32(entities.count))

        occurrences.removeAll(keepingCapacity: true)
        var walker = FieldWalker()
        var headlineEnd: UInt32 = 0
        for (index, field) in source.fields.enumerated() {
            walker.analyze(field) { token in
                let id = token.kind == .word ? termID(word: token.word) : termID(cjk: token.key)
                occurrences.append(Occurrence(termID: id, unit: token.unit))
            }
            if index == DocSource.headlineField { headlineEnd = walker.unit }
            walker.endField()
        }
        docUnits.append(walker.unit)
        headlineUnits.append(headlineEnd)
        occurrences.sort { ($0.termID, $0.unit) < ($1.termID, $1.unit) }
        appendPostings(doc: doc, headlineEnd: headlineEnd)
    }

    private mutating func appendPostings(doc: Int, headlineEnd: UInt32) {
        var index = 0
        var positionBytes: [UInt8] = []
        while index < occurrences.count {
            let id = Int(occurrences[index].termID)
            var end = index
            var headlineCount: UInt32 = 0
            while end < occurrences.count && Int(occurrences[end].termID) == id {
                if occurrences[end].unit < headlineEnd { headlineCount += 1 }
                end += 1
            }
            let count = UInt32(end - index)
            VarInt.append(UInt32(doc - termLastDoc[id] - 1), to: &termBytes[id])
            VarInt.append(count + (Self.headlineWeight - 1) * headlineCount, to: &termBytes[id])
            if positional[id] {
                positionBytes.removeAll(keepingCapacity: true)
                var previous: UInt32 = 0
                for occurrence in occurrences[index..<end] {
                    VarInt.append(occurrence.unit - previous, to: &positionBytes)
                    previous = occurrence.unit
                }
                VarInt.append(UInt32(positionBytes.count), to: &termBytes[id])
                termBytes[id].append(contentsOf: positionBytes)
            }
            termLastDoc[id] = doc
            termFrequency[id] += 1
            index = end
        }
    }

    mutating func finish() -> Segment {
        var termStarts: [Int] = [0]
        termStarts.reserveCapacity(termBytes.count + 1)
        let total = termBytes.reduce(0) { $0 + $1.count }
        var postings: [UInt8] = []
        postings.reserveCapacity(total)
        for index in termBytes.indices {
            postings.append(contentsOf: termBytes[index])
            termBytes[index] = []
            termStarts.append(postings.count)
        }
        let frequencies = termFrequency
        return Segment(docCount: articleIDs.count, articleIDs: articleIDs, pageIDRefs: pageIDRefs,
                       textStarts: textStarts, text: text, docUnits: docUnits, headlineUnits: headlineUnits,
                       blockCounts: blockCounts, sectionIDs: sectionIDs, sectionKeyIDs: sectionKeyIDs, dates: dates,
                       authorStarts: authorStarts, authorIDs: authorIDs, entityStarts: entityStarts,
                       entities: entities, mentionData: mentionData, strings: strings, cjkTerms: cjkTerms,
                       wordTerms: wordTerms, termStarts: termStarts, termDocFrequency: frequencies,
                       postings: postings)
    }
}
