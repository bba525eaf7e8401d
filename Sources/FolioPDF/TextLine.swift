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

    var height: Double { y1 - y0 }

    /// The characters left to right; a space where a gap between Latin letters or digits shows one.
    var text: String {
        var out = ""
        var previous: Glyph?
        for glyph in glyphs {
            if let previous, glyph.x0 - previous.x1 > 0.2 * glyph.size {
                out.append(previous.character.isASCII && glyph.character.isASCII ? " " : "\u{3000}")
            }
            out.append(glyph.character)
            previous = glyph
        }
        return out
    }

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
        return mergeNeighbours(lines)
    }

    /// Poppler's text order mostly keeps a line's glyphs together; this checks the geometry.
    private static func continues(_ line: TextLine, with glyph: Glyph) -> Bool {
        guard let last = line.glyphs.last else { return false }
        let gap = glyph.x0 - last.x1
        let widest = glyph.spaceBefore ? maxSpacedGapEm : maxGapEm
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
            while j < pieces.count {
                if !absorbed[j], let a = pieces[i].glyphs.last, let b = pieces[j].glyphs.first {
                    let gap = b.x0 - a.x1
                    if gap > maxGapEm * min(a.size, b.size) { if pieces[j].x0 > pieces[i].x1 + 2 * maxGapEm * a.size { break } }
                    else if gap > -0.3 * b.size, similarSize(a.size, b.size), sameRow(a.y0, a.y1, b.y0, b.y1) {
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
