import FolioModel

/// Renders a hit: headline, a window of the best-matching field, and highlight ranges that point at
/// exactly the matched characters of the original-script text (Unicode-scalar offsets).
struct SnippetRenderer {
    let phrases: [Phrase]
    let snippetChars: Int
    let script: Folio_V1_OutputScript

    init(query: ParsedQuery, snippetChars: Int, script: Folio_V1_OutputScript) {
        phrases = query.clauses.flatMap { $0 }
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

        let matches = fields.map { MatchFinder.ranges(of: phrases, in: $0) }
        let chosen = fields.indices.dropFirst().first { !matches[$0].isEmpty }
            ?? (matches.first?.isEmpty == false ? 0 : nil)
            ?? fields.indices.dropFirst(DocSource.firstBlockField).first { !fields[$0].isEmpty }
            ?? 0
        guard chosen < fields.count else { return result }
        let scalars = Array(fields[chosen].unicodeScalars)
        let ranges = matches[chosen]
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
enum MatchFinder {
    static func ranges(of phrases: [Phrase], in text: String) -> [Range<Int>] {
        guard !phrases.isEmpty, !text.isEmpty else { return [] }
        var units: [UInt32: (PhraseVerifier.UnitToken, Range<Int>)] = [:]
        var lastUnit: UInt32 = 0
        for token in Analyzer.tokens(of: text) {
            switch token.kind {
            case .unigram: units[token.unit] = (.cjk(token.key), token.start..<token.end)
            case .word: units[token.unit] = (.word(token.word), token.start..<token.end)
            case .bigram: continue
            }
            lastUnit = max(lastUnit, token.unit)
        }
        var found: [Range<Int>] = []
        for phrase in phrases {
            let required = phrase.terms.filter { $0.kind != .bigram }
            let occupied = Set(required.map(\.offset))
            let gaps = (0..<phrase.unitCount).filter { !occupied.contains($0) }
            guard let last = required.map(\.offset).max() else { continue }
            for start in 0...lastUnit {
                let matchesAll = required.allSatisfy { units[start + $0.offset]?.0 == PhraseVerifier.unitToken($0) }
                guard matchesAll, gaps.allSatisfy({ units[start + $0] == nil }),
                      let first = units[start], let final = units[start + last] else { continue }
                found.append(first.1.lowerBound..<final.1.upperBound)
            }
        }
        return merged(found)
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
