/// A title that opens an extractor block right after a paragraph broken off mid-sentence heads
/// another story; it is not a subheading of the story whose paragraph it interrupts.
///
/// A subheading stands between two paragraphs of its story: the one before it is finished. When
/// the paragraph before a title stops mid-sentence at the end of an extractor block, the column
/// broke there, and `pdftotext`'s default order read something from elsewhere on the page next:
/// a title read there is another story's headline (its text follows it, and the cut paragraph
/// goes on later). On the dev splits of the PDF bed, titles opening a block after a cut paragraph
/// were headlines every time, and all the subheadings that open a block follow a finished sentence.
enum TitleAtColumnBreak {
    static func opensStory(_ block: SourceBlock, after last: DraftBlock) -> Bool {
        block.gapBefore > 0 && last.kind == .paragraph && !last.endsSentence
    }
}
