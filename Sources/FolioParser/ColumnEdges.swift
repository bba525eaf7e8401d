/// How a re-flowed block meets the extractor's block breaks. `pdftotext` in its default mode
/// ends a block at each column break and reads blocks in an order of its own, so a paragraph
/// cut at the foot of a column may go on in a block read much later.
struct ColumnEdges: Sendable {
    /// The block's first line is short of its column by the lost indent: it opens a paragraph
    /// and continues nothing cut before it.
    var opens = false
    /// It opens an extractor block with a full line: the rest of a paragraph cut before it.
    var continues = false
    /// It closes an extractor block with a full line and no sentence end: cut at a column break.
    var cut = false
    /// Widths of its first and last visual lines, in full-width characters.
    var firstWidth: Float = 0
    var lastWidth: Float = 0
}

extension Run {
    /// The edges of the unit of lines `i...j` (joined into one block).
    func edges(_ i: Int, _ j: Int) -> ColumnEdges {
        var e = ColumnEdges()
        e.firstWidth = Float(widths[i])
        e.lastWidth = Float(widths[j])
        guard j > i else { return e }
        e.opens = indentedFirstLine(i)
        if i == range.lowerBound, !e.opens, !opens[i], lines[i].indented == nil {
            e.continues = widths[i] >= columnWidth(i) - Reflow.fullSlack
        }
        if j + 1 == range.upperBound, !ends[j], lines[j].indented == nil {
            e.cut = widths[j] >= columnWidth(j) - Reflow.fullSlack
        }
        return e
    }

    /// Line `i` starts a unit that runs on, and is short of the column around it: the indent of
    /// a paragraph's first line, lost by the extractor. A paragraph cut at a column break goes on
    /// with a full line instead.
    func indentedFirstLine(_ i: Int) -> Bool {
        if let indented = lines[i].indented { return indented }
        return widths[i] < columnWidth(i) - Reflow.fullSlack
    }
}
