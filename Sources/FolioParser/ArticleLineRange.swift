import FolioModel

/// An article's first and last source line, covering every node it holds: the builder widens
/// the range as it reads lines, but a caption filed with the story later (under a picture item's
/// title, after the last paragraph) must fall inside it too, or a user checking the article
/// against the page misses its caption.
enum ArticleLineRange {
    /// `first...last` widened to every source line of `a`'s blocks, captions, bylines and dateline
    /// (0, an unknown line, is left out).
    static func covering(_ a: Folio_V1_Article, first: UInt32, last: UInt32) -> Folio_V1_LineRange {
        var range = Folio_V1_LineRange()
        (range.first, range.last) = (first, last)
        func widen(_ line: UInt32) {
            guard line > 0 else { return }
            range.first = min(range.first, line)
            range.last = max(range.last, line)
        }
        for block in a.lead { block.lines.forEach(widen) }
        for block in a.body { block.lines.forEach(widen) }
        for caption in a.captions { caption.lines.forEach(widen) }
        for byline in a.bylines { widen(byline.line) }
        if a.hasDateline { widen(a.dateline.line) }
        return range
    }
}
