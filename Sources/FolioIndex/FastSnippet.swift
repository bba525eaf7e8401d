import FolioModel

/// The common snippet: the query is runs of BMP CJK characters. The earliest match after the
/// headline is found on the stored bytes, only the text around it (the window's length and a little
/// more on each side) is decoded, and the window and highlights are placed there. Same window and
/// highlights as the general path (`firstMatchingField` + `scalarWindow` on the decoded document),
/// which remains for everything else.
enum FastSnippet {
    case window(String, [Folio_V1_Highlight])
    case noMatch
    case notApplicable
}

extension MatchFinder {
    func fastSnippet(_ bytes: UnsafeBufferPointer<UInt8>, codec: TextCodec, in range: Range<Int>,
                     length: Int) -> FastSnippet {
        guard let runs = fastRuns, !runs.isEmpty, length > 0, !range.isEmpty else { return .notApplicable }
        var earliest = Int.max
        var longest = 0
        for (index, run) in runs.enumerated() {
            longest = max(longest, run.count)
            // Only a match starting before the earliest so far matters.
            let end = min(range.upperBound, earliest)
            if let start = Self.firstEncodedRun(run, forms: firstForms[index], in: bytes, codec: codec,
                                                starts: range.lowerBound..<end, limit: range.upperBound) {
                earliest = min(earliest, start)
            }
        }
        guard earliest != .max else { return .noMatch }
        // Surrogates make units and scalars differ: such text takes the general path. A table
        // without surrogates leaves them to the four-byte escape, whose lead byte 0xFF is looked for.
        guard !codec.hasSurrogateSlots else { return .notApplicable }
        // Field edges, looked for at most `length` characters away on the bytes (0x0A is only ever
        // the newline); an edge further away does not move the window. Character starts are kept
        // (`back[k]`: k characters before the match, `ahead[k]`: k after) for placing the window.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (length + 1)) { starts in
            let back = UnsafeMutableBufferPointer(rebasing: starts[0...length])
            let ahead = UnsafeMutableBufferPointer(rebasing: starts[(length + 1)...])
            back[0] = earliest
            ahead[0] = earliest
            var fieldStart = earliest, before = 0
            while before < length && fieldStart > range.lowerBound && bytes[fieldStart - 1] != 0x0A {
                // One- or two-byte codes step back without a loop; anything else (the escape) is
                // left to the general path.
                fieldStart -= TextCodec.isTrail(bytes[fieldStart - 1]) ? 2 : 1
                if fieldStart < range.lowerBound || TextCodec.isTrail(bytes[fieldStart]) || bytes[fieldStart] == 0xFF {
                    return .notApplicable
                }
                before += 1
                back[before] = fieldStart
            }
            let startKnown = before < length || fieldStart == range.lowerBound || bytes[fieldStart - 1] == 0x0A
            var fieldEnd = earliest, after = 0
            while after < length && fieldEnd < range.upperBound && bytes[fieldEnd] != 0x0A {
                let lead = bytes[fieldEnd]
                if lead == 0xFF { return .notApplicable }
                fieldEnd += 1 &+ Int(truncatingIfNeeded: lead >> 7)
                after += 1
                ahead[after] = fieldEnd
            }
            let endKnown = after < length || fieldEnd == range.upperBound || bytes[fieldEnd] == 0x0A
            // The window in characters relative to the match (never after it, never past the field).
            var windowStart: Int, windowLength: Int
            if startKnown && endKnown && before + after <= length {
                (windowStart, windowLength) = (-before, before + after)
            } else {
                // The characters around the match, decoded once for clause ends (one unit each
                // here: surrogates and the escape took the general path).
                var around: [UInt16] = []
                around.reserveCapacity(before + after)
                codec.decode(bytes, back[before]..<ahead[after], into: &around)
                let (lead, shown) = windowLeadIn(length: length, before: before, after: after,
                                                 startKnown: startKnown, endKnown: endKnown) { around[before - $0] }
                let end = shown - lead  // characters from the match's start to the window's end
                let kept = windowShown(shown, lead: lead, length: length, fieldGoesOn: !(endKnown && end == after)) {
                    around[before - lead + $0]
                }
                (windowStart, windowLength) = (-lead, kept)
            }
            let windowEnd = windowStart + windowLength
            let first = back[-windowStart]
            let last = windowEnd <= 0 ? back[-windowEnd] : ahead[windowEnd]
            return snippet(bytes, codec: codec, in: range, window: first..<last, length: windowLength,
                           longest: longest, runs: runs)
        }
    }

    /// Decodes the window (`first..<last`, `length` characters) and `longest - 1` characters either
    /// side (matches overlapping it), and marks the matches.
    private func snippet(_ bytes: UnsafeBufferPointer<UInt8>, codec: TextCodec, in range: Range<Int>,
                         window bounds: Range<Int>, length windowLength: Int, longest: Int,
                         runs: [[UInt16]]) -> FastSnippet {
        var margin = 0, spanStart = bounds.lowerBound
        while margin < longest - 1 && spanStart > range.lowerBound {
            spanStart = Self.characterBefore(spanStart, in: bytes)
            margin += 1
        }
        var spanEnd = bounds.upperBound, extra = 0
        while extra < longest - 1 && spanEnd < range.upperBound {
            spanEnd += TextCodec.length(lead: bytes[spanEnd])
            extra += 1
        }
        var units: [UInt16] = []
        units.reserveCapacity(margin + windowLength + extra)
        codec.decode(bytes, spanStart..<spanEnd, into: &units)
        if needsScalarMatching(units.withUnsafeBufferPointer { $0 }) { return .notApplicable }
        let window = margin..<(margin + windowLength)
        return units.withUnsafeBufferPointer { text in
            var found: [Range<Int>] = []
            for (index, run) in runs.enumerated() {
                var from = 0
                while from < text.count,
                      let start = Self.firstRun(run, forms: firstForms[index], in: text, range: from..<text.count) {
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
            return .window(stringFromUTF16(UnsafeBufferPointer(rebasing: text[window])), highlights)
        }
    }

    /// The start of the character before the one starting at `position`.
    @inline(__always)
    private static func characterBefore(_ position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var start = position - 1
        while TextCodec.isTrail(bytes[start]) { start -= 1 }
        return start
    }

    /// Byte offset of the first occurrence of `run` (folded units) starting within `starts`; the run
    /// may continue up to `limit`. Candidates are the bytes that begin a form of the run's first
    /// character (a lead byte always begins a character), confirmed by decoding.
    private static func firstEncodedRun(_ run: [UInt16], forms: [UInt16], in bytes: UnsafeBufferPointer<UInt8>,
                                        codec: TextCodec, starts: Range<Int>, limit: Int) -> Int? {
        guard !starts.isEmpty, !forms.isEmpty else { return nil }
        let fold = IndexFold.shared
        // Each form's code: its lead byte and, for a two-byte code, its trail (compared too, so that
        // the 63 other characters sharing the lead are not candidates).
        let codes = forms.map { codec.codeBytes(of: $0) }
        var leads: [UInt8] = []
        for code in codes where !leads.contains(code.lead) { leads.append(code.lead) }
        func confirmed(_ start: Int) -> Bool {
            var position = start
            for wanted in run {
                guard position < limit else { return false }
                if fold.foldUnit(codec.decode(bytes, &position)) != wanted { return false }
            }
            return true
        }
        var start = starts.lowerBound
        if codes.count <= 2, let base = bytes.baseAddress {
            // Sixteen bytes per step; lanes are looked at only when one holds a form's code.
            let raw = UnsafeRawPointer(base)
            let a = codes[0], b = codes[codes.count - 1]
            let leadA = SIMD16<UInt8>(repeating: a.lead), leadB = SIMD16<UInt8>(repeating: b.lead)
            let trailA = SIMD16<UInt8>(repeating: a.trail ?? 0), trailB = SIMD16<UInt8>(repeating: b.trail ?? 0)
            while start + 16 <= starts.upperBound && start + 17 <= bytes.count {
                let chunk = raw.loadUnaligned(fromByteOffset: start, as: SIMD16<UInt8>.self)
                let next = raw.loadUnaligned(fromByteOffset: start + 1, as: SIMD16<UInt8>.self)
                var hitA = chunk .== leadA, hitB = chunk .== leadB
                if a.trail != nil { hitA = hitA .& (next .== trailA) }
                if b.trail != nil { hitB = hitB .& (next .== trailB) }
                if any(hitA .| hitB) {
                    for lane in start..<(start + 16) where leads.contains(bytes[lane]) && confirmed(lane) {
                        return lane
                    }
                }
                start += 16
            }
        }
        while start < starts.upperBound {
            if leads.contains(bytes[start]) && confirmed(start) { return start }
            start += 1
        }
        return nil
    }
}
