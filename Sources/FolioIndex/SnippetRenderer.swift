import FolioModel

/// Renders a hit: headline, a window of the best-matching field, and highlight ranges that point at
/// exactly the matched characters of the original-script text (Unicode-scalar offsets).
struct SnippetRenderer {
    let finder: MatchFinder
    let snippetChars: Int
    let script: Folio_V1_OutputScript
    /// Off only in tests, which compare the fast window with the general one.
    var allowsFastPath = true

    init(query: ParsedQuery, snippetChars: Int, script: Folio_V1_OutputScript) {
        finder = MatchFinder(query.clauses.flatMap { $0 })
        self.snippetChars = snippetChars
        self.script = script
    }

    func render(_ hit: RankedHit, in segment: Segment) -> Folio_V1_SearchHit {
        let doc = hit.ref.doc
        var result = Folio_V1_SearchHit()
        result.articleID = hit.articleID
        result.pageID = segment.pageID(of: doc)
        result.score = hit.score
        result.section = ScriptOutput.convert(segment.section(of: doc), to: script)
        result.date = formatDate(segment.dates[doc])
        // Works on the stored UTF-16: only the headline and the snippet window become Strings.
        let docRange = segment.textStarts[doc]..<segment.textStarts[doc + 1]
        var chosen: Range<Int>? = nil
        var ranges: [Range<Int>] = []
        var done = false
        segment.text.withUnsafeBufferPointer { text in
            let headline = docRange.lowerBound..<(text[docRange].firstIndex(of: 0x0A) ?? docRange.upperBound)
            result.headline = ScriptOutput.convert(stringFromUTF16(UnsafeBufferPointer(rebasing: text[headline])), to: script)
            // The snippet comes from the first field after the headline that matches, else the
            // headline, else the first text block.
            let body = headline.upperBound < docRange.upperBound ? (headline.upperBound + 1)..<docRange.upperBound : nil
            if let body {
                switch allowsFastPath ? finder.fastSnippet(text, in: body, length: snippetChars) : .notApplicable {
                case .window(let window, let highlights):
                    result.snippet = ScriptOutput.convert(stringFromUTF16(UnsafeBufferPointer(rebasing: text[window])), to: script)
                    result.highlights = highlights
                    done = true
                    return
                case .noMatch:
                    break
                case .notApplicable:
                    if let found = finder.firstMatchingField(text, in: body) { (chosen, ranges) = found }
                }
            }
            if chosen == nil {
                let found = finder.ranges(in: UnsafeBufferPointer(rebasing: text[headline]))
                if !found.isEmpty { (chosen, ranges) = (headline, found) }
            }
        }
        if done { return result }
        if chosen == nil {
            let fields = segment.fieldRanges(of: doc)
            chosen = fields.dropFirst(DocSource.firstBlockField).first { !$0.isEmpty } ?? fields[0]
        }
        guard let field = chosen else { return result }
        let window = segment.scalarWindow(field, anchor: ranges.first?.lowerBound ?? 0, length: snippetChars)
        result.snippet = ScriptOutput.convert(window.text, to: script)
        result.highlights = ranges.compactMap { range in
            let low = max(range.lowerBound, window.start), high = min(range.upperBound, window.end)
            guard low < high else { return nil }
            var highlight = Folio_V1_Highlight()
            highlight.start = UInt32(low - window.start)
            highlight.end = UInt32(high - window.start)
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
    private(set) var fastRuns: [[UInt16]]? = nil
    /// Per fast run, the raw units that fold to its first key.
    private(set) var firstForms: [[UInt16]] = []

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
        fastRuns = cjkRuns
        firstForms = (fastRuns ?? []).map { IndexFold.shared.unitsFolding(to: $0[0]) }
    }

    /// Every requirement is a run of BMP CJK characters (the common query): matched by comparing
    /// folded code units directly, no analysis, no Strings.
    private var cjkRuns: [[UInt16]]? {
        var runs: [[UInt16]] = []
        for requirement in requirements {
            guard requirement.gaps.isEmpty else { return nil }
            var run: [UInt16] = []
            for (index, unit) in requirement.phraseUnits.enumerated() {
                guard unit.offset == index, case .cjk(let key) = unit.token, key < 0xD800 || (key >= 0xE000 && key < 0x10000)
                else { return nil }
                run.append(UInt16(key))
            }
            runs.append(run)
        }
        return runs
    }

    /// The first field (newline-separated, within `range` of the stored UTF-16) with a match: its
    /// bounds and the scalar ranges of its matches.
    func firstMatchingField(_ text: UnsafeBufferPointer<UInt16>, in range: Range<Int>) -> (Range<Int>, [Range<Int>])? {
        guard !requirements.isEmpty, !range.isEmpty else { return nil }
        guard let runs = fastRuns else {
            var start = range.lowerBound
            while start <= range.upperBound {
                let end = text[start..<range.upperBound].firstIndex(of: 0x0A) ?? range.upperBound
                let found = ranges(in: UnsafeBufferPointer(rebasing: text[start..<end]))
                if !found.isEmpty { return (start..<end, found) }
                start = end + 1
            }
            return nil
        }
        // Runs are CJK and never contain a newline, so the earliest match anywhere is in the first
        // matching field.
        var earliest = Int.max
        for (index, run) in runs.enumerated() {
            if let start = Self.firstRun(run, forms: firstForms[index], in: text, range: range) {
                earliest = min(earliest, start)
            }
        }
        guard earliest != .max else { return nil }
        var fieldStart = earliest, fieldEnd = earliest
        while fieldStart > range.lowerBound && text[fieldStart - 1] != 0x0A { fieldStart -= 1 }
        while fieldEnd < range.upperBound && text[fieldEnd] != 0x0A { fieldEnd += 1 }
        return (fieldStart..<fieldEnd, ranges(in: UnsafeBufferPointer(rebasing: text[fieldStart..<fieldEnd])))
    }

    /// Unit offset of the first occurrence of `run` (folded units) within `range`. Candidates are
    /// found by comparing raw units with the forms that fold to the first key (usually one or two),
    /// so the fold table is only consulted to confirm.
    static func firstRun(_ run: [UInt16], forms: [UInt16], in text: UnsafeBufferPointer<UInt16>,
                                 range: Range<Int>) -> Int? {
        guard range.count >= run.count else { return nil }
        let fold = IndexFold.shared
        guard let first = forms.first else { return nil }
        let second = forms.count > 1 ? forms[1] : first
        let last = range.upperBound - run.count
        func confirmed(_ start: Int) -> Bool {
            for offset in 1..<max(run.count, 1) where fold.foldUnit(text[start + offset]) != run[offset] { return false }
            return true
        }
        var start = range.lowerBound
        if forms.count <= 2, let base = text.baseAddress {
            // Sixteen units per step; lanes are looked at only when one holds a first-key form.
            let raw = UnsafeRawPointer(base)
            let wantA = SIMD16<UInt16>(repeating: first), wantB = SIMD16<UInt16>(repeating: second)
            while start + 16 <= last + 1 {
                let chunk = raw.loadUnaligned(fromByteOffset: start * 2, as: SIMD16<UInt16>.self)
                if any((chunk .== wantA) .| (chunk .== wantB)) {
                    for lane in start..<(start + 16) where (text[lane] == first || text[lane] == second) && confirmed(lane) {
                        return lane
                    }
                }
                start += 16
            }
        }
        while start <= last {
            let unit = text[start]
            if (unit == first || unit == second || (forms.count > 2 && forms.contains(unit))) && confirmed(start) {
                return start
            }
            start += 1
        }
        return nil
    }

    /// Scalar ranges of matches in one stored field (UTF-16).
    func ranges(in units: UnsafeBufferPointer<UInt16>) -> [Range<Int>] {
        guard !requirements.isEmpty, !units.isEmpty else { return [] }
        // Without surrogates, unit offsets are scalar offsets.
        guard let runs = fastRuns, !containsSurrogate(units) else {
            return ranges(in: stringFromUTF16(units))
        }
        var found: [Range<Int>] = []
        for (index, run) in runs.enumerated() {
            var from = 0
            while let start = Self.firstRun(run, forms: firstForms[index], in: units, range: from..<units.count) {
                found.append(start..<(start + run.count))
                from = start + 1  // overlapping occurrences count too
            }
        }
        return Self.merged(found)
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
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
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

/// Whether UTF-16 text holds any surrogate (a scalar outside the BMP), sixteen units per step.
func containsSurrogate(_ units: UnsafeBufferPointer<UInt16>) -> Bool {
    guard let base = units.baseAddress else { return false }
    let raw = UnsafeRawPointer(base)
    let mask = SIMD16<UInt16>(repeating: 0xF800), surrogate = SIMD16<UInt16>(repeating: 0xD800)
    var index = 0
    while index + 16 <= units.count {
        let chunk = raw.loadUnaligned(fromByteOffset: index * 2, as: SIMD16<UInt16>.self)
        if any((chunk & mask) .== surrogate) { return true }
        index += 16
    }
    while index < units.count {
        if units[index] & 0xF800 == 0xD800 { return true }
        index += 1
    }
    return false
}
