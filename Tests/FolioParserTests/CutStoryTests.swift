import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order reads a story's next column after another story has ended: where
/// the story was cut mid-sentence, the text read there goes back into it whole.
@Suite struct CutStoryTests {
    static let forest = "西山林场今年共栽种树苗十二万株，成活率超过九成，林场还新修了防火通道。"

    /// The second story, closed by its signature: nothing read after it goes on in it.
    static let closedForest = run(["西山林场完成春季造林"] + visualLines("新华社北京３月２日电　" + forest, width: 18) + ["（林小河）"])

    @Test func aCutStorysNextColumnReadAfterAnotherStoryGoesOnWholeInIt() {
        let lines = visualLines(ParkStory.platform, width: 18)
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18) + lines.prefix(2)),
                           Self.closedForest,
                           run(Array(lines.dropFirst(2)) + visualLines(ParkStory.night, width: 18))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成春季造林"])
        #expect(p.articles[0].body.map(\.text) == [ParkStory.park, ParkStory.platform, ParkStory.night])
        #expect(p.articles[1].body.map(\.text) == [Self.forest])
    }

    @Test func textWithoutAHeadlineAfterAClosedStoryStaysApart() {
        // No cut to go back to and no headline waiting: which story it belongs to is a guess
        // (the story before it was right about half the time on the PDF bed's dev split), so it
        // is not put into one.
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18)),
                           Self.closedForest,
                           run(visualLines(ParkStory.water, width: 18))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成春季造林", ""])
        #expect(p.articles[1].body.map(\.text) == [Self.forest])
        #expect(p.articles[2].body.map(\.text) == [ParkStory.water])
    }

    @Test func theOneParagraphPerLineFormKeepsTextWithoutAHeadline() {
        let p = parse(page(ParkStory.park, "西山林场完成春季造林", Self.forest))
        #expect(p.articles.count == 2)
        #expect(p.articles[0].headline.isEmpty)
    }
}
