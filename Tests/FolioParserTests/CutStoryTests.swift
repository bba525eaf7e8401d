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

    @Test func aRestGoesBackToTheCutItsFirstWordRunsOnFromNotTheNearest() {
        // Two stories cut mid-sentence at the same width, then their rests, each read after a
        // closed story: the park's opens with the end of a word (经 + 济), the village's with a
        // figure's unit (十二 + 万). The cut nearest the park's rest is the village's.
        let park = "此外，园方还计划引进社会资金，在湖边新建一座观景平台，以此带动周边经济发展，该平台预计在五月底以前建成，届时将免费对市民开放。"
        let village = "南岭乡今年春季组织干部职工和村民义务植树，全乡共计栽种各类树木苗十二万株，成活率超过九成，乡里还新修了防火通道。"
        let parkLines = visualLines(park, width: 18), villageLines = visualLines(village, width: 18)
        #expect(parkLines[1].hasSuffix("经") && villageLines[1].hasSuffix("十二"))
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18) + parkLines.prefix(2)),
                           run(["南岭乡义务植树十二万株"] + villageLines.prefix(2)),
                           Self.closedForest,
                           run(Array(parkLines.dropFirst(2)) + visualLines(ParkStory.night, width: 18)),
                           Self.closedForest,
                           run(Array(villageLines.dropFirst(2)))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "南岭乡义务植树十二万株", "西山林场完成春季造林", "西山林场完成春季造林"])
        #expect(p.articles.first?.body.map(\.text) == [ParkStory.park, park, ParkStory.night])
        #expect(p.articles.dropFirst().first?.body.map(\.text) == [village])
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
