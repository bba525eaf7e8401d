/// How many of a segment's deleted documents hold each of its terms. A deleted document stays in
/// the postings (and in the segment's document frequencies) until the segment is rebuilt; taking
/// these off, BM25's idf is that of the live documents alone: what the same archive indexed afresh
/// gives, whatever writes it went through and however it is cut into segments.
struct DeletedFrequencies: Sendable {
    private var counts: [UInt32: UInt32] = [:]

    static let none = DeletedFrequencies()

    init() {}

    /// From a snapshot: term ids of `segment` and their counts, side by side (nil when they cannot
    /// be its own: an unknown term, or more deleted documents than hold the term).
    init?(termIDs: [UInt32], counts values: [UInt32], of segment: Segment) {
        guard termIDs.count == values.count, Set(termIDs).count == termIDs.count else { return nil }
        for (termID, count) in zip(termIDs, values) {
            guard Int(termID) < segment.termCount, count <= segment.termDocFrequency[Int(termID)] else { return nil }
            counts[termID] = count
        }
    }

    subscript(termID: UInt32) -> UInt32 { counts[termID] ?? 0 }

    /// Term ids and counts, by term id (the snapshot's form).
    var sorted: (termIDs: [UInt32], counts: [UInt32]) {
        let keys = counts.keys.sorted()
        return (keys, keys.map { counts[$0]! })
    }

    /// These counts and those of `docs` (ascending, none counted before) of `segment`: read from
    /// each document's text while the segment can still read the text it indexed, else from the
    /// postings (every term's, walked with its skips: slow, and rare).
    func adding(_ docs: [Int], in segment: Segment, texts: ArticleLookup? = nil) -> DeletedFrequencies {
        var next = self
        var unread: [Int] = []
        for doc in docs {
            guard let terms = segment.termIDs(of: doc, texts: texts) else {
                unread.append(doc)
                continue
            }
            for termID in terms { next.counts[termID, default: 0] += 1 }
        }
        if !unread.isEmpty { next.countInPostings(unread, of: segment) }
        return next
    }

    private mutating func countInPostings(_ docs: [Int], of segment: Segment) {
        segment.cjkTerms.forEachPair { key, termID in
            var cursor = PostingCursor(segment: segment, termID: termID, positional: isBigramKey(key))
            var found: UInt32 = 0
            for doc in docs {
                guard cursor.advance(to: doc) else { break }
                if cursor.doc == doc { found += 1 }
            }
            if found > 0 { counts[termID, default: 0] += found }
        }
    }

    /// Document frequency of `termID` among the live documents of `segment`.
    @inline(__always)
    func liveFrequency(_ termID: UInt32, in segment: Segment) -> UInt32 {
        let all = segment.termDocFrequency[Int(termID)]
        return counts.isEmpty ? all : all - min(all, self[termID])
    }
}

extension Segment {
    /// The distinct terms of a document, from its text; nil when the text is gone or is not the
    /// one indexed any more (its length in units differs, or one of its tokens is no term here).
    func termIDs(of doc: Int, texts: ArticleLookup? = nil) -> Set<UInt32>? {
        let fields = fields(of: doc, texts: texts)
        guard !fields.isEmpty else { return nil }
        var walker = FieldWalker()
        var terms = Set<UInt32>()
        var unknown = false
        for field in fields {
            walker.analyze(field) { token in
                if let termID = cjkTerms[token.key] { terms.insert(termID) } else { unknown = true }
            }
            walker.endField()
        }
        return unknown || walker.unit != docUnits[doc] ? nil : terms
    }
}
