import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order ends a block at each column break: a paragraph begun a line or two
/// above the foot of a column comes out as an indented line and a full one, with no punctuation.
@Suite struct ParagraphAtColumnFootTests {
    /// No comma in its first two visual lines (width 18): it reads like a title by its words.
    static let nursery = "西山林场新建的苗圃地处山坳深处四季气候温和土壤肥沃适宜培育各类珍稀树种，今年已育苗三十万株。"

    @Test func aParagraphsFirstLinesAtTheColumnFootAreNoHeadline() {
        let lines = visualLines(Self.nursery, width: 18)
        let story = ["城东公园迎来游客高峰"] + visualLines("本报南城３月２日电　" + ParkStory.park, width: 18)
            + visualLines(ParkStory.night, width: 18)
        let p = parse(page(run(story + lines.prefix(2)), run(Array(lines.dropFirst(2)))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰"])
        #expect(p.articles[0].body.map(\.text) == [ParkStory.park, ParkStory.night, Self.nursery])
    }

    @Test func aTwoLineTitleInABlockOfItsOwnStaysAHeadline() {
        // A title's lines open a block: no text above them in the extractor's block.
        let p = parse(page(run(visualLines(ParkStory.park, width: 18)), run(["西山林场新建苗圃", "育苗三十万株"]),
                           run(visualLines("本报西山３月２日电　" + ParkStory.water, width: 18))))
        #expect(p.articles.contains { $0.headline == "西山林场新建苗圃育苗三十万株" })
    }
}
