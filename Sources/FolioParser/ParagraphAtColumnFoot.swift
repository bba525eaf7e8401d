/// A paragraph's first lines at the foot of a column, read as one unit inside an extractor block.
///
/// `pdftotext`'s default mode ends a block at each column break, so a paragraph that starts a
/// few lines above the foot of a column comes out as a short unit: its first line short of the
/// column by the lost indent, the rest full, no sentence end. Without punctuation in those few
/// lines it reads like a title and opened a story of its own (`三峡库区复杂的地形地…` as a
/// headline over the next column's text). A title is never indented and never runs to the foot
/// of the column at full width inside the text around it.
enum ParagraphAtColumnFoot {
    static func opens(_ block: SourceBlock) -> Bool {
        block.gapBefore == 0 && block.edges.opens && block.edges.cut && !block.laterLines.isEmpty
    }
}
