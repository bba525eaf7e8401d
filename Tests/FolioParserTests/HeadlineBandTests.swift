import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order reads the headlines of modules set side by side one after
/// another, each a block of its own, then the text under the first of them.
@Suite struct HeadlineBandTests {
    static let harbour = "今年一季度，北湾港货物吞吐量比去年同期增长一成，新开的两条航线运行平稳，港区还新增了四台装卸设备。"
    static let ships = "港务局负责人说，下半年还将开通一条近海航线，届时每周可多靠泊船舶十余艘次，码头作业效率将再提高。"
    static let wheat = "东平县今年种植冬小麦四十万亩，入春以来墒情良好，苗情比往年明显要好。"
    static let water = "县农业局组织技术人员分片包村，指导农民浇好返青水，防治病虫害，确保夏粮丰收。"

    @Test func theTextAfterABandOfHeadlinesIsTheFirstHeadlines() {
        let p = parse(page("北湾港一季度吞吐量增长",
                           "东平冬小麦长势良好",
                           run(visualLines("本报北湾４月２日电　" + Self.harbour, width: 18) + visualLines(Self.ships, width: 18)),
                           run(visualLines("新华社济南４月２日电（记者方小禾）" + Self.wheat, width: 18)
                               + visualLines(Self.water, width: 18))))
        #expect(p.articles.map(\.headline) == ["北湾港一季度吞吐量增长", "东平冬小麦长势良好"])
        #expect(p.articles[0].dateline.agency == "本报")
        #expect(p.articles[0].body.map(\.text) == [Self.harbour, Self.ships])
        #expect(p.articles[1].dateline.agency == "新华社")
        #expect(p.articles[1].dateline.reporters == ["方小禾"])
        #expect(p.articles[1].body.map(\.text) == [Self.wheat, Self.water])
    }

    @Test func aSubtitleAfterTheBandIsTheFirstHeadlines() {
        let p = parse(page("北湾港一季度吞吐量增长",
                           "东平冬小麦长势良好",
                           "——新航线运行平稳",
                           run(visualLines(Self.harbour, width: 18) + visualLines(Self.ships, width: 18)),
                           run(visualLines("新华社济南４月２日电（记者方小禾）" + Self.wheat, width: 18)
                               + visualLines(Self.water, width: 18))))
        #expect(p.articles.map(\.headline) == ["北湾港一季度吞吐量增长", "东平冬小麦长势良好"])
        #expect(p.articles[0].subtitle.hasSuffix("新航线运行平稳"))
        #expect(p.articles[0].body.map(\.text) == [Self.harbour, Self.ships])
        #expect(p.articles[1].subtitle.isEmpty)
        #expect(p.articles[1].body.map(\.text) == [Self.wheat, Self.water])
    }

    @Test func aHeadlineReadInTheBlockOfItsTextKeepsIt() {
        // The second headline and its text are one extractor block: no band, the text is its own.
        let p = parse(page("北湾港一季度吞吐量增长",
                           run(["东平冬小麦长势良好"] + visualLines("新华社济南４月２日电（记者方小禾）" + Self.wheat, width: 18)
                               + visualLines(Self.water, width: 18)),
                           run(visualLines("本报北湾４月２日电　" + Self.harbour, width: 18) + visualLines(Self.ships, width: 18))))
        #expect(p.articles.map(\.headline) == ["北湾港一季度吞吐量增长", "东平冬小麦长势良好"])
        #expect(p.articles[1].dateline.agency == "新华社")
        #expect(p.articles[1].body.map(\.text) == [Self.wheat, Self.water])
        #expect(p.articles[0].dateline.agency == "本报")
        #expect(p.articles[0].body.map(\.text) == [Self.harbour, Self.ships])
    }

    static let forest = "西山林场今年共栽种树苗十二万株，成活率超过九成，林场还新修了防火通道和两座瞭望塔，护林员增加到二十人。"
    static let forestStory = run(["西山林场完成造林"] + visualLines("新华社西山４月２日电　" + forest, width: 18))

    @Test func aRubricReadBetweenAHeadlineAndItsAuthorLeavesTheStoryOpen() {
        // The bar heads the module beside; the author and the text under it are the headline's.
        let p = parse(page("北湾港一季度吞吐量增长", "■ 乡村纪事", "方小禾",
                           run(visualLines(Self.harbour, width: 18) + visualLines(Self.ships, width: 18)),
                           Self.forestStory))
        #expect(p.articles.map(\.headline) == ["北湾港一季度吞吐量增长", "西山林场完成造林"])
        #expect(p.articles[0].bylines.map(\.name) == ["方小禾"])
        #expect(p.articles[0].body.map(\.text) == [Self.harbour, Self.ships])
        #expect(p.articles.map(\.section) == ["", "乡村纪事"])
    }

    @Test func aRubricReadBetweenAHeadlineAndItsSubtitleLeavesTheStoryOpen() {
        let p = parse(page("北湾港一季度吞吐量增长", "■ 乡村纪事", "——新航线运行平稳",
                           run(visualLines(Self.harbour, width: 18) + visualLines(Self.ships, width: 18)),
                           Self.forestStory))
        #expect(p.articles.map(\.headline) == ["北湾港一季度吞吐量增长", "西山林场完成造林"])
        #expect(p.articles[0].subtitle.hasSuffix("新航线运行平稳"))
        #expect(p.articles.map(\.section) == ["", "乡村纪事"])
    }

    @Test func aRubricBeforeAnotherTitleStillEndsTheStory() {
        let p = parse(page("北湾港一季度吞吐量增长", "■ 乡村纪事", Self.forestStory,
                           run(visualLines(Self.harbour, width: 18) + visualLines(Self.ships, width: 18))))
        #expect(p.articles.first?.headline == "北湾港一季度吞吐量增长")
        #expect(p.articles.first?.body.isEmpty == true)
        #expect(p.articles.dropFirst().first?.section == "乡村纪事")
    }
}
