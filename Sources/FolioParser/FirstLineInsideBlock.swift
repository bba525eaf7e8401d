/// A title-shaped line read inside an extractor block, between the end of one paragraph and a
/// wider line under it, is a paragraph's first line, no headline.
///
/// `pdftotext`'s default mode gives a headline a block of its own or opens a block with it; a
/// short bare line in the middle of a column, right after a sentence ends and narrower than the
/// line under it, starts a paragraph (short by the lost indent: `但这一为运动员` over `减“刑”的
/// 提案…`), or is a subheading. Read as a headline it opened a story that took the rest of the
/// column from its own; as text, a subheading costs one paragraph at most (a subheading guessed
/// wrongly on a story without any costs more). `-raw` output has no blocks (its titles sit right
/// after the story before), so this holds only where blank lines part the extractor's blocks.
enum FirstLineInsideBlock {
    /// The line under it is wider by more than this (full-width characters).
    static let narrowerBy: Float = 1

    static func isProse(_ block: SourceBlock, next: SourceBlock, afterSentenceEnd: Bool) -> Bool {
        afterSentenceEnd && block.gapBefore == 0 && next.gapBefore == 0
            && block.edges.firstWidth + narrowerBy < next.edges.firstWidth
    }
}
