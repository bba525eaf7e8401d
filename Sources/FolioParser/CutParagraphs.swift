/// Paragraphs cut at a column break whose rest the extractor read far away, under another
/// story, are put back together before paragraphs are joined.
///
/// A cut is a paragraph ending an extractor block with a full line and no sentence end, that
/// nothing after it in its story continues; a rest is a paragraph opening a block with a full
/// line, that nothing before it in its story runs into. Each rest goes back to the nearest cut
/// read before it whose last line is as wide as its first (the same column width): `pdftotext`
/// reads down the page before it reads the column beside, so a column's rest comes after its
/// cut, and the cuts of the blocks read in between are mostly continued already.
enum CutParagraphs {
    /// Widths differing by less than this (full-width characters) are one column width.
    static let widthSlack: Float = 0.6
    /// How many open cuts are weighed for one rest (a page has a handful).
    static let candidates = 8

    static func rejoin(_ articles: [DraftArticle]) {
        var open: [(article: DraftArticle, index: Int)] = []
        for a in articles {
            var k = 0
            while k < a.body.count {
                let b = a.body[k]
                if isRest(a, k), let c = open.lastIndex(where: { abs($0.article.body[$0.index].edges.lastWidth - b.edges.firstWidth) < widthSlack }),
                   open.count - c <= candidates {
                    let (target, at) = open.remove(at: c)
                    let rest = a.removeBody(at: k)
                    target.insertBody(rest, at: at + 1)
                    // Positions after the insertion in the same story move down by one.
                    for n in open.indices where open[n].article === target && open[n].index > at { open[n].index += 1 }
                    if target === a { k += 1 }
                    continue
                }
                if isCut(a, k) { open.append((a, k)) }
                k += 1
            }
        }
    }

    /// A paragraph cut at a block end that the paragraph joiner would not continue in its story.
    private static func isCut(_ a: DraftArticle, _ k: Int) -> Bool {
        let b = a.body[k]
        guard b.kind == .paragraph, b.edges.cut, !b.floating, !b.endsSentence else { return false }
        guard k + 1 < a.body.count else { return true }
        let next = a.body[k + 1]
        return next.kind != .paragraph || next.floating || next.edges.opens
    }

    /// A paragraph opening a block with a full line that nothing before it in its story runs into.
    private static func isRest(_ a: DraftArticle, _ k: Int) -> Bool {
        let b = a.body[k]
        guard b.kind == .paragraph, b.edges.continues, !b.floating else { return false }
        guard k > 0 else { return a.lead.isEmpty }
        let before = a.body[k - 1]
        return before.kind != .paragraph || before.endsSentence
    }
}
