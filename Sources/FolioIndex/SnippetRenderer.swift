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
        result.section = SnippetScript.convert(segment.section(of: doc), to: script)
        result.date = formatDate(segment.dates[doc])
        guard segment.storesText else {
            // Read from the stored article: decoded whole, the general path is as fast.
            let units = segment.units(of: doc)
            let headlineEnd = units.firstIndex(of: 0x0A) ?? units.count
            result.headline = SnippetScript.convert(units[..<headlineEnd].withUnsafeBufferPointer(stringFromUTF16), to: script)
            return withSnippet(of: units, result)
        }
        // The fast path decodes only the headline and the text around the first match.
        let docRange = segment.textStarts[doc]..<segment.textStarts[doc + 1]
        var fast: FastSnippet = .notApplicable
        segment.textBytes.withUnsafeBufferPointer { bytes in
            let headlineEnd = bytes[docRange].firstIndex(of: 0x0A) ?? docRange.upperBound
            result.headline = SnippetScript.convert(segment.textCodec.string(bytes, docRange.lowerBound..<headlineEnd),
                                                   to: script)
            if allowsFastPath && headlineEnd < docRange.upperBound {
                fast = finder.fastSnippet(bytes, codec: segment.textCodec, in: (headlineEnd + 1)..<docRange.upperBound,
                                          length: snippetChars)
            }
        }
        if case .window(let text, let highlights) = fast {
            (result.snippet, result.highlights) = SnippetScript.convert(text, highlights: highlights, to: script)
            return result
        }
        return withSnippet(of: segment.units(of: doc), result)
    }

    private func withSnippet(of units: [UInt16], _ hit: Folio_V1_SearchHit) -> Folio_V1_SearchHit {
        var result = hit
        let (text, highlights) = units.withUnsafeBufferPointer { generalSnippet($0) }
        (result.snippet, result.highlights) = SnippetScript.convert(text, highlights: highlights, to: script)
        return result
    }

    /// The snippet of a decoded document: the first field after the headline that matches, else the
    /// headline, else the first text block; a window around the first match in it.
    private func generalSnippet(_ text: UnsafeBufferPointer<UInt16>) -> (String, [Folio_V1_Highlight]) {
        let headline = 0..<(text.firstIndex(of: 0x0A) ?? text.count)
        var chosen: Range<Int>? = nil
        var ranges: [Range<Int>] = []
        if headline.upperBound < text.count,
           let found = finder.firstMatchingField(text, in: (headline.upperBound + 1)..<text.count) {
            (chosen, ranges) = found
        } else {
            let found = finder.ranges(in: UnsafeBufferPointer(rebasing: text[headline]))
            if !found.isEmpty { (chosen, ranges) = (headline, found) }
        }
        if chosen == nil {
            let fields = fieldRanges(text)
            chosen = fields.dropFirst(DocSource.firstBlockField).first { !$0.isEmpty } ?? fields[0]
        }
        guard let field = chosen else { return ("", []) }
        let window = scalarWindow(UnsafeBufferPointer(rebasing: text[field]), anchor: ranges.first?.lowerBound ?? 0,
                                  length: snippetChars)
        let highlights = ranges.compactMap { range -> Folio_V1_Highlight? in
            let low = max(range.lowerBound, window.start), high = min(range.upperBound, window.end)
            guard low < high else { return nil }
            var highlight = Folio_V1_Highlight()
            highlight.start = UInt32(low - window.start)
            highlight.end = UInt32(high - window.start)
            return highlight
        }
        return (window.text, highlights)
    }
}

/// Bounds of each newline-separated field of a decoded document.
func fieldRanges(_ units: UnsafeBufferPointer<UInt16>) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = 0
    for index in units.indices where units[index] == 0x0A {
        ranges.append(start..<index)
        start = index + 1
    }
    ranges.append(start..<units.count)
    return ranges
}

/// A window of at most `length` scalars of a field around `anchor` (a scalar offset), placed by
/// `windowLeadIn` and ended by `windowShown`; offsets are scalars within the field.
func scalarWindow(_ units: UnsafeBufferPointer<UInt16>, anchor: Int, length: Int) -> (text: String, start: Int, end: Int) {
    // Unit offset of every scalar boundary is only needed when surrogates are present.
    let hasSurrogates = containsSurrogate(units)
    var boundaries: [Int] = []
    if hasSurrogates {
        for (index, unit) in units.enumerated() where !(unit >= 0xDC00 && unit < 0xE000 && index > 0
                                                         && units[index - 1] >= 0xD800 && units[index - 1] < 0xDC00) {
            boundaries.append(index)
        }
        boundaries.append(units.count)
    }
    let scalarCount = hasSurrogates ? boundaries.count - 1 : units.count
    var start = 0, end = scalarCount
    if scalarCount > length {
        let (lead, shown) = windowLeadIn(length: length, before: anchor, after: scalarCount - anchor,
                                         startKnown: true, endKnown: true) {
            units[hasSurrogates ? boundaries[anchor - $0] : anchor - $0]
        }
        start = anchor - lead
        let kept = windowShown(shown, lead: lead, length: length, fieldGoesOn: start + shown < scalarCount) {
            units[hasSurrogates ? boundaries[start + $0] : start + $0]
        }
        end = start + kept
    }
    let unitStart = hasSurrogates ? boundaries[start] : start
    let unitEnd = hasSurrogates ? boundaries[end] : end
    return (stringFromUTF16(UnsafeBufferPointer(rebasing: units[unitStart..<unitEnd])), start, end)
}

/// Where a window of `length` characters starts (`lead`: characters shown before the match) and how
/// many it shows, for a match with `before` characters of its field before it and `after` from its
/// start on (each counted up to `length` when that edge is not known). The window starts:
/// - at the field's start when the match falls in the window's first half;
/// - else right after a clause's end, the earliest within two fifths of the window before the match,
///   or a fifth before it when there is none (a window started anywhere began mid-word:
///   "路部门介绍…" for "据铁路部门介绍…");
/// - and when that would run past the field's end, early enough to end with the field, moved on
///   to the next clause within two fifths (the window is then shorter).
/// `unitBefore(k)` is the character k places before the match, 1...`before`.
func windowLeadIn(length: Int, before: Int, after: Int, startKnown: Bool, endKnown: Bool,
                  unitBefore: (Int) -> UInt16) -> (lead: Int, shown: Int) {
    if startKnown && before <= length / 2 { return (before, length) }
    let reach = 2 * (length / 5)
    /// The largest distance in low...high whose window starts right after a clause's end.
    func clauseStart(_ low: Int, _ high: Int) -> Int? {
        var distance = high
        while distance >= low {
            if endsClause(unitBefore(distance + 1)) { return distance }
            distance -= 1
        }
        return nil
    }
    let lead = clauseStart(0, min(reach, before - 1)) ?? length / 5
    let ending = length - after  // the lead that ends the window with the field
    guard endKnown && ending > lead else { return (lead, length) }
    if startKnown && ending >= before { return (before, length) }
    let snapped = clauseStart(max(0, ending - reach), ending) ?? ending
    return (snapped, min(length, snapped + after))
}

/// How many of a window's `shown` characters it keeps: when its field goes on after it, it ends
/// right after the last clause end in its last fifth (past the match's first character), if there
/// is one, rather than mid-word. `unitAt(w)` is the window's w-th character.
func windowShown(_ shown: Int, lead: Int, length: Int, fieldGoesOn: Bool, unitAt: (Int) -> UInt16) -> Int {
    guard fieldGoesOn else { return shown }
    var index = shown - 1
    while index > lead && index >= shown - length / 5 {
        if endsClause(unitAt(index)) { return index + 1 }
        index -= 1
    }
    return shown
}

/// Punctuation and spaces after which a snippet may start or end (not the full stop `.`: it is in numbers).
@inline(__always)
func endsClause(_ unit: UInt16) -> Bool {
    switch unit {
    case 0xFF0C, 0x3002, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F, 0x3001,  // ，。；：！？、
         0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x300B, 0x3011,  // ”’」』）》】
         0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x20, 0x3000:        // , ; : ! ? ) space, ideographic space
        return true
    default:
        return false
    }
}

/// Finds where phrases occur in one text, as scalar ranges, by the same unit rules as the index.
struct MatchFinder {
    private struct Requirement {
        var phraseUnits: [(offset: Int, key: UInt64)]
        var gaps: [Int]
        var last: Int
        var firstCJK: UInt32?  // a folded scalar every match must contain (cheap pre-check)
    }

    private struct UnitEntry {
        var key: UInt64?  // a character's unigram key; nil: a separator unit
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
            return Requirement(phraseUnits: required.map { (Int($0.offset), $0.key) },
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
                guard unit.offset == index, unit.key < 0xD800 || (unit.key >= 0xE000 && unit.key < 0x10000) else { return nil }
                run.append(UInt16(unit.key))
            }
            runs.append(run)
        }
        return runs
    }

    /// The first field (newline-separated, within `range` of the stored UTF-16) with a match: its
    /// bounds and the scalar ranges of its matches.
    func firstMatchingField(_ text: UnsafeBufferPointer<UInt16>, in range: Range<Int>) -> (Range<Int>, [Range<Int>])? {
        guard !requirements.isEmpty, !range.isEmpty else { return nil }
        // Text outside the BMP or with variation selectors is matched scalar by scalar (a unit
        // there may fold to a BMP key or be passed over).
        guard let runs = fastRuns, !needsScalarMatching(UnsafeBufferPointer(rebasing: text[range])) else {
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
        guard let runs = fastRuns, !needsScalarMatching(units) else {
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
            guard token.kind == .unigram else { return }
            while units.count < Int(token.unit) { units.append(UnitEntry(key: nil, start: 0, end: 0)) }
            units.append(UnitEntry(key: token.key, start: token.start, end: token.end))
        }
        var found: [Range<Int>] = []
        for requirement in candidates where requirement.last < units.count {
            for start in 0..<(units.count - requirement.last) {
                guard requirement.phraseUnits.allSatisfy({ units[start + $0.offset].key == $0.key }),
                      requirement.gaps.allSatisfy({ units[start + $0].key == nil }) else { continue }
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

/// Whether UTF-16 text holds a surrogate (a scalar outside the BMP), a variation selector
/// (U+FE00–FE0F) or a combining mark (U+0300–036F, with the Greek after it up to U+037F), which
/// the code-unit fast paths do not pass over: such text is matched by scalars.
func needsScalarMatching(_ units: UnsafeBufferPointer<UInt16>) -> Bool {
    guard let base = units.baseAddress else { return false }
    let raw = UnsafeRawPointer(base)
    let mask = SIMD16<UInt16>(repeating: 0xF800), surrogate = SIMD16<UInt16>(repeating: 0xD800)
    let selectorMask = SIMD16<UInt16>(repeating: 0xFFF0), selector = SIMD16<UInt16>(repeating: 0xFE00)
    let markMask = SIMD16<UInt16>(repeating: 0xFF80), mark = SIMD16<UInt16>(repeating: 0x0300)
    var index = 0
    while index + 16 <= units.count {
        let chunk = raw.loadUnaligned(fromByteOffset: index * 2, as: SIMD16<UInt16>.self)
        if any(((chunk & mask) .== surrogate) .| ((chunk & selectorMask) .== selector) .| ((chunk & markMask) .== mark)) { return true }
        index += 16
    }
    while index < units.count {
        if units[index] & 0xF800 == 0xD800 || units[index] & 0xFFF0 == 0xFE00 || units[index] & 0xFF80 == 0x0300 { return true }
        index += 1
    }
    return false
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
