/// A run of glyphs on one baseline with no wide gap: a visual line inside one column.
struct TextLine: Sendable {
    var glyphs: [Glyph]
    var x0: Double
    var y0: Double
    var x1: Double
    var y1: Double

    /// Characters per size (in tenths of a point), kept as glyphs come: the reading order asks
    /// for a line's size many times.
    private var sizeCounts: [Int: Int]

    init(_ first: Glyph) {
        glyphs = [first]
        x0 = first.x0; y0 = first.y0; x1 = first.x1; y1 = first.y1
        sizeCounts = [Self.tenths(first.size): 1]
    }

    mutating func append(_ glyph: Glyph) {
        glyphs.append(glyph)
        x0 = min(x0, glyph.x0); y0 = min(y0, glyph.y0); x1 = max(x1, glyph.x1); y1 = max(y1, glyph.y1)
        sizeCounts[Self.tenths(glyph.size), default: 0] += 1
    }

    mutating func absorb(_ other: TextLine) {
        for glyph in other.glyphs { append(glyph) }
        glyphs.sort { $0.x0 < $1.x0 }
    }

    /// The size most of the line's characters are set in.
    var size: Double { Self.dominant(counts: sizeCounts) }

    /// Most characters are in a heavy (sans, bold) face.
    var heavy: Bool { glyphs.filter(\.heavy).count * 2 > glyphs.count }

    /// Most characters are near-white: reversed out of a dark bar.
    var light: Bool { glyphs.filter(\.light).count * 2 > glyphs.count }

    var height: Double { y1 - y0 }

    /// The right edge of the line's ink: a full-width closing mark ending it (hung into the gutter
    /// past the column's edge by some typesetters) inks only the left half of its box.
    var inkX1: Double {
        guard let last = glyphs.last, last.isClosingMark else { return x1 }
        return last.inkX1
    }
    static let closingMarks: Set<Character> = ["，", "。", "、", "；", "：", "！", "？", "”", "’", "）", "》", "」", "』"]

    /// The characters left to right; a space where a gap between Latin letters or digits shows one.
    /// A letter-spaced line's even gaps are tracking, not spaces (社论 set 社　论 is 社论).
    var text: String {
        var out = ""
        var previous: Glyph?
        let tracking = self.tracking
        for glyph in glyphs {
            if let previous, glyph.x0 - previous.x1 > 0.2 * glyph.size,
               tracking == nil || previous.character.isASCII && glyph.character.isASCII {
                out.append(previous.character.isASCII && glyph.character.isASCII ? " " : "\u{3000}")
            }
            out.append(glyph.character)
            previous = glyph
        }
        return out
    }

    /// The gap a letter-spaced line (a display head set with tracking) keeps between every two of
    /// its glyphs: all its gaps about one width and wider than type is set. A single gap of an em
    /// or more is an ideographic space (社　论 typed so), not tracking.
    var tracking: Double? {
        guard glyphs.count >= 2 else { return nil }
        let gaps = zip(glyphs, glyphs.dropFirst()).map { $1.x0 - $0.x1 }
        let em = max(size, 1)
        guard let low = gaps.min(), let high = gaps.max(), low > 0.2 * em, high - low < Self.trackingSpreadEm * em,
              gaps.count > 1 || high < 0.8 * em else { return nil }
        return (low + high) / 2
    }
    /// Gaps of a letter-spaced line differ by less than this (in em).
    static let trackingSpreadEm = 0.15

    /// The value carrying the most weight (sizes rounded to a tenth of a point).
    static func dominant(_ weighted: [(Double, Int)]) -> Double {
        var totals: [Int: Int] = [:]
        for (value, weight) in weighted { totals[tenths(value), default: 0] += weight }
        return dominant(counts: totals)
    }

    private static func dominant(counts: [Int: Int]) -> Double {
        guard let best = counts.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }) else { return 0 }
        return Double(best.key) / 10
    }

    /// A size in tenths of a point; a non-finite or absurd size (damaged font data) counts as 0.
    private static func tenths(_ value: Double) -> Int {
        let scaled = (value * 10).rounded()
        return scaled.isFinite && abs(scaled) < 1e9 ? Int(scaled) : 0
    }
}

/// Glyphs → visual lines: glyphs on one baseline join while the gap stays under a column gutter.
enum LineBuilder {
    /// Widest gap inside a line, in em of the glyph: wider is a gutter between columns.
    static let maxGapEm = 0.8
    /// Widest gap poppler's own word spacing may bridge (an ideographic space and a little).
    static let maxSpacedGapEm = 1.6
    /// Widest word space between Latin words poppler's order joins (a gutter is still cut where the rows around are white).
    static let maxLatinGapEm = 8.0

    static func lines(_ glyphs: [Glyph]) -> [TextLine] {
        var lines: [TextLine] = []
        for glyph in glyphs {
            if var last = lines.last, continues(last, with: glyph) {
                last.append(glyph)
                lines[lines.count - 1] = last
            } else {
                lines.append(TextLine(glyph))
            }
        }
        return splitAtGutters(mergeNeighbours(lines))
    }

    /// Rows around a wide gap looked at (above and below, in heights of the line).
    static let riverReachLines = 4.0
    /// A word space at least this wide (in em) is asked whether it is a gutter.
    static let spacedGutterEm = 0.25
    /// Rows that must show the same white space, with text on both sides, for a gap to be a gutter.
    static let riverRowsMin = 2
    /// Lines looked at on each side of a gap.
    static let riverLinesMax = 64

    /// A gap bridged as a word space (poppler put a space there) that runs down the page as a
    /// river of white, with text on both sides in the rows around it, is a column gutter: the
    /// line is two, one per column. Chinese broadsheets set gutters of 1–1.5 em, no wider than
    /// an ideographic space in a byline; the byline's neighbours have text in its gaps.
    static func splitAtGutters(_ lines: [TextLine]) -> [TextLine] {
        let gaps = lines.map { line in
            // A head letter-spaced across a gutter: its gaps are its tracking, all alike.
            if line.glyphs.count >= trackedGlyphsMin, line.tracking != nil { return [Gap]() }
            let wide = wideGaps(line)
            let hung = hungGaps(line).filter { h in !wide.contains { $0.after == h.after } }
            return (wide + hung).sorted { $0.after < $1.after }
        }
        guard gaps.contains(where: { !$0.isEmpty }) else { return lines }
        var out: [TextLine] = []
        out.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            let cuts = gaps[index].filter { isRiver($0, around: index, in: lines) }
            guard !cuts.isEmpty else { out.append(line); continue }
            var piece: TextLine?
            var next = 0
            for (k, glyph) in line.glyphs.enumerated() {
                if next < cuts.count, k == cuts[next].after + 1, var done = piece {
                    // A closing mark hung into the gutter inks only its box's left half: the
                    // column ends there, and the gutter is as wide as the other rows show it.
                    done.x1 = done.inkX1
                    out.append(done)
                    piece = nil
                    next += 1
                }
                if piece == nil { piece = TextLine(glyph) } else { piece!.append(glyph) }
            }
            if let piece { out.append(piece) }
        }
        return out.sorted { $0.y0 != $1.y0 ? $0.y0 < $1.y0 : $0.x0 < $1.x0 }
    }

    /// Glyphs a letter-spaced line has at least for its even gaps to tell tracking from a gutter.
    static let trackedGlyphsMin = 4

    /// A gap inside a line wider than glyphs of a line are set apart: glyph `after` ends at `a`,
    /// the next starts at `b`.
    struct Gap { var after: Int; var a: Double; var b: Double; var hung = false }

    private static func wideGaps(_ line: TextLine) -> [Gap] {
        var gaps: [Gap] = []
        let g = line.glyphs
        for k in g.indices.dropFirst() {
            let gap = g[k].x0 - g[k - 1].x1, em = min(g[k].size, g[k - 1].size)
            // A word space poppler saw between CJK glyphs may be a gutter narrowed by punctuation
            // hung into it (between Latin words it is a word space: rivers of those are common).
            let latin = g[k - 1].character.isASCII && g[k].character.isASCII
            if gap > maxGapEm * em || (g[k].spaceBefore && !latin && gap > spacedGutterEm * em) {
                gaps.append(Gap(after: k - 1, a: g[k - 1].x1, b: g[k].x0))
            }
        }
        return gaps
    }

    /// The white half of a closing mark's box right before the next glyph: where a column's last
    /// mark hangs into the gutter, the next column's text may follow with no gap between boxes
    /// (the river test keeps only those whose white runs down the page).
    private static func hungGaps(_ line: TextLine) -> [Gap] {
        var gaps: [Gap] = []
        let g = line.glyphs
        for k in g.indices.dropFirst() where g[k - 1].isClosingMark && g[k].x0 - g[k - 1].x1 <= maxGapEm * g[k].size {
            gaps.append(Gap(after: k - 1, a: g[k - 1].inkX1, b: g[k].x0, hung: true))
        }
        return gaps
    }

    /// Whether rows near line `index` (other lines, above and below) leave `gap` white with text
    /// close on both sides more often than they print across it.
    private static func isRiver(_ gap: Gap, around index: Int, in lines: [TextLine]) -> Bool {
        let line = lines[index]
        let reach = riverReachLines * max(line.height, 1)
        let em = max(line.size, 1)
        // A gutter a column's last mark hangs into is white in its right half only.
        let hungInto = gap.b - gap.a >= 0.8 * em ? gap.a + 0.55 * em : gap.a + 0.1 * em
        let inner0 = hungInto, inner1 = gap.b - 0.1 * em
        var white = 0, hungWhite = 0, crossed = 0, endsBefore = 0, startsAfter = 0
        // Where the white of the rows around begins and ends: the columns' text edges.
        var columnEnd = -Double.infinity, columnStart = Double.infinity
        func look(_ other: TextLine) {
            // A mark in a headline over columns hangs into no gutter: only its own type's rows tell.
            if gap.hung && !similarSize(other.size, line.size) { return }
            guard other.x0 < inner0, other.inkX1 > inner1 else {
                // A column's line of its own (poppler put no space there): half the evidence.
                if other.inkX1 <= inner0 && other.inkX1 >= gap.a - 2 * em {
                    endsBefore += 1
                    columnEnd = max(columnEnd, other.inkX1)
                }
                if other.x0 >= inner1 && other.x0 <= gap.b + 2 * em {
                    startsAfter += 1
                    columnStart = min(columnStart, other.x0)
                }
                return
            }
            if other.glyphs.contains(where: { $0.inkX1 > inner0 && $0.x0 < inner1 }) { crossed += 1; return }
            let left = other.glyphs.last { $0.inkX1 <= inner0 && $0.inkX1 >= gap.a - 2 * em }
            let right = other.glyphs.first { $0.x0 >= inner1 && $0.x0 <= gap.b + 2 * em }
            guard let left, let right else { return }
            columnEnd = max(columnEnd, left.inkX1)
            columnStart = min(columnStart, right.x0)
            // White only by a mark's empty half: marks at one place in a column's rows are no gutter.
            if other.glyphs.contains(where: { $0.x1 > inner0 && $0.x0 < inner1 }) { hungWhite += 1 } else { white += 1 }
        }
        // At most `riverLinesMax` lines each way: a page of countless lines on one row stays linear.
        var k = index - 1
        while k >= 0, index - k <= riverLinesMax, line.y0 - lines[k].y0 <= reach { look(lines[k]); k -= 1 }
        k = index + 1
        while k < lines.count, k - index <= riverLinesMax, lines[k].y0 - line.y0 <= reach { look(lines[k]); k += 1 }
        white += min(endsBefore, startsAfter)
        // A line whose gap only lies inside the gutter, its text running into the white on either
        // side (a byline centred under a headline, its ideographic space over the gutter), crosses it.
        // (By ink: a closing mark hung into the gutter inks only its left half.)
        if line.glyphs[gap.after].inkX1 > columnEnd + intrusionEm * em || gap.b < columnStart - intrusionEm * em { return false }
        return white >= riverRowsMin && white + hungWhite > crossed
    }

    /// How far (in em) a line's text may reach into the white the rows around leave, and still end its column.
    static let intrusionEm = 0.7

    /// Poppler's text order mostly keeps a line's glyphs together; this checks the geometry.
    private static func continues(_ line: TextLine, with glyph: Glyph) -> Bool {
        guard let last = line.glyphs.last else { return false }
        let gap = glyph.x0 - last.x1
        // Justified narrow columns stretch the one word space of a line of Latin words wide.
        let latin = glyph.spaceBefore && glyph.character.isASCII && last.character.isASCII
        // A word space or a break of poppler's line may stand for an ideographic space; a gutter
        // it bridges is cut again where the rows around show one (`splitAtGutters`).
        let widest = latin ? maxLatinGapEm : glyph.spaceBefore || glyph.breakBefore ? maxSpacedGapEm : maxGapEm
        return similarSize(glyph.size, last.size) && sameRow(last.y0, last.y1, glyph.y0, glyph.y1)
            && gap > -0.3 * glyph.size && gap < widest * min(glyph.size, last.size)
    }

    /// Type within this ratio may share a line (a smaller Latin run in a rubric, not a headline beside body text).
    private static func similarSize(_ a: Double, _ b: Double) -> Bool {
        max(a, b) <= 1.25 * min(a, b)
    }

    private static func sameRow(_ a0: Double, _ a1: Double, _ b0: Double, _ b1: Double) -> Bool {
        let overlap = min(a1, b1) - max(a0, b0)
        return overlap > 0.7 * min(a1 - a0, b1 - b0)
    }

    /// Pieces of one visual line that poppler's order split (a line read in two runs) are joined:
    /// each piece to its nearest right neighbour on the same row, compared by their own glyphs.
    private static func mergeNeighbours(_ lines: [TextLine]) -> [TextLine] {
        var pieces = lines.sorted { $0.x0 < $1.x0 }
        var absorbed = [Bool](repeating: false, count: pieces.count)
        for i in pieces.indices where !absorbed[i] {
            var j = i + 1
            // A piece of the row left unjoined: no wide Latin word space is bridged past it.
            var passed = false
            while j < pieces.count {
                if !absorbed[j], let a = pieces[i].glyphs.last, let b = pieces[j].glyphs.first {
                    let gap = b.x0 - a.x1
                    // Latin words a justified narrow column set far apart are one line (the river
                    // test parts them again where the gap is a gutter).
                    let latin = a.character.isASCII && b.character.isASCII && !passed
                    let widest = latin ? maxLatinGapEm : maxGapEm
                    let onRow = sameRow(a.y0, a.y1, b.y0, b.y1)
                    if gap > widest * min(a.size, b.size) {
                        if pieces[j].x0 > pieces[i].x1 + (a.character.isASCII ? maxLatinGapEm : 2 * maxGapEm) * a.size { break }
                        if onRow { passed = true }
                    }
                    else if gap > -0.3 * b.size, similarSize(a.size, b.size), onRow {
                        pieces[i].absorb(pieces[j])
                        absorbed[j] = true
                    }
                }
                j += 1
            }
        }
        return pieces.indices.filter { !absorbed[$0] }.map { pieces[$0] }
            .sorted { $0.y0 != $1.y0 ? $0.y0 < $1.y0 : $0.x0 < $1.x0 }
    }
}
