import FolioModel
@testable import FolioParser
import Testing

/// Extractor output where a line's role depends on the line above it: datelines and reporter
/// lists set over several lines, a signature after the last sentence, labels and picture items.
@Suite struct ExtractedRunOnTests {
    static let park = "今年春季，城东公园迎来游客高峰，园方增设了三条步行线路，并在入口处设置了导览牌。"
    static let night = "据介绍，公园还将在暑期开放夜间游览，方便市民纳凉，园内的茶室也会延长营业时间。"
    static let forest = "据了解，西山林场今年共栽种树苗十二万株，成活率超过九成，林场还新修了防火通道。"

    @Test func reporterListOverSeveralLinesStaysInTheDateline() {
        // `本报南城３月２日讯新华社` / `记者林小河、本报记者王明远报` / `道：…`: lines that open with a role
        // continue the dateline above them.
        let text = "本报南城３月２日讯新华社记者林小河、本报记者王明远报道：" + Self.park
        let lines = ["城东公园迎来游客高峰"] + visualLines(text, width: 14, indent: 0) + visualLines(Self.night, width: 14)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.count == 1)
        let a = p.articles[0]
        #expect(a.dateline.agency == "本报")
        #expect(a.dateline.reporters == ["林小河", "王明远"])
        #expect(a.bylines.isEmpty)
        #expect(a.body.count == 2)
    }

    @Test func datelineCutBeforeItsWireMarkOpensTheText() {
        // The title is followed by a dateline broken before 电: it is no second title line.
        let lines = ["西山植树", "新华社南城３月２日", "电（记者林小河）西山林场近日完成春季造林任务，全场职工"]
            + visualLines("和附近村民一起上山，共栽种树苗十二万株。", width: 26, indent: 0)
            + ["城东公园迎来游客高峰"] + visualLines(Self.park, width: 26) + visualLines(Self.night, width: 26)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["西山植树", "城东公园迎来游客高峰"])
        #expect(p.articles[0].dateline.agency == "新华社")
        #expect(p.articles[0].dateline.reporters == ["林小河"])
    }

    @Test func nameAfterTheLastFullLineSignsTheStoryOff() {
        // The last line of the story is full and ends a sentence; the author's name follows.
        let last = "园方提醒，游园时请爱护花木，不要随意攀折，共同维护好公园环境。"  // two full lines of 16
        let first = visualLines(Self.park, width: 16) + visualLines(last, width: 16, indent: 0)
        let p = parse(page(run(["也谈游园"] + first + ["林小河"]),
                           run(["西山植树"] + visualLines(Self.forest, width: 16) + visualLines(Self.night, width: 16))))
        #expect(p.articles.map(\.headline) == ["也谈游园", "西山植树"])
        #expect(p.articles[0].bylines.map(\.name) == ["林小河"])
        #expect(p.articles[0].body.last?.text == last)
        #expect(p.articles[1].body.allSatisfy { $0.kind == .paragraph })
    }

    @Test func placeLabelsThatReadLikeNamesAreNoBylines() {
        // 江城 / 林县 start with surnames, so each alone reads like a name; two over a caption are a series.
        let p = parse(page("春耕时节", "江城", "林县", "各地农民抓住晴好天气翻耕土地，准备春播。（本报记者林小河摄）",
                           run(["城东公园迎来游客高峰"] + visualLines(Self.park, width: 14) + visualLines(Self.night, width: 14))))
        #expect(p.articles.map(\.headline) == ["春耕时节", "城东公园迎来游客高峰"])
        #expect(p.articles[0].bylines.isEmpty)
        #expect(p.articles[0].captions.count == 1)
    }

    @Test func aTitleAfterAPictureItemOpensTheNextStory() {
        // Raw form: picture item (title + caption), then a story whose text has subheading-like
        // titles further down; the story's title is not a subheading of the picture item.
        let lines = ["春耕时节", "各地农民抓住晴好天气翻耕土地，准备春播。（本报记者林小河摄）", "西山植树"]
            + visualLines(Self.forest, width: 14) + ["林场新貌"] + visualLines(Self.night, width: 14)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.first?.headline == "春耕时节")
        #expect(p.articles.first?.body.isEmpty == true)
        #expect(p.articles.dropFirst().first?.headline == "西山植树")
    }

    @Test func rubricBarReadInsideAParagraphDoesNotEndTheStory() {
        let cut = "走进城东公园，首先映入眼帘的是一片盛开的樱花林，游客们纷纷驻足拍照，"
        let rest = "孩子们在草地上放起了风筝。"
        let p = parse(page(run(["樱花时节游城东"] + visualLines(Self.park, width: 14) + visualLines(cut, width: 14)),
                           "■ 城乡速递", run([rest] + visualLines(Self.night, width: 14)),
                           run(["西山植树"] + visualLines(Self.forest, width: 14))))
        #expect(p.articles.first?.headline == "樱花时节游城东")
        #expect(p.articles.first?.body.map(\.text).contains(cut + rest) == true)
        #expect(p.articles.contains { $0.headline == "西山植树" })
    }

    @Test func shortLinesUnderATitleInRawFormAreLabelsNotItsRest() {
        // Raw form, no blank lines: a picture title, two place labels, the caption, then a story.
        let caption = "各地农民抓住晴好天气翻耕土地，准备春播。（本报记者林小河摄）"
        let lines = ["春耕时节", "江城", "南乡"] + visualLines(caption, width: 14, indent: 0)
            + ["西山植树"] + visualLines(Self.forest, width: 14)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["春耕时节", "西山植树"])
        #expect(p.articles[0].bylines.isEmpty)
        #expect(p.articles[0].captions.count == 1)
    }

    @Test func spacedAuthorUnderABookTitleIsNotPartOfIt() {
        let lines = ["《城东园林志》简介", "林小河　王明远"] + visualLines(Self.park, width: 12) + visualLines(Self.night, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.first?.headline == "《城东园林志》简介")
        #expect(p.articles.first?.bylines.map(\.name) == ["林小河", "王明远"])
    }

    @Test func bracketedSignatureLineIsNotJoinedToTheNextTitle() {
        let lines = ["城东公园迎来游客高峰"] + visualLines(Self.park, width: 14) + ["（林 河　王 明）", "致读者"]
            + visualLines(Self.forest, width: 14)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline).contains("致读者"))
        #expect(!p.articles.contains { $0.headline.contains("林") })
    }

    @Test func shortParagraphsInRawFormStillSplitAtTheirFirstLines() {
        // Raw form: each paragraph's first line is short by the lost indent, and with short
        // paragraphs first lines are the commonest width; a full last line ending a sentence
        // is still followed by a new paragraph.
        let filler = Array(String(repeating: "城东公园今年春季迎来游客高峰园方增设步行线路并在入口处设置导览牌西山林场栽种树苗成活率超过九成", count: 2))
        func paragraph(_ n: Int, from k: Int) -> String { String(filler[k..<(k + n - 1)]) + "。" }
        let paragraphs = [paragraph(54, from: 0), paragraph(26, from: 3), paragraph(26, from: 6),
                          paragraph(26, from: 9), paragraph(54, from: 7)]
        let p = parse(page("城东公园迎来游客高峰", run(paragraphs.flatMap { visualLines($0, width: 14) })))
        #expect(p.articles.first?.body.map(\.text) == paragraphs)
    }

    @Test func aSentenceClosedByABracketEndsTheParagraph() {
        // The signed paragraph fills its last line; the next one starts full width (indent lost).
        let signed = "园方提醒游客爱护花木，不要随意攀折花枝条。（林小河）"  // 26 glyphs: lines of 12 and 14
        let lines = visualLines(Self.park, width: 14) + visualLines(signed, width: 14)
            + visualLines(Self.night, width: 14, indent: 0) + visualLines(Self.forest, width: 14)
        let p = parse(page("城东公园迎来游客高峰", run(lines)))
        #expect(p.articles.first?.body.map(\.text) == [Self.park, signed, Self.night, Self.forest])
    }
}
