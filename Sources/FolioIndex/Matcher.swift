import Foundation

/// Collection-wide statistics for BM25, computed once per query over every segment.
struct CorpusStats {
    var documentCount: Double
    var averageUnits: Double
    var segments: [Segment]
    /// Per segment, what its deleted documents add to its document frequencies.
    var deleted: [DeletedFrequencies]

    static let k1 = 1.2
    static let b = 0.75

    func inverseDocumentFrequency(_ term: QueryTerm) -> Double {
        var frequency = 0.0
        for (index, segment) in segments.enumerated() {
            if let id = segment.termID(for: term) { frequency += Double(deleted[index].liveFrequency(id, in: segment)) }
        }
        return log(1 + (documentCount - frequency + 0.5) / (frequency + 0.5))
    }

    @inline(__always)
    func score(idf: Double, frequency: UInt32, units: UInt32) -> Double {
        let tf = Double(frequency)
        // Same arithmetic as SegmentQuery.streamSingleTerm, so both paths give identical scores.
        let norm = Self.k1 * (1 - Self.b + Self.b / max(averageUnits, 1) * Double(units))
        return idf * tf * (Self.k1 + 1) / (tf + norm)
    }
}

/// How one phrase is looked up: the terms whose postings are read, at which offsets.
struct PhrasePlan {
    /// Positional terms (bigrams) covering the phrase; offsets relative to the phrase start.
    var cover: [QueryTerm]
    /// CJK characters not inside any bigram of the phrase (e.g. 股 in "A股"): no positions are stored
    /// for unigrams, so such phrases are verified against the stored text.
    var isolated: [QueryTerm]
    /// Unit-level requirements (unigrams) for verification against text.
    var units: [QueryTerm]
    /// Offsets of separator units inside the phrase ("中国 人民"): they must be separators in the
    /// document too, which postings cannot tell, so such phrases are verified against the text.
    var gaps: [UInt32]
    var idf: Double

    init(_ phrase: Phrase, stats: CorpusStats) {
        let bigrams = phrase.terms.filter { $0.kind == .bigram }.sorted { $0.offset < $1.offset }
        let bigramOffsets = Set(bigrams.map(\.offset))
        units = phrase.terms.filter { $0.kind != .bigram }
        isolated = units.filter {
            $0.kind == .unigram && !bigramOffsets.contains($0.offset)
                && !($0.offset > 0 && bigramOffsets.contains($0.offset - 1))
        }
        let occupied = Set(units.map(\.offset))
        gaps = (0..<phrase.unitCount).filter { !occupied.contains($0) }
        var cover: [QueryTerm] = []
        var coveredUntil: Int64 = -1  // last unit covered by a chosen bigram
        for (index, bigram) in bigrams.enumerated() {
            let isLast = index == bigrams.count - 1 || bigrams[index + 1].offset != bigram.offset + 1
            if Int64(bigram.offset) > coveredUntil || (isLast && Int64(bigram.offset) + 1 > coveredUntil) {
                cover.append(bigram)
                coveredUntil = Int64(bigram.offset) + 1
            }
        }
        self.cover = cover
        let scored = cover.isEmpty ? isolated : cover + isolated
        idf = scored.reduce(0) { $0 + stats.inverseDocumentFrequency($1) }
    }

    /// A single term answers the phrase by itself (one character, two characters).
    var singleTerm: QueryTerm? {
        if cover.count == 1 && isolated.isEmpty { return cover[0] }
        if cover.isEmpty && isolated.count == 1 { return isolated[0] }
        return nil
    }
}

/// Evaluates a parsed query against one segment.
struct SegmentMatcher {
    let segment: Segment
    let stats: CorpusStats
    var stop = SearchStop.never

    func match(_ phrase: Phrase) throws(QueryError) -> MatchList {
        let plan = PhrasePlan(phrase, stats: stats)
        if let term = plan.singleTerm { return matchTerm(term, idf: plan.idf) }
        let lookups = (plan.cover + plan.isolated).map { segment.termID(for: $0) }
        guard !lookups.contains(nil) else { return MatchList() }
        if plan.isolated.isEmpty && plan.gaps.isEmpty { return matchPositions(plan, ids: lookups.map { $0! }) }
        let terms = zip(plan.cover + plan.isolated, lookups).map { ($0.0, $0.1!) }
        return try matchByVerifying(plan, terms: terms)
    }

    /// At most how many documents of the segment `phrase` matches: as many as hold its rarest
    /// term (no postings are read).
    func mostDocuments(_ phrase: Phrase) -> Int {
        var most = segment.docCount
        for term in phrase.terms {
            guard let id = segment.termID(for: term) else { return 0 }
            most = min(most, Int(segment.termDocFrequency[Int(id)]))
        }
        return most
    }

    private func matchTerm(_ term: QueryTerm, idf: Double) -> MatchList {
        guard let id = segment.termID(for: term) else { return MatchList() }
        let decoded = segment.decode(termID: id, positional: term.kind != .unigram, keepPositions: false)
        var result = MatchList()
        result.docs = decoded.docs
        result.scores = decoded.docs.indices.map { index in
            stats.score(idf: idf, frequency: decoded.frequencies[index],
                        units: segment.docUnits[Int(decoded.docs[index])])
        }
        return result
    }

    /// Every cover term must sit at its offset from a common start; counted per occurrence,
    /// headline occurrences weighted like single terms.
    private func matchPositions(_ plan: PhrasePlan, ids: [UInt32]) -> MatchList {
        var result = MatchList()
        forEachPositionalMatch(plan.cover, ids: ids, checked: false, accept: { _ in true }) { doc, count in
            result.append(UInt32(doc), stats.score(idf: plan.idf, frequency: count, units: segment.docUnits[doc]))
        }
        return result
    }

    /// Streams the documents where every cover term sits at its offset, with the weighted number
    /// of occurrences; when `checked`, `accept` (deletions, filters) is asked before positions are read.
    func forEachPositionalMatch(_ cover: [QueryTerm], ids: [UInt32], checked: Bool, accept: (Int) -> Bool,
                                _ body: (Int, UInt32) -> Void) {
        // The rarest term drives; the others follow with skipping cursors, and a follower that lands
        // past the driver's document pulls the driver forward (leapfrog).
        let order = ids.indices.sorted { segment.termDocFrequency[Int(ids[$0])] < segment.termDocFrequency[Int(ids[$1])] }
        let driver = order[0]
        let followers = Array(order.dropFirst())
        var cursors = ids.map { PostingCursor(segment: segment, termID: $0, positional: true) }
        var positionBuffers = [[UInt32]](repeating: [], count: ids.count)
        var target = 0
        candidates: while cursors[driver].advance(to: target) {
            let doc = cursors[driver].doc
            target = doc + 1
            for list in followers {
                guard cursors[list].advance(to: doc) else { return }
                guard cursors[list].doc == doc else {
                    target = cursors[list].doc
                    continue candidates
                }
            }
            if checked && !accept(doc) { continue }
            let count: UInt32
            if cover.count == 2 {
                count = countPairOccurrences(segment.postingBytes,
                                             first: cursors[0].positionStart..<cursors[0].positionEnd, firstOffset: cover[0].offset,
                                             second: cursors[1].positionStart..<cursors[1].positionEnd, secondOffset: cover[1].offset,
                                             headlineEnd: cover[0].offset == 0 ? nil : segment.hotDocs[doc].headlineUnits,
                                             firstHeadlineCount: cursors[0].headlineCount)
            } else {
                for list in ids.indices {
                    segment.positions(cursors[list].positionStart, cursors[list].positionEnd, into: &positionBuffers[list])
                }
                count = countOccurrences(cover, positionBuffers, headlineEnd: segment.hotDocs[doc].headlineUnits)
            }
            if count > 0 { body(doc, count) }
        }
    }

    private func countOccurrences(_ cover: [QueryTerm], _ positions: [[UInt32]], headlineEnd: UInt32) -> UInt32 {
        var weighted: UInt32 = 0
        let firstOffset = cover[0].offset
        for position in positions[0] where position >= firstOffset {
            let start = position - firstOffset
            var all = true
            for index in 1..<cover.count where !sortedContains(positions[index], start + cover[index].offset) {
                all = false
                break
            }
            if all { weighted += start < headlineEnd ? SegmentBuilder.headlineWeight : 1 }
        }
        return weighted
    }

    /// Candidates from the postings, confirmed by re-reading the stored text.
    private func matchByVerifying(_ plan: PhrasePlan, terms: [(QueryTerm, UInt32)]) throws(QueryError) -> MatchList {
        var candidates: [UInt32]? = nil
        if !plan.cover.isEmpty {
            // Where the phrase occurs, its positional terms sit at their offsets from its start: only
            // documents where they do are read again ("中国 人民" read every document holding both).
            var placed: [UInt32] = []
            let ids = terms.prefix(plan.cover.count).map(\.1)
            forEachPositionalMatch(plan.cover, ids: ids, checked: false, accept: { _ in true }) { doc, _ in
                placed.append(UInt32(doc))
            }
            candidates = placed
        }
        for (term, id) in terms.dropFirst(plan.cover.count) {
            let docs = segment.decode(termID: id, positional: term.kind != .unigram, keepPositions: false).docs
            candidates = candidates.map { sortedIntersection($0, docs) } ?? docs
        }
        var result = MatchList()
        var verifier = PhraseVerifier()
        for (index, doc) in (candidates ?? []).enumerated() {
            // Each candidate's text is read again: a long phrase over many candidates takes a while.
            if index % 64 == 63 { try stop.check() }
            let count = verifier.count(plan.units, gaps: plan.gaps, in: segment, doc: Int(doc))
            if count > 0 {
                result.append(doc, stats.score(idf: plan.idf, frequency: count, units: segment.docUnits[Int(doc)]))
            }
        }
        return result
    }
}

/// Unit-level phrase matching on a document's stored text (the slow, always-right path).
struct PhraseVerifier {
    /// The units of the document read last, kept for the next one (every candidate is read again).
    private var text = UnitKeys()

    static func count(_ units: [QueryTerm], gaps: [UInt32], in segment: Segment, doc: Int) -> UInt32 {
        var verifier = PhraseVerifier()
        return verifier.count(units, gaps: gaps, in: segment, doc: doc)
    }

    /// The phrase's occurrences in `doc`, headline occurrences weighted like single terms.
    mutating func count(_ units: [QueryTerm], gaps: [UInt32], in segment: Segment, doc: Int) -> UInt32 {
        text.removeAll()
        var walker = FieldWalker()
        var headlineEnd: UInt32 = 0
        for (index, field) in segment.fields(of: doc).enumerated() {
            walker.walk(field, &text)
            if index == DocSource.headlineField { headlineEnd = walker.unit }
            walker.endField()
        }
        let keys = text.keys
        func holds(_ at: Int, _ term: QueryTerm) -> Bool { at < keys.count && keys[at] == term.key }
        var weighted: UInt32 = 0
        for start in 0..<Int(walker.unit) where units.allSatisfy({ holds(start + Int($0.offset), $0) })
            && gaps.allSatisfy({ start + Int($0) >= keys.count || keys[start + Int($0)] == 0 }) {
            weighted += start < headlineEnd ? SegmentBuilder.headlineWeight : 1
        }
        return weighted
    }
}

/// Per unit of a text: a character's folded scalar (its unigram key), or 0 (a separator).
struct UnitKeys: UnitVisitor {
    private(set) var keys: [UInt64] = []

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
    }

    mutating func cjk(_ folded: UInt32, previous: UInt32?, unit: UInt32, offset: Int) {
        put(UInt64(folded), at: unit)
    }

    /// Units only grow: the ones skipped since the last key are separators.
    @inline(__always)
    private mutating func put(_ key: UInt64, at unit: UInt32) {
        while keys.count < Int(unit) { keys.append(0) }
        keys.append(key)
    }
}

@inline(__always)
func sortedContains(_ values: [UInt32], _ target: UInt32) -> Bool {
    var low = 0, high = values.count
    while low < high {
        let mid = (low + high) >> 1
        if values[mid] < target { low = mid + 1 } else { high = mid }
    }
    return low < values.count && values[low] == target
}

func sortedIntersection(_ left: [UInt32], _ right: [UInt32]) -> [UInt32] {
    var result: [UInt32] = []
    var i = 0, j = 0
    while i < left.count && j < right.count {
        if left[i] == right[j] {
            result.append(left[i])
            i += 1
            j += 1
        } else if left[i] < right[j] { i += 1 } else { j += 1 }
    }
    return result
}
