import FolioText

/// A bare title right over a paragraph's first line is the headline over its text, not a line
/// that runs on into it, whatever its width.
///
/// A paragraph's inner lines are full; only its first line is short (by the indent an extractor
/// loses) and its last one ends a sentence. So a line short of the column by about an indent,
/// with no sentence end and a full line under it, opens a paragraph, and nothing above it runs on
/// into it. `Reflow` joined a headline set about as wide as the column (a one-column story, or a
/// short headline) into such a line when the width alone made it look like prose or an indented
/// first line (`某市妇联开展再就业工程` over `某市妇联积极开展再就业工` over a full line).
enum TitleOverFirstLine {
    /// The title's lines: no punctuation but quotes, book-title marks, 、 and ·, at least this long.
    static let shortestTitle = 2

    /// Association (`BigramModel.joinScore`) at or above which, with the pair seen often enough
    /// (rare characters give a high association from a single sighting), the break falls inside a
    /// word: a paragraph's first line running on (`…主要任务是撰` / `写…`), or a title wrapped mid-word.
    static let wordAcross = 1.0
    static let wordAcrossMinCount: UInt32 = 5

    static func applies(_ run: Run, _ i: Int, unit: Int, column: Double) -> Bool {
        let next = i + 1
        // Only where blank lines part the extractor's blocks and the title opens one (`pdftotext`'s
        // default order gives a headline a block of its own or opens one with it); line widths
        // alone are too loose a clue elsewhere.
        guard unit == run.range.lowerBound, run.lines[unit].gapBefore > 0 else { return false }
        guard next + 1 < run.range.upperBound, !run.ends[next], run.lines[next].indented != false else { return false }
        // Every line of the unit so far is a bare title (a headline set in two lines counts).
        for k in unit...i where !isBareTitle(run.lines[k].scalars, width: run.widths[k]) { return false }
        let b = run.lines[next].scalars
        guard let first = b.first, !CharacterClass.cannotStartSentence(first), !Reflow.continuesClause(b) else { return false }
        guard opensParagraph(width: run.widths[next], under: run.widths[next + 1], column: column) else { return false }
        let a = run.lines[i].scalars
        guard let last = a.last else { return false }
        return run.model.count(last, first) < wordAcrossMinCount || run.model.joinScore(tail: a[...], head: b[...]) < wordAcross
    }

    /// Short of the column by about an indent, over a full line.
    static func opensParagraph(width wb: Double, under wc: Double, column: Double) -> Bool {
        wb >= column - Reflow.indentSlack && wb <= column - 1.3 && wc >= column - Reflow.fullSlack
    }

    static func isBareTitle(_ s: [Unicode.Scalar], width: Double) -> Bool {
        s.count >= shortestTitle && width <= Reflow.titleMaxWidth
            && !PageFurniture.withoutPictureNote(s).contains { CharacterClass.isPunctuation($0) && !Reflow.allowedInTitleOverText.contains($0) }
    }
}
