import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order: a headline and its 核心提示 box set across a module, then picture
/// items set beside it, then the byline and the text under the headline.
@Suite struct AwaitingTextTests {
    static let lead = visualLines("城东公园今年新建三条步行线路，园方希望市民文明游园，爱护花木。", width: 15)
    static let text = visualLines(ParkStory.park, width: 15) + visualLines(ParkStory.platform, width: 15)
        + visualLines(ParkStory.night, width: 15)

    @Test func anAuthorAfterPictureItemsIsTheWaitingStorys() {
        let p = parse(page(run(["城东公园迎来游客高峰", "核心提示"] + Self.lead), run(["湖畔春色（图片）"]), run(["雪后西山（图片）"]),
                           run(["本报记者　林小河", "游客多了"] + Self.text)))
        let park = p.articles.first { $0.headline == "城东公园迎来游客高峰" }
        #expect(park?.bylines.map(\.name) == ["林小河"])
        #expect(park?.body.first?.text == "游客多了")
        #expect(!p.articles.map(\.headline).contains("游客多了"))
        #expect(p.articles.first { $0.headline == "雪后西山（图片）" }?.bylines.isEmpty == true)
    }
}
