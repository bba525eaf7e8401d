import FolioModel
@testable import FolioParser
import Testing

/// `pdftotext -raw` reads a picture item's title right over its caption, which is set wider
/// than the columns of the text around it.
@Suite struct PictureTitleTests {
    static let harbour = "今年春天，北湖港新建的三座码头陆续投入使用，港区吞吐能力比去年提高了三成。"
    static let harbourEnd = "港务局表示，下半年还将开通两条新的客运航线，方便沿湖一带的群众出行。"
    static let caption = "四月二日，西山林场的护林员在新修的防火通道上巡查，沿途查看林区的防火设施。（林小河摄）"
    static let tea = "南岭茶园今年春茶开采比往年提前了一周，茶农们趁着晴好天气抢摘新芽。"

    @Test func titleAsWideAsTheColumnOverAWiderCaptionStandsAlone() {
        // The title is as wide as the text's column, so width alone would run it on.
        let title = "西山林场护林员巡查防火道"
        #expect(title.count == 12)
        let lines = ["北湖新建三座码头"] + visualLines(Self.harbour, width: 12) + visualLines(Self.harbourEnd, width: 12)
            + [title] + visualLines(Self.caption, width: 24, indent: 0)
            + ["南岭春茶开采"] + visualLines(Self.tea, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline).contains(title))
        let captions = p.articles.flatMap(\.captions).map(\.text) + p.captions.map(\.text)
        #expect(captions.contains { $0.hasPrefix("四月二日，西山林场") && !$0.contains(title) })
    }

    @Test func onlyABareTitleOverAClearlyWiderLineIsCut() {
        let title = Array("西山林场护林员巡查防火道".unicodeScalars)
        #expect(Reflow.titleOverWiderLine(title, width: 12, next: 24))
        #expect(!Reflow.titleOverWiderLine(title, width: 12, next: 14))
        #expect(!Reflow.titleOverWiderLine(Array("护林员说，这条防火通道".unicodeScalars), width: 11, next: 24))
    }

    @Test func shortFirstLineWithACommaRunsOnIntoAWiderLine() {
        // A clause set as its own paragraph, broken early (a glyph that may not end a line):
        // shorter than the column by more than an indent, but prose, not a title.
        let lines = ["北湖港口管理办法修改决定", "本报北湖４月２日讯"] + visualLines(Self.harbour, width: 14)
            + ["这一条增加一项，作为第", "五项：“港区内的客运码头、候船室和停车场。”"] + visualLines(Self.harbourEnd, width: 14)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.count == 1)
        #expect(p.articles.first?.body.map(\.text).contains("这一条增加一项，作为第五项：“港区内的客运码头、候船室和停车场。”") == true)
        #expect(p.articles.first?.body.allSatisfy { $0.kind == .paragraph } == true)
        #expect(Reflow.proseFirstLine(Array("这一条增加一项，作为第".unicodeScalars), width: 11, next: 14))
        #expect(!Reflow.proseFirstLine(Array("南岭：春茶开采提前一周".unicodeScalars), width: 11, next: 14))
        #expect(!Reflow.proseFirstLine(Array("这一条增加一项，作为第".unicodeScalars), width: 11, next: 11))
    }
}
