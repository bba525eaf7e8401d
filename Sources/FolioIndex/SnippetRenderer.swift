import FolioModel

/// Renders a hit: headline, a window of the best-matching field, and highlight ranges that point at
/// exactly the matched characters of the original-script text (Unicode-scalar offsets).
struct SnippetRenderer {
    let finder: MatchFinder
    let snippetChars: Int
    let script: Folio_V1_OutputScript

    init(query: ParsedQuery, snippetChars: Int, script: Folio_V1_OutputScript) {
        finder = MatchFinder(query.clauses.flatMap { $0 })
        self.snippetChars = snippetChars
        self.script = script
    }

    func render(_ hit: RankedHit, in segment: Segment) -> Folio_V1_SearchHit {
        let doc = hit.ref.doc
        let fields = segment.fields(of: doc)
        var result = Folio_V1_SearchHit()
        result.articleID = hit.articleID
        result.pageID = segment.pageID(of: doc)
        result.score = hit.score
        result.section = ScriptOutput.convert(segment.section(of: doc), to: script)
        result.date = formatDate(segment.dates[doc])
        result.headline = ScriptOutput.convert(fields.first ?? "", to: script)

        // The snippet comes from the first field after the headline that matches, else the
        // headline, else the first text block; later fields are not even analyzed.
        var chosen = fields.indices.dropFirst(DocSource.firstBlockField).first { !fields[$0].isEmpty } ?? 0
        var ranges: [Range<Int>] = []
        for field in Array(fields.indices.dropFirst()) + [0] {
            let found = finder.ranges(in: fields[field])
            if !found.isEmpty {
                chosen = field
                ranges = found
                break
            }
        }
        guard chosen < fields.count else { return result }
        let scalars = Array(fields[chosen].unicodeScalars)
        var start = 0
        var end = scalars.count
        if scalars.count > snippetChars {
            let anchor = ranges.first?.lowerBound ?? 0
            start = max(0, min(anchor - snippetChars / 5, scalars.count - snippetChars))
            end = start + snippetChars
        }
        let snippet = String(String.UnicodeScalarView(scalars[start..<end]))
        result.snippet = ScriptOutput.convert(snippet, to: script)
        result.highlights = ranges.compactMap { range in
            let low = max(range.lowerBound, start), high = min(range.upperBound, end)
            guard low < high else { return nil }
            var highlight = Folio_V1_Highlight()
            highlight.start = UInt32(low - start)
            highlight.end = UInt32(high - start)
            return highlight
        }
        return result
    }
}

/// Finds where phrases occur in one text, as scalar ranges, by the same unit rules as the index.
struct MatchFinder {
    private struct Requirement {
        var phraseUnits: [(offset: Int, token: PhraseVerifier.UnitToken)]
        var gaps: [Int]
        var last: Int
        var firstCJK: UInt32?  // a folded scalar every match must contain (cheap pre-check)
    }

    private struct UnitEntry {
        var token: PhraseVerifier.UnitToken?  // nil: a separator unit
        var start: Int
        var end: Int
    }

    private let requirements: [Requirement]

    init(_ phrases: [Phrase]) {
        requirements = phrases.compactMap { phrase in
            let required = phrase.terms.filter { $0.kind != .bigram }
            guard let last = required.map(\.offset).max() else { return nil }
            let occupied = Set(required.map(\.offset))
            let firstCJK = required.first { $0.kind == .unigram }.map { UInt32(truncatingIfNeeded: $0.key) }
            return Requirement(phraseUnits: required.map { (Int($0.offset), PhraseVerifier.unitToken($0)) },
                               gaps: (0..<phrase.unitCount).filter { !occupied.contains($0) }.map { Int($0) },
                               last: Int(last), firstCJK: firstCJK)
        }
    }

    func ranges(in text: String) -> [Range<Int>] {
        guard !requirements.isEmpty, !text.isEmpty else { return [] }
        let fold = IndexFold.shared
        let candidates = requirements.filter { requirement in
            guard let needed = requirement.firstCJK else { return true }
            return text.unicodeScalars.contains { fold.foldValue($0.value) == needed }
        }
        guard !candidates.isEmpty else { return [] }
        var units: [UnitEntry] = []
        var unit: UInt32 = 0
        var inGap = true
        Analyzer.analyze(text, unit: &unit, inGap: &inGap) { token in
            let entry: PhraseVerifier.UnitToken
            switch token.kind {
            case .unigram: entry = .cjk(token.key)
            case .word: entry = .word(token.word)
            case .bigram: return
            }
            while units.count < Int(token.unit) { units.append(UnitEntry(token: nil, start: 0, end: 0)) }
            units.append(UnitEntry(token: entry, start: token.start, end: token.end))
        }
        var found: [Range<Int>] = []
        for requirement in candidates where requirement.last < units.count {
            for start in 0..<(units.count - requirement.last) {
                guard requirement.phraseUnits.allSatisfy({ units[start + $0.offset].token == $0.token }),
                      requirement.gaps.allSatisfy({ units[start + $0].token == nil }) else { continue }
                found.append(units[start].start..<units[start + requirement.last].end)
            }
        }
        return Self.merged(found)
    }

    /// Sorted, with overlapping ranges joined.
    private static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
