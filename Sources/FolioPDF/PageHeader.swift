/// The page header (masthead line: paper, date, page number, section) over the page's content.
enum PageHeader {
    /// Takes the top row of lines off when it reads as a header (a date or a page number in it)
    /// and stands apart from what follows; returns its text, parts joined by ideographic spaces.
    static func take(_ lines: inout [TextLine], bodySize: Double) -> String? {
        guard let top = lines.map(\.y0).min() else { return nil }
        guard let first = lines.first(where: { $0.y0 == top }) else { return nil }
        let row = lines.filter { $0.y0 < first.y1 && $0.y1 > first.y0 }
        let text = row.sorted { $0.x0 < $1.x0 }.map(\.text).joined(separator: "　")
        guard looksLikeHeader(text) else { return nil }
        let rowBottom = row.map(\.y1).max() ?? first.y1
        let rest = lines.filter { $0.y0 >= rowBottom }
        guard let nextTop = rest.map(\.y0).min(), nextTop - rowBottom > 0.3 * bodySize,
              rest.count + row.count == lines.count else { return nil }
        lines = rest
        return text
    }

    /// The header row taken off a page's glyphs as they stand (before a page of vertical columns
    /// is turned): the row's glyphs go, the rest stay.
    static func take(_ glyphs: inout [Glyph]) -> String? {
        var lines = LineBuilder.lines(glyphs)
        guard let text = take(&lines, bodySize: PDFPageReader.bodySize(lines)), let restTop = lines.map(\.y0).min() else { return nil }
        glyphs = glyphs.filter { $0.centerY >= restTop }
        return text
    }

    /// A date (年/月/日 or digits with separators) or a page number (版).
    static func looksLikeHeader(_ text: String) -> Bool {
        guard text.count <= 80 else { return false }
        let hasPage = text.contains("版")
        let hasDate = (text.contains("年") && text.contains("月")) || text.contains("星期")
        return hasPage || hasDate
    }
}
