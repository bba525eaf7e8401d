import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order: a title that opens a block right after a paragraph broken off
/// mid-sentence is another story's headline, read at the column break; a subheading follows a
/// finished paragraph.
@Suite struct TitleAtColumnBreakTests {
    static let headline = ["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 13)
    /// A paragraph cut at the column foot: no sentence end.
    static let cut = ["据介绍，公园还将在暑期开放", "夜间游览，方便市民纳凉，园内"]
    static let forest = visualLines("西山林场今年共栽种树苗十二万株，成活率超过九成，林场还新修了两条防火道。", width: 13)
    static let orchard = visualLines("果园负责人说，今年的梨树开花较早，预计产量比去年增加两成。", width: 13)
    static let school = visualLines("学校组织师生到林场参加植树活动，每个班级认领了一片树林。", width: 13)

    @Test func aTitleAfterACutParagraphOpensAStory() {
        // Titles in a row, text between them: read as a run of subheadings without the cut.
        let p = parse(page(run(Self.headline + Self.cut), run(["西山林场植树忙"] + Self.forest),
                           run(["北坡梨花开"] + Self.orchard), run(["师生认领树林"] + Self.school)))
        #expect(p.articles.map(\.headline).contains("西山林场植树忙"))
        #expect(!p.articles.flatMap(\.body).contains { $0.kind == .subheading && $0.text == "西山林场植树忙" })
    }

    @Test func theRuleNeedsACutParagraphAndABlock() {
        var last = DraftBlock(kind: .paragraph, scalars: Array("园内的茶室也会延长营业时间".unicodeScalars), firstLine: 1)
        let title = SourceBlock(line: 3, gapBefore: 1, scalars: Array("西山林场植树忙".unicodeScalars))
        #expect(TitleAtColumnBreak.opensStory(title, after: last))
        // Inside the block (no blank line before it): not read at a column break.
        #expect(!TitleAtColumnBreak.opensStory(SourceBlock(line: 3, gapBefore: 0, scalars: title.scalars), after: last))
        // After a finished sentence: a subheading may stand there.
        last = DraftBlock(kind: .paragraph, scalars: Array("园内的茶室也会延长营业时间。".unicodeScalars), firstLine: 1)
        #expect(!TitleAtColumnBreak.opensStory(title, after: last))
    }
}
