import FolioText

/// `pdftotext -layout` output: the page's columns side by side on each line, placed by spaces.
/// Split back into columns at the gutters (runs of spaces) and read by column tracks
/// (`LayoutTracks`); a page too crowded to track is read column by column, band by band
/// between blank rows. Each line keeps its indent.
enum LayoutColumns {
    /// Spaces that part two columns on one line (a word space inside a column is one).
    static let gutterSpaces = 2
    /// Starts closer than this are one column (a paragraph indent, a centred label).
    static let columnMerge = 3
    /// A block of at most this many rows (a headline row, photo labels) belongs to the band under it.
    static let bandMinRows = 3
    /// A piece this short this close to the one before is a glyph of a spaced name.
    static let nameGlyphs = 2
    static let nameSpaces = 4

    /// Whether the text is laid out by spaces: a fifth of its lines hold a gutter or a deep indent.
    static func looksLayout(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(looksLayout)
    }

    /// The same over UTF-8 bytes: one pass, nothing kept per line, no scalar decoded (only the
    /// other spaces, U+00A0, U+3000 and U+FEFF, are told apart from text among multi-byte ones).
    static func looksLayout(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var lines = 0, spaced = 0
        var leading = 0, run = 0, seenText = false, isSpaced = false
        let n = bytes.count
        var i = 0
        while i < n {
            // Inside a line's text with no space run pending, only ASCII bytes change anything
            // (other characters are text or spaces that leave the run as it is): skip to the next.
            if seenText && run == 0 {
                i = ByteScan.firstByte(below: 0x80, in: bytes, from: i)
                guard i < n else { break }
            }
            let b = bytes[i]
            i += 1
            if b < 0x80 {
                if b == 0x0A || b == 0x0D {
                    if seenText { lines += 1; if isSpaced { spaced += 1 } }
                    leading = 0; run = 0; seenText = false; isSpaced = false
                    continue
                }
                if b == 0x20 {
                    run += 1
                    if !seenText { leading += 1; if leading >= 6 { isSpaced = true } }
                    continue
                }
                if b == 0x09 || b == 0x0B || b == 0x0C { continue }
            } else if b < 0xC0 {
                continue                                   // inside a multi-byte character
            } else if (b == 0xC2 && i < n && bytes[i] == 0xA0)
                        || (b == 0xE3 && i + 1 < n && bytes[i] == 0x80 && bytes[i + 1] == 0x80)
                        || (b == 0xEF && i + 1 < n && bytes[i] == 0xBB && bytes[i + 1] == 0xBF) {
                continue
            }
            if seenText && run >= 3 { isSpaced = true }
            seenText = true
            run = 0
        }
        if seenText { lines += 1; if isSpaced { spaced += 1 } }
        return lines >= 8 && spaced * 5 >= lines
    }

    struct Segment {
        let row: Int
        let start: Int
        let scalars: [Unicode.Scalar]
        /// Position after its last glyph on the row (spaces inside a name are kept as one).
        let end: Int
    }

    /// Pieces of one row parted by `gutterSpaces` spaces or more.
    static func segments(_ s: [Unicode.Scalar], row: Int) -> [Segment] {
        var out: [Segment] = []
        var i = 0
        while i < s.count {
            while i < s.count && s[i] == " " { i += 1 }
            guard i < s.count else { break }
            var j = i
            var spaces = 0
            while j < s.count {
                if s[j] == " " { spaces += 1; if spaces >= gutterSpaces { break } } else { spaces = 0 }
                j += 1
            }
            let piece = SourceLines.trim(Array(s[i..<(spaces >= gutterSpaces ? j - spaces + 1 : j)]))
            if let last = out.last, !piece.isEmpty, piece.count <= nameGlyphs, i - last.end <= nameSpaces,
               !endsNextColumn(piece, after: last) {
                // One glyph of a spaced name (`本报记者   祝   谦`), not a column.
                out[out.count - 1] = Segment(row: row, start: last.start, scalars: last.scalars + [" "] + piece, end: i + piece.count)
            } else if !piece.isEmpty {
                out.append(Segment(row: row, start: i, scalars: piece, end: i + piece.count))
            }
            i = j
        }
        return out
    }

    /// A glyph and its stop or bracket (`求。`, `珍）`) after a whole line of text is the last
    /// line of a paragraph in the next column, not a glyph of a spaced name.
    static func endsNextColumn(_ piece: [Unicode.Scalar], after last: Segment) -> Bool {
        last.scalars.lazy.filter { $0 != " " }.count > nameLine && piece.contains { CharacterClass.isSentenceEnd($0) || CharacterClass.isClosing($0) }
    }
    /// Most glyphs a spaced name holds with its role before the last one (`（新华社记者何伟`).
    static let nameLine = 8

    static func lines(of text: String) -> [VisualLine] {
        var rows: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var lastWasCR = false
        for c in text.unicodeScalars {
            if c == "\n" && lastWasCR { lastWasCR = false; continue }
            lastWasCR = c == "\r"
            if c == "\n" || c == "\r" { rows.append(current); current.removeAll(keepingCapacity: true); continue }
            if c == "\t" { current.append(" ") } else if c.value >= 0x20 { current.append(c) }
        }
        if !current.isEmpty { rows.append(current) }
        if let tracked = LayoutTracks.lines(rows: rows) { return tracked }

        var out: [VisualLine] = []
        var band: [Segment] = []
        var blockRows = 0
        func flush() {
            if !band.isEmpty { out += read(band) }
            band.removeAll()
        }
        for (r, row) in rows.enumerated() {
            let segs = segments(row, row: r)
            if segs.isEmpty {
                // A blank row ends a band unless the block above it was only a few rows.
                if blockRows > bandMinRows { flush() }
                blockRows = 0
                continue
            }
            band += segs
            blockRows += 1
        }
        flush()
        return out
    }

    /// One band read column by column.
    private static func read(_ segs: [Segment]) -> [VisualLine] {
        var counts: [Int: Int] = [:]
        for s in segs { counts[s.start, default: 0] += 1 }
        var candidates = counts.filter { $0.value >= 2 }.map(\.key).sorted()
        if candidates.isEmpty { candidates = counts.keys.sorted() }
        var columns: [Int] = []
        for c in candidates where columns.last.map({ c - $0 > columnMerge }) ?? true { columns.append(c) }
        var byColumn = [[Segment]](repeating: [], count: columns.count)
        for s in segs {
            var k = 0
            while k + 1 < columns.count && columns[k + 1] <= s.start + 1 { k += 1 }
            byColumn[k].append(s)
        }
        var out: [VisualLine] = []
        for (k, col) in byColumn.enumerated() {
            var lastRow: Int?
            for s in col {
                if s.row == lastRow {
                    // Two pieces of one row in one column: words spaced apart (`本报记者   某某`).
                    out[out.count - 1].scalars += [" "] + s.scalars
                    continue
                }
                // A line of another column set in a different size may sit between two of this
                // column's lines: one row skipped is no gap.
                let gap = lastRow.map { max(0, s.row - $0 - 2) } ?? 1
                out.append(VisualLine(line: UInt32(s.row + 1), gapBefore: gap, scalars: s.scalars,
                                      indented: s.start > columns[k]))
                lastRow = s.row
            }
        }
        return out
    }
}
