/// Which way a page's text runs, told from its glyphs, and the turn that sets it upright.
///
/// A page with a `/Rotate` entry (a landscape spread, a page scanned the wrong way up), or set in
/// vertical CJK (columns top to bottom, right to left), gives glyphs whose lines do not run left to
/// right across the page: read as they are, rows cut across them. The lines are found from the
/// geometry — each glyph's nearest neighbour of its size lies along the line, beside it or under
/// it — and their direction from the order poppler gives the characters of a run. The page is then
/// turned so that its lines run left to right, top to bottom, and read as any other.
public enum PageOrientation: String, Sendable, Equatable {
    /// Lines run left to right: the page as it is.
    case upright
    /// Lines run top to bottom, one after another leftwards: vertical CJK, or a page turned a quarter clockwise.
    case downward
    /// Lines run bottom to top, one after another rightwards: a page turned a quarter anticlockwise.
    case upward
    /// Lines run right to left, one after another upwards: a page upside down.
    case reversed

    /// At least this many glyphs with a neighbour are needed before a page is turned.
    static let glyphsMin = 12
    /// Share of glyphs whose nearest neighbour is under or over them for the lines to be vertical.
    static let verticalShare = 0.6
    /// Share of steps between characters that must run backwards for a row to be reversed.
    static let reversedShare = 0.6

    /// The orientation of the page's text.
    static func of(_ glyphs: [Glyph]) -> PageOrientation {
        let (beside, above) = nearestNeighbours(glyphs)
        guard beside + above >= glyphsMin else { return .upright }
        let vertical = Double(above) >= verticalShare * Double(beside + above)
        // The order poppler gives a run's characters is the order they are read in.
        var forward = 0, backward = 0
        for (a, b) in zip(glyphs, glyphs.dropFirst()) {
            let em = max(min(a.size, b.size), 1)
            let dx = (b.x0 + b.x1 - a.x0 - a.x1) / 2, dy = b.centerY - a.centerY
            guard dx * dx + dy * dy < 2.25 * em * em else { continue }
            if vertical, abs(dy) > 2 * abs(dx) { if dy > 0 { forward += 1 } else { backward += 1 } }
            if !vertical, abs(dx) > 2 * abs(dy) { if dx > 0 { forward += 1 } else { backward += 1 } }
        }
        let backwards = Double(backward) >= reversedShare * Double(max(forward + backward, 1)) && backward > 0
        if vertical { return backwards ? .upward : .downward }
        return backwards ? .reversed : .upright
    }

    /// How many glyphs have their nearest neighbour (of a like size, within an em and a half)
    /// beside them, and how many above or below them.
    static func nearestNeighbours(_ glyphs: [Glyph]) -> (beside: Int, above: Int) {
        let sizes = glyphs.map(\.size).filter { $0 > 0 && $0.isFinite }.sorted()
        guard !sizes.isEmpty else { return (0, 0) }
        let cell = max(sizes[sizes.count / 2] * 1.5, 1)
        var grid: [Int64: [Int]] = [:]
        func key(_ x: Int, _ y: Int) -> Int64 { Int64(x) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: y))) }
        func cellOf(_ g: Glyph) -> (Int, Int)? {
            let cx = (g.x0 + g.x1) / 2 / cell, cy = g.centerY / cell
            guard cx.isFinite, cy.isFinite, abs(cx) < 1e6, abs(cy) < 1e6 else { return nil }
            return (Int(cx.rounded(.down)), Int(cy.rounded(.down)))
        }
        for (i, g) in glyphs.enumerated() {
            if let (x, y) = cellOf(g) { grid[key(x, y), default: []].append(i) }
        }
        var beside = 0, above = 0
        for g in glyphs {
            guard let (x, y) = cellOf(g), g.size > 0 else { continue }
            let gx = (g.x0 + g.x1) / 2, gy = g.centerY
            var best = Double.infinity, bestVertical = false
            for ix in (x - 1)...(x + 1) {
                for iy in (y - 1)...(y + 1) {
                    for j in grid[key(ix, iy)] ?? [] {
                        let o = glyphs[j]
                        guard max(o.size, g.size) <= 1.25 * min(o.size, g.size) else { continue }
                        let dx = (o.x0 + o.x1) / 2 - gx, dy = o.centerY - gy
                        let d = dx * dx + dy * dy
                        guard d > 0.01 * g.size * g.size, d < best else { continue }
                        best = d
                        bestVertical = abs(dy) > abs(dx)
                    }
                }
            }
            guard best < 2.25 * g.size * g.size else { continue }
            if bestVertical { above += 1 } else { beside += 1 }
        }
        return (beside, above)
    }

    /// The glyphs and boxes of a page `width` × `height` turned so that lines run left to right.
    func turn(_ content: PDFPageContent) -> PDFPageContent {
        guard self != .upright else { return content }
        var turned = content
        turned.glyphs = content.glyphs.map { g in
            var t = g
            (t.x0, t.y0, t.x1, t.y1) = turn(g.x0, g.y0, g.x1, g.y1, width: content.width, height: content.height)
            return t
        }
        turned.images = content.images.map { b in
            let (x0, y0, x1, y1) = turn(b.x0, b.y0, b.x1, b.y1, width: content.width, height: content.height)
            return Box(x0: x0, y0: y0, x1: x1, y1: y1)
        }
        if self == .downward || self == .upward { (turned.width, turned.height) = (content.height, content.width) }
        // Glyphs in reading order along the new rows, as poppler gives an upright page's.
        turned.glyphs = Self.rows(turned.glyphs)
        return turned
    }

    /// Glyphs top to bottom in rows (a glyph whose middle is within half its size of the row's
    /// first), each row left to right.
    static func rows(_ glyphs: [Glyph]) -> [Glyph] {
        let byY = glyphs.sorted { $0.centerY < $1.centerY }
        var out: [Glyph] = []
        out.reserveCapacity(glyphs.count)
        var row: [Glyph] = []
        for g in byY {
            if let first = row.first, g.centerY - first.centerY > 0.5 * max(first.size, 1) {
                out += row.sorted { $0.x0 < $1.x0 }
                row = []
            }
            row.append(g)
        }
        out += row.sorted { $0.x0 < $1.x0 }
        return out
    }

    private func turn(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, width: Double, height: Double)
        -> (Double, Double, Double, Double) {
        switch self {
        case .upright: return (x0, y0, x1, y1)
        case .downward: return (y0, width - x1, y1, width - x0)
        case .upward: return (height - y1, x0, height - y0, x1)
        case .reversed: return (width - x1, height - y1, width - x0, height - y0)
        }
    }
}

extension PageOrientation {
    /// The page diagnostic's code when the page was turned to be read; nil when it is upright.
    public var diagnosticCode: String? { self == .upright ? nil : "pdf-text-turned" }

    /// What was done, in words (for the page diagnostic and the tools' warning); nil when upright.
    public var message: String? {
        switch self {
        case .upright: return nil
        case .downward:
            return "the page's text runs top to bottom (vertical CJK, or a page rotated a quarter turn): read turned upright; check the reading order"
        case .upward:
            return "the page's text runs bottom to top (a page rotated a quarter turn): read turned upright; check the reading order"
        case .reversed:
            return "the page's text is upside down (a page rotated a half turn): read turned upright; check the reading order"
        }
    }
}
