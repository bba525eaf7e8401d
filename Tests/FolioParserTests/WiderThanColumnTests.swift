import FolioModel
@testable import FolioParser
import Testing

/// A line wider than the column of the text above it is set in another measure (a caption
/// across the columns, a headline spanning its module): it does not continue that text.
@Suite struct WiderThanColumnTests {
    static let park = "城东公园今年春季迎来游客高峰，园方增设了三条步行线路，并在公园的各个入口处都设置了新导览牌。"
    static let parkEnd = "园方提醒，游园时请爱护花木，不要随意攀折。"
    static let caption = "三月二日，城东公园的园林工人在新修的步道旁栽种樱花树苗。（林小河摄）"
    static let tea = "南岭茶园今年春茶开采比往年提前了一周，茶农们趁着晴好天气抢摘新芽。"

    @Test func aWideCaptionAfterAFullLineEndingASentenceIsNotTheParagraphsRest() {
        let body = visualLines(Self.park, width: 12)
        #expect(body.last?.count == 12)  // the paragraph ends on a full line
        let lines = ["城东公园游客增多"] + visualLines(Self.parkEnd, width: 12) + body
            + visualLines(Self.caption, width: 24, indent: 0)
            + ["南岭春茶开采"] + visualLines(Self.tea, width: 12)
        let p = parse(run(lines) + "\n")
        let park = p.articles.first { $0.headline == "城东公园游客增多" }
        #expect(park?.body.map(\.text).contains(Self.park) == true)
        let captions = p.articles.flatMap(\.captions).map(\.text) + p.captions.map(\.text)
        #expect(captions.contains { $0.hasPrefix("三月二日，城东公园") })
        #expect(p.articles.map(\.headline).contains("南岭春茶开采"))
    }

    @Test func aBareTitleWiderThanTheColumnOverAnIndentedLineIsAHeadline() {
        let title = "北湖新区举行环湖长跑比赛活动"
        #expect(title.count == 14)
        let lines = ["南岭春茶开采"] + visualLines(Self.tea, width: 12) + ["（下转第四版）", title]
            + visualLines(Self.parkEnd, width: 12) + visualLines(Self.park, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["南岭春茶开采", title])
        #expect(p.articles.last?.body.first?.text == Self.parkEnd)
    }

    /// An editor's note of the pictures at a title's end (`（附图片２张）`) does not make it prose.
    @Test func aTitleEndingWithANoteOfItsPicturesIsStillATitle() {
        let title = "北湖新区举行环湖长跑比赛（附图片２张）"
        let lines = ["南岭春茶开采"] + visualLines(Self.tea, width: 12) + ["（下转第四版）", title]
            + visualLines(Self.parkEnd, width: 12) + visualLines(Self.park, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["南岭春茶开采", title])
        #expect(String(String.UnicodeScalarView(PageFurniture.withoutPictureNote(Array("春节（附图）".unicodeScalars)))) == "春节")
        #expect(String(String.UnicodeScalarView(PageFurniture.withoutPictureNote(Array("会谈（续）".unicodeScalars)))) == "会谈（续）")
    }

    @Test func onlyClearlyWiderLinesAndBareTitlesAreCut() {
        #expect(Reflow.widerAfterSentence(nextWidth: 24, column: 12))
        #expect(!Reflow.widerAfterSentence(nextWidth: 13, column: 12))
        let title = Array("北湖新区举行环湖长跑比赛活动".unicodeScalars)
        #expect(Reflow.titleWiderThanColumn(title, width: 14, next: 10, column: 12))
        #expect(!Reflow.titleWiderThanColumn(title, width: 14, next: 12, column: 12))  // a full line: prose goes on
        #expect(!Reflow.titleWiderThanColumn(Array("北湖新区举行环湖长跑，比赛".unicodeScalars), width: 14, next: 10, column: 12))
    }

    @Test func aFullStopAfterADigitAtTheLineEndIsADecimalPoint() {
        #expect(!Reflow.endsParagraph(Array("由去年年初时的大约１２．".unicodeScalars)))
        #expect(Reflow.endsParagraph(Array("覆盖了全区所有小区。".unicodeScalars)))
        #expect(Reflow.endsParagraph(Array("新区的住户增加了两万．".unicodeScalars)))
    }
}
