import FolioModel
@testable import FolioParser
import Testing

/// Rubric bars on a page read from extractor output head their module's story, not the rest
/// of the page; the one-paragraph-per-line form keeps a rubric until the next one.
@Suite struct RubricModuleTests {
    static let park = "本报讯　今年春季，城东公园迎来游客高峰，园方增设了三条步行线路，并在入口处设置了导览牌，方便游客游览。"
    static let forest = "本报讯　西山林场今年共栽种树苗十二万株，成活率超过九成，林场还新修了防火通道和两座瞭望塔。"
    static let tea = "本报讯　南岭茶园近日开采春茶，茶农们起早贪黑，每天采摘鲜叶两千多斤，茶叶收购价格比去年略高。"

    /// A story as an extractor writes it: headline, then body lines of ten characters.
    static func story(_ headline: String, _ body: String) -> String {
        run([headline] + visualLines(body, width: 10, indent: 0))
    }

    @Test func extractedRubricCoversOneStory() {
        let text = page("■ 城市漫步", Self.story("城东公园迎来游客高峰", Self.park),
                        Self.story("西山林场完成造林", Self.forest))
        let p = parse(text)
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成造林"])
        #expect(p.articles.map(\.section) == ["城市漫步", ""])
    }

    @Test func rubricBarsSideBySideTakeOneStoryEach() {
        let text = page("■ 城市漫步", "■ 乡村纪事", Self.story("城东公园迎来游客高峰", Self.park),
                        Self.story("西山林场完成造林", Self.forest), Self.story("南岭茶园开采春茶", Self.tea))
        let p = parse(text)
        #expect(p.articles.map(\.section) == ["城市漫步", "乡村纪事", ""])
        #expect(p.sections.filter { !$0.rubric.isEmpty }.map(\.articleIds.count) == [1, 1])
    }

    @Test func onePargraphPerLineRubricRunsToTheNextOne() {
        let p = parse(page("■ 城市漫步", "城东公园迎来游客高峰", Self.park, "西山林场完成造林", Self.forest))
        #expect(p.articles.map(\.section) == ["城市漫步", "城市漫步"])
    }
}
