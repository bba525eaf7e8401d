import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order reads a story's next column after another story has ended: where
/// the story was cut mid-sentence, the text read there goes back into it whole.
@Suite struct CutStoryTests {
    static let park = "今年春季，城东公园迎来游客高峰，园方增设了三条步行线路，并在入口处设置了导览牌。"
    static let platform = "此外，园方还计划在湖边新建一座观景平台，供游人赏景，平台预计在五月底以前建成，届时将免费对市民开放，园方还将在平台旁种植一片樱花林。"
    static let night = "据介绍，公园还将在暑期开放夜间游览，方便市民纳凉，园内的茶室也会延长营业时间。"
    static let forest = "西山林场今年共栽种树苗十二万株，成活率超过九成，林场还新修了防火通道。"
    static let water = "林场负责人说，今年雨水充足，新栽的树苗长势良好，秋后还将补种一批。"

    /// The second story, closed by its signature: nothing read after it goes on in it.
    static let closedForest = run(["西山林场完成春季造林"] + visualLines("新华社北京３月２日电　" + forest, width: 18) + ["（林小河）"])

    @Test func aCutStorysNextColumnReadAfterAnotherStoryGoesOnWholeInIt() {
        let lines = visualLines(Self.platform, width: 18)
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(Self.park, width: 18) + lines.prefix(2)),
                           Self.closedForest,
                           run(Array(lines.dropFirst(2)) + visualLines(Self.night, width: 18))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成春季造林"])
        #expect(p.articles[0].body.map(\.text) == [Self.park, Self.platform, Self.night])
        #expect(p.articles[1].body.map(\.text) == [Self.forest])
    }

    @Test func textWithoutAHeadlineAfterAClosedStoryStaysApart() {
        // No cut to go back to and no headline waiting: which story it belongs to is a guess
        // (the story before it was right about half the time on the PDF bed's dev split), so it
        // is not put into one.
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(Self.park, width: 18)),
                           Self.closedForest,
                           run(visualLines(Self.water, width: 18))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成春季造林", ""])
        #expect(p.articles[1].body.map(\.text) == [Self.forest])
        #expect(p.articles[2].body.map(\.text) == [Self.water])
    }

    @Test func theOneParagraphPerLineFormKeepsTextWithoutAHeadline() {
        let p = parse(page(Self.park, "西山林场完成春季造林", Self.forest))
        #expect(p.articles.count == 2)
        #expect(p.articles[0].headline.isEmpty)
    }
}
