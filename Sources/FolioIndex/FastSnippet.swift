import FolioModel

/// The common snippet: the query is runs of BMP CJK characters. The window is placed around the
/// earliest match after the headline with scans bounded by the window length (never the whole
/// field), and highlights are found inside the window only. Same window and highlights as the
/// general path (`firstMatchingField` + `Segment.scalarWindow`), which remains for everything else.
enum FastSnippet {
    case window(Range<Int>, [Folio_V1_Highlight])
    case noMatch
    case notApplicable
}

extension MatchFinder {
    func fastSnippet(_ text: UnsafeBufferPointer<UInt16>, in range: Range<Int>, length: Int) -> FastSnippet {
        guard let runs = fastRuns, !runs.isEmpty, length > 0, !range.isEmpty else { return .notApplicable }
        var earliest = Int.max
        var longest = 0
        for (index, run) in runs.enumerated() {
            longest = max(longest, run.count)
            // Only a match starting before the earliest so far matters.
            let end = earliest == .max ? range.upperBound : min(range.upperBound, earliest + run.count)
            if let start = Self.firstRun(run, forms: firstForms[index], in: text, range: range.lowerBound..<end) {
                earliest = min(earliest, start)
            }
        }
        guard earliest != .max else { return .noMatch }
        // Field edges, looked for at most `length` units away; an edge further away does not move the window.
        let low = max(range.lowerBound, earliest - length), high = min(range.upperBound, earliest + length)
        var fieldStart = earliest
        while fieldStart > low && text[fieldStart - 1] != 0x0A { fieldStart -= 1 }
        let startKnown = fieldStart > low || low == range.lowerBound || text[low - 1] == 0x0A
        var fieldEnd = earliest
        while fieldEnd < high && text[fieldEnd] != 0x0A { fieldEnd += 1 }
        let endKnown = fieldEnd < high || high == range.upperBound || text[high] == 0x0A
        // Offsets are scalars: without surrogates near the match, units are scalars.
        if containsSurrogate(UnsafeBufferPointer(rebasing: text[fieldStart..<fieldEnd])) { return .notApplicable }
        var window: Range<Int>
        if startKnown && endKnown && fieldEnd - fieldStart <= length {
            window = fieldStart..<fieldEnd
        } else {
            var start = earliest - length / 5
            if endKnown { start = min(start, fieldEnd - length) }
            if startKnown { start = max(start, fieldStart) }
            window = start..<(start + length)
        }
        // Matches overlapping the window (a CJK run never crosses a field edge).
        var found: [Range<Int>] = []
        let scanStart = max(range.lowerBound, window.lowerBound - longest + 1)
        let scanEnd = min(range.upperBound, window.upperBound + longest - 1)
        for (index, run) in runs.enumerated() {
            var from = scanStart
            while from < scanEnd,
                  let start = Self.firstRun(run, forms: firstForms[index], in: text, range: from..<scanEnd) {
                if start + run.count > window.lowerBound && start < window.upperBound {
                    found.append(max(start, window.lowerBound)..<min(start + run.count, window.upperBound))
                }
                from = start + 1
            }
        }
        let highlights = Self.merged(found).map { range in
            var highlight = Folio_V1_Highlight()
            highlight.start = UInt32(range.lowerBound - window.lowerBound)
            highlight.end = UInt32(range.upperBound - window.lowerBound)
            return highlight
        }
        return .window(window, highlights)
    }
}
