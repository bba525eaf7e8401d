import FolioModel
@testable import FolioParser
import Testing

/// Headlines an extractor read apart from their texts (pdftotext's default order): a bare headline
/// goes to the headless text its words open, two headlines read in each other's place swap, and
/// stories each read under another's headline get their own back.
@Suite struct HeadlinePairingTests {
    static let harbour = "今年春天，北湖港新建的三座码头陆续投入使用，港区吞吐能力比去年提高了三成。"
    static let harbourEnd = "港务局表示，下半年还将开通两条新的客运航线，方便沿湖一带的群众出行。"
    static let tea = "南岭茶园今年春茶开采比往年提前了一周，茶农们趁着晴好天气抢摘新芽。"
    static let teaEnd = "据茶叶站介绍，今年南岭春茶的产量和品质都好于往年，收购价格也略有上涨。"
    static var harbourText: String { run(["本报北湖４月２日电"] + visualLines(harbour, width: 12) + visualLines(harbourEnd, width: 12)) }
    static var teaText: String { run(visualLines(tea, width: 12) + visualLines(teaEnd, width: 12)) }

    func headlines(of p: Folio_V1_Page) -> [String: String] {
        Dictionary(p.articles.map { ($0.headline, $0.body.first?.text ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    @Test func aBareHeadlineGoesToTheHeadlessTextItsWordsOpen() {
        let p = parse(page("■ 经济新闻", "北湖新建三座码头", "南岭春茶开采提前", Self.harbourText, "■ 农村天地", Self.teaText))
        #expect(p.articles.count == 2)
        #expect(headlines(of: p)["北湖新建三座码头"] == Self.harbour)
        #expect(headlines(of: p)["南岭春茶开采提前"] == Self.tea)
        #expect(!p.articles.flatMap(\.diagnostics).contains { $0.code == "headline-missing" })
    }

    @Test func headlinesReadInEachOthersPlaceSwap() {
        // The story's headline shares no pair of characters with its first paragraph; the bare
        // one shares five.
        let p = parse(page("■ 经济新闻", "南岭春茶开采提前", "北湖新建三座码头", Self.harbourText))
        #expect(headlines(of: p)["北湖新建三座码头"] == Self.harbour)
        #expect(headlines(of: p)["南岭春茶开采提前"] == "")
    }

    @Test func aHeadlineSharingTooLittleStaysApart() {
        // No pair of 西山护林员巡山 opens the tea text; one shared pair (南岭) is not enough, and
        // neither is a tie (three pairs each).
        for titles in [["西山护林员巡山"], ["南岭新修公路"], ["南岭春茶上市", "春茶开采时节"]] {
            let blocks = ["■ 经济新闻", "北湖新建三座码头"] + titles + [Self.harbourText, "■ 农村天地", Self.teaText]
            let p = parse(blocks.joined(separator: "\n\n") + "\n")
            #expect(p.articles.contains { $0.headline.isEmpty && $0.body.first?.text == Self.tea }, "\(titles)")
        }
    }

    static let forest = "西山林场今年完成造林任务两万亩，比计划多出三成，成活率达到九成以上。"
    static var forestText: String { run(visualLines(forest, width: 12)) }

    @Test func storiesEachUnderTheHeadlineOfAnotherGetTheirOwnBack() {
        // Each headline stands over the text of the story read before it (none shares a pair
        // with the text under it): a cycle of three.
        let p = parse(page("北湖新建三座码头", Self.forestText, "南岭春茶开采提前", Self.harbourText,
                           "西山林场造林两万亩", Self.teaText))
        #expect(headlines(of: p)["北湖新建三座码头"] == Self.harbour)
        #expect(headlines(of: p)["南岭春茶开采提前"] == Self.tea)
        #expect(headlines(of: p)["西山林场造林两万亩"] == Self.forest)
    }

    @Test func aChainOfMisplacedHeadlinesClosesOnTheTextItStartedFrom() {
        // 北湖 goes to the harbour text; 南岭 has no text of its own on the page, so it takes the
        // text 北湖 left: no headline is lost.
        let library = "市图书馆新馆下月开放，藏书将达到八十万册，并设有少儿阅览室。"
        let p = parse(page("北湖新建三座码头", run(visualLines(library, width: 12)), "南岭春茶开采提前", Self.harbourText))
        #expect(headlines(of: p)["北湖新建三座码头"] == Self.harbour)
        #expect(headlines(of: p)["南岭春茶开采提前"] == library)
        #expect(p.articles.count == 2)
    }

    @Test func aHeadlineOverOnlyAPhotosCaptionTakesTheTextItsWordsOpen() {
        // The library headline was read over the harbour story; the harbour headline over a
        // photo's caption only: the harbour headline takes its text back.
        let caption = "西山林场的护林员在巡山途中查看新栽的树苗。（新华社记者林小河摄）"
        let p = parse(page("市图书馆新馆开放", Self.harbourText, "北湖新建三座码头", caption))
        #expect(headlines(of: p)["北湖新建三座码头"] == Self.harbour)
        #expect(headlines(of: p)["市图书馆新馆开放"] == "")
    }

    @Test func textsUnderTheirOwnHeadlinesAreLeftAlone() {
        let p = parse(page("■ 经济新闻", "北湖新建三座码头", Self.harbourText, "南岭春茶开采提前", Self.teaText))
        #expect(headlines(of: p)["北湖新建三座码头"] == Self.harbour)
        #expect(headlines(of: p)["南岭春茶开采提前"] == Self.tea)
    }
}

/// A picture's title read right under the headline of a story set elsewhere, its caption after it.
@Suite struct CaptionTitleTests {
    static let caption = "今年春天，北湖港新建的三座码头陆续投入使用，港区吞吐能力比去年提高了三成。（新华社记者林小河摄）"
    static let story = "西山林场今年完成造林任务两万亩，比计划多出三成，成活率达到九成以上。"

    func picture(under headline: String, title: String) -> Folio_V1_Page {
        let lines = ["■ 经济新闻", "", headline, title] + visualLines(Self.caption, width: 16, indent: 0)
            + ["", "西山林场造林两万亩", "本报西山４月２日电"] + visualLines(Self.story, width: 12)
        return parse(lines.joined(separator: "\n") + "\n")
    }

    @Test func aTitleTheCaptionSpeaksOfIsThePicturesNotTheHeadlinesRest() {
        let p = picture(under: "南岭春茶开采提前", title: "北湖新建三座码头")
        let item = p.articles.first { $0.headline == "北湖新建三座码头" }
        #expect(item?.captions.first?.text.hasPrefix("今年春天") == true)
        #expect(p.articles.contains { $0.headline == "南岭春茶开采提前" && $0.subtitle.isEmpty })
    }

    @Test func aHeadlineInTwoLinesOverItsOwnPictureStaysOne() {
        // The caption speaks of the first line too (北湖, 三座): one wrapped headline.
        let p = picture(under: "北湖三座码头", title: "陆续投入使用")
        #expect(!p.articles.contains { $0.headline == "陆续投入使用" })
        #expect(p.articles.first?.headline.hasPrefix("北湖三座码头") == true)
    }

    @Test func captionTitleNeedsTwoSharedPairsAndNoneAbove() {
        let caption = Array(Self.caption.unicodeScalars)
        func titles(_ title: String, _ above: String) -> Bool {
            CaptionTitle.titles(Array(title.unicodeScalars), caption: caption, apartFrom: Array(above.unicodeScalars))
        }
        #expect(titles("北湖新建三座码头", "南岭春茶开采提前"))
        #expect(!titles("北湖新修公路", "南岭春茶开采提前"))      // one pair (北湖)
        #expect(!titles("北湖新建三座码头", "港区吞吐能力大增"))  // the line above shares 港区, 吞吐
        #expect(CaptionTitle.caption([Array("今年春天，北湖港".unicodeScalars), Array("三座码头投入使用。（林小河摄）".unicodeScalars)][...]) != nil)
        #expect(CaptionTitle.caption([Array("今年春天，北湖港三座码头投入使用。".unicodeScalars)][...]) == nil)
    }
}
