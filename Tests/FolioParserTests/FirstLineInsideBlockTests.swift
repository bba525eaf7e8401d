import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order: a short bare line in the middle of an extractor block, right after
/// a sentence ends and narrower than the line under it, starts a paragraph; no headline.
@Suite struct FirstLineInsideBlockTests {
    static let story = ["城东公园迎来游客高峰"] + visualLines("本报南城３月２日电　" + ParkStory.park, width: 13)
        + visualLines(ParkStory.night, width: 13)
    /// A first line set short (`但这一为游客`), then full lines of the column.
    static let boat = ["但这一为游客", "增设的游船项目也遭到了部分", "市民的反对，他们担心湖水受", "到污染。"]
    static let water = visualLines("园方表示，将在湖边设立水质监测点，定期公布监测结果。", width: 13)

    @Test func aShortFirstLineInsideABlockOpensNoStory() {
        let p = parse(page(run(Self.story + Self.boat), run(Self.water)))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰"])
        #expect(p.articles[0].body.map(\.text).contains("但这一为游客增设的游船项目也遭到了部分市民的反对，他们担心湖水受到污染。"))
    }

    @Test func aTitleOpeningItsOwnBlockStaysAHeadline() {
        // The same line after a blank line (a block of the extractor's own) is the next story's headline.
        let p = parse(page(run(Self.story), run(["西山林场造林", "本报西山３月２日电　今年共栽", "种树苗十二万株，成活率超过九", "成。"])))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场造林"])
    }
}
