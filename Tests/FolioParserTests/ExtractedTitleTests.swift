import FolioModel
@testable import FolioParser
import Testing

/// Titles and captions read by an extractor right after the text above them, with no blank line.
@Suite struct ExtractedTitleTests {
    static let harbour = "今年春天，北湖港新建的三座码头陆续投入使用，港区吞吐能力比去年提高了三成。"
    static let harbourEnd = "港务局表示，下半年还将开通两条新的客运航线，方便沿湖一带的群众出行。"
    static let tea = "南岭茶园今年春茶开采比往年提前了一周，茶农们趁着晴好天气抢摘新芽。"

    @Test func shortTitleAfterAFullLineEndingASentenceStartsTheNextStory() {
        // The last line of the first story is full and ends a sentence; the next headline is
        // short and unpunctuated, and its dateline comes right under it.
        let end = visualLines(Self.harbourEnd, width: 12)
        #expect(end.last?.count == 12)
        let lines = ["北湖新建三座码头"] + visualLines(Self.harbour, width: 12) + end
            + ["南岭春茶开采", "本报南岭４月２日电"] + visualLines(Self.tea, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["北湖新建三座码头", "南岭春茶开采"])
        #expect(p.articles.first?.body.map(\.text) == [Self.harbour, Self.harbourEnd])
        #expect(p.articles.last?.dateline.agency.isEmpty == false)
    }

    @Test func unfinishedShortLineHasNoPunctuationToEndIt() {
        #expect(Reflow.unfinishedShortLine(Array("南岭春茶开采".unicodeScalars)))
        #expect(Reflow.unfinishedShortLine(Array("一片冰心——".unicodeScalars)))
        #expect(!Reflow.unfinishedShortLine(Array("方便出行。".unicodeScalars)))
        #expect(!Reflow.unfinishedShortLine(Array("他说，“这就是".unicodeScalars)))
        #expect(!Reflow.unfinishedShortLine(Array("（林河）".unicodeScalars)))
    }

    @Test func captionWithCreditAndPhotoSourceIsOneCaption() {
        let caption = "西山林场的护林员在新修的防火通道上巡查。（新华社记者林小河摄）（传真照片）"
        #expect(PageFurniture.endsWithPhotoSource(Array(caption.unicodeScalars)))
        #expect(!PageFurniture.endsWithPhotoSource(Array("护林员在巡查（林小河摄）（传真照片）".unicodeScalars)))
        let lines = ["北湖新建三座码头"] + visualLines(Self.harbour, width: 12) + visualLines(Self.harbourEnd, width: 12)
            + ["西山护林"] + visualLines(caption, width: 16, indent: 0) + ["南岭春茶开采"] + visualLines(Self.tea, width: 12)
        let p = parse(run(lines) + "\n")
        let captions = p.articles.flatMap(\.captions).map(\.text) + p.captions.map(\.text)
        #expect(captions.contains(caption))
        #expect(!p.articles.flatMap { $0.body.map(\.text) }.contains { $0.contains("传真照片") })
    }

    @Test func bareTitleInABlockOfItsOwnUnderAHeadlineIsAnotherHeadline() {
        // Two headlines set side by side come out one block each before their texts; a subtitle
        // would keep its dash.
        let harbour = ["本报北湖４月２日电"] + visualLines(Self.harbour, width: 12) + visualLines(Self.harbourEnd, width: 12)
        let tea = ["本报南岭４月２日电"] + visualLines(Self.tea, width: 12)
        let p = parse(page("北湖新建三座码头", "南岭春茶开采", run(harbour), run(tea)))
        #expect(Set(p.articles.map(\.headline)).isSuperset(of: ["北湖新建三座码头", "南岭春茶开采"]))
        #expect(p.articles.allSatisfy { $0.subtitle.isEmpty })
        let dashed = parse(page("北湖新建三座码头", "——三座码头同日启用", run(harbour)))
        #expect(dashed.articles.first?.subtitle == "三座码头同日启用")
    }

    static let route = "港务局表示，两条新航线的船期已经排定，首班船将在七月初从北湖港启航。"

    @Test func shortTitleInsideARunOfTextIsASubheading() {
        // pdftotext keeps a subheading set in the column in its paragraphs' block: no blank line
        // before or after it, and it is shorter than the indented first line after it.
        let story = visualLines(Self.harbour, width: 12) + visualLines(Self.harbourEnd, width: 12)
            + ["新航线年内开通"] + visualLines(Self.route, width: 12)
        let tea = ["本报南岭４月２日电"] + visualLines(Self.tea, width: 12)
        let p = parse(page("北湖港口扩建", run(story), "南岭春茶开采", run(tea)))
        #expect(p.articles.map(\.headline) == ["北湖港口扩建", "南岭春茶开采"])
        #expect(p.articles.first?.body.map(\.kind) == [.paragraph, .paragraph, .subheading, .paragraph])
        #expect(p.articles.first?.body.map(\.text) == [Self.harbour, Self.harbourEnd, "新航线年内开通", Self.route])
    }

    @Test func aQuestionInsideARunOfTextIsNoSubheading() {
        // A sentence read alone (`…呢？`) is a one-line paragraph more often than a subheading.
        let story = visualLines(Self.harbour, width: 12) + ["航线何时开通呢？"] + visualLines(Self.route, width: 12)
        let p = parse(page("北湖港口扩建", run(story)))
        #expect(!p.articles.flatMap(\.body).contains { $0.kind == .subheading })
        // Without the blank lines of pdftotext's blocks (`-raw`) nothing marks a title as inside its text.
        let raw = parse(run(["北湖港口扩建"] + visualLines(Self.harbour, width: 12) + visualLines(Self.harbourEnd, width: 12)
                            + ["新航线年内开通"] + visualLines(Self.route, width: 12)) + "\n")
        #expect(!raw.articles.flatMap(\.body).contains { $0.kind == .subheading })
    }
}
