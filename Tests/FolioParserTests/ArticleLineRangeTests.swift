import FolioModel
@testable import FolioParser
import Testing

/// An article's `lines` (first/last source line) spans every line its nodes came from: blocks,
/// bylines, dateline and its own captions, also when a caption is the last thing of the story.
@Suite struct ArticleLineRangeTests {
    /// Every source line an article's nodes name.
    static func nodeLines(_ a: Folio_V1_Article) -> [UInt32] {
        var lines = (a.lead + a.body).flatMap(\.lines) + a.captions.flatMap(\.lines) + a.bylines.map(\.line)
        if a.hasDateline { lines.append(a.dateline.line) }
        return lines.filter { $0 > 0 }
    }

    static func outside(_ p: Folio_V1_Page) -> [UInt32] {
        p.articles.flatMap { a in nodeLines(a).filter { !(a.lines.first...a.lines.last).contains($0) } }
    }

    @Test func aPictureItemsRangeCoversItsCaptionBelowIt() throws {
        let p = parse(page("湖畔灯会开幕（图片）", "元宵将至，南湖公园的灯会开幕，游人在灯下赏灯猜谜。（新华社记者林晓摄）"))
        let a = try #require(p.articles.first)
        #expect(a.captions.map(\.lines) == [[3]])
        #expect(a.lines.first == 1 && a.lines.last == 3)
        #expect(Self.outside(p).isEmpty)
    }

    @Test func aStorysRangeCoversACaptionAfterItsLastParagraph() throws {
        let p = parse(page("湖畔灯会开幕", "本报南湖２月１０日讯　元宵将至，南湖公园的灯会今天开幕，园内挂起了两千盏彩灯。",
                           "灯会将持续到元宵节后，每晚开放至十点。", "游人在灯下赏灯猜谜。（本报记者林晓摄）"))
        let a = try #require(p.articles.first)
        try #require(!a.captions.isEmpty)
        #expect(a.lines.last == a.captions.flatMap(\.lines).max())
        #expect(Self.outside(p).isEmpty)
    }
}
