import XCTest
import FolioModel
@testable import FolioParser

/// Pages in the laid-out form (`%folio-laid-out 1`, what the PDF reader writes): roles are filed as
/// given; the masthead block is page metadata, never an article.
final class LaidOutTests: XCTestCase {
    private let parser = PageParser(entityRecognizer: nil)

    private func page(_ rows: [String]) -> String {
        ([LaidOutText.marker] + rows).joined(separator: "\n") + "\n"
    }

    func testMastheadBlockFillsPageInfo() {
        let parsed = parser.parse(text: page([
            "masthead\t晨光日报　1999年3月8日　星期一　第5版　综合",
            "headline\t小镇新修了一座桥",
            "paragraph\t小镇上的人们今天走上了新桥，大家都很高兴。",
        ]))
        XCTAssertEqual(parsed.info.publication, "晨光日报")
        XCTAssertEqual(parsed.info.date, "1999-03-08")
        XCTAssertEqual(parsed.info.pageLabel, "5")
        XCTAssertEqual(parsed.info.section, "综合")  // was dropped: kept nowhere on the page
        XCTAssertEqual(parsed.articles.map(\.headline), ["小镇新修了一座桥"])
        XCTAssertEqual(parsed.articles.first?.body.map(\.text), ["小镇上的人们今天走上了新桥，大家都很高兴。"])
    }

    /// Ingest metadata (the PDF's own page label, a date given) wins; the masthead fills the rest.
    func testGivenInfoWinsOverTheMasthead() {
        var info = Folio_V1_PageInfo()
        info.pageLabel = "B2"
        let parsed = parser.parse(text: page([
            "masthead\t第七版　２００１年１０月２日　星期二　山城晚报",
            "headline\t老街换新颜",
        ]), info: info)
        XCTAssertEqual(parsed.info.pageLabel, "B2")
        XCTAssertEqual(parsed.info.date, "2001-10-02")
        XCTAssertEqual(parsed.info.publication, "山城晚报")
    }

    /// Text set inside a picture (a `label` block: a place label, a chart's words) is no story's
    /// text, but it is never dropped unseen: the page carries a note that holds it.
    func testPictureLabelIsKeptInANoteOnThePage() {
        let parsed = parser.parse(text: page([
            "headline\t小镇新修了一座桥",
            "paragraph\t小镇上的人们今天走上了新桥，大家都很高兴。",
            "label\t图中标签文字",
        ]))
        XCTAssertEqual(parsed.articles.first?.body.map(\.text), ["小镇上的人们今天走上了新桥，大家都很高兴。"])
        XCTAssertTrue(parsed.diagnostics.contains { $0.code == "picture-label" && $0.message.contains("图中标签文字") },
                      "\(parsed.diagnostics)")
    }

    /// A trailing byline of two spaced two-character names gives two people, one of them one.
    func testSpacedTwoCharacterNamesInATrailingByline() {
        let parsed = parser.parse(text: page([
            "headline\t河边新建了公园",
            "paragraph\t公园今天开放，附近的居民都来散步。",
            "byline\t（林　涛　吴　越）",
            "headline\t山村通了公路",
            "paragraph\t村里的农产品可以运出去了。",
            "byline\t（张　明）",
        ]))
        XCTAssertEqual(parsed.articles.map { $0.bylines.map(\.name) }, [["林涛", "吴越"], ["张明"]])
    }

    /// A block marked as a byline that holds no name is text, and a jump line is kept in the
    /// story's note: the laid-out form loses nothing of the page.
    func testBylineWithoutANameIsTextAndAJumpLineIsKept() {
        let parsed = parser.parse(text: page([
            "headline\t河边新建了公园",
            "paragraph\t公园今天开放，附近的居民",
            "byline\t都来散步，孩子们在草地上玩耍。",
            "jump\t（下转第二版）",
        ]))
        let a = parsed.articles.first
        XCTAssertEqual(a?.bylines.count, 0)
        XCTAssertTrue(a?.body.map(\.text).joined().contains("都来散步，孩子们在草地上玩耍。") == true, "\(a?.body.map(\.text) ?? [])")
        XCTAssertTrue(a?.diagnostics.contains { $0.code == "jump-line" && $0.message.contains("下转第二版") } == true)
        XCTAssertTrue(LaidOutBuilder.readsAsProse(Array("户人家就有７户参加了投资计划，".unicodeScalars)))
        XCTAssertFalse(LaidOutBuilder.readsAsProse(Array("（新华社记者张三、李四）".unicodeScalars)))
        XCTAssertFalse(LaidOutBuilder.readsAsProse(Array("本报记者　王小明".unicodeScalars)))
    }

    /// A reporter's line the layout set as a subheading or a paragraph between a headline and its
    /// text is the byline; inside the text it stays what the layout says.
    func testReporterLineUnderAHeadlineIsItsByline() {
        let parsed = parser.parse(text: page([
            "headline\t河边新建了公园",
            "subheading\t本报记者　王晓明",
            "paragraph\t公园今天开放，附近的居民都来散步。",
            "subheading\t本报记者　李　刚",
            "paragraph\t孩子们在草地上玩耍。",
        ]))
        let a = parsed.articles.first
        XCTAssertEqual(a?.bylines.map(\.name), ["王晓明"])
        XCTAssertEqual(a?.body.map(\.kind), [.paragraph, .subheading, .paragraph])
    }

    /// Two two-glyph names each spaced inside, the space between them no wider (as a PDF gives
    /// `本报记者　赵　军　孙　红`): two people, under the headline or as plain text alike.
    func testTwoSpacedTwoGlyphNamesAreTwoPeople() {
        let laidOut = parser.parse(text: page([
            "headline\t老街换新颜",
            "subheading\t本报记者　赵　军　孙　红",
            "paragraph\t老街两旁的房屋今年都修缮一新。",
        ]))
        XCTAssertEqual(laidOut.articles.first?.bylines.map(\.name), ["赵军", "孙红"])
        XCTAssertEqual(laidOut.articles.first?.bylines.map(\.role), ["本报记者", "本报记者"])
        let plain = parser.parse(text: "老街换新颜\n\n本报记者 赵 军  孙 红\n\n老街两旁的房屋今年都修缮一新。\n")
        XCTAssertEqual(plain.articles.first?.bylines.map(\.name), ["赵军", "孙红"])
        // Four spaced glyphs that do not start two names stay one name.
        let one = parser.parse(text: page(["headline\t老街换新颜", "subheading\t本报记者　欧　阳　春　晓",
                                           "paragraph\t老街两旁的房屋今年都修缮一新。"]))
        XCTAssertEqual(one.articles.first?.bylines.map(\.name), ["欧阳春晓"])
    }

    /// Bare names between a headline and its text, set as a subheading (heavy at body size) or a
    /// paragraph, are the story's authors; a subheading inside the text stays one.
    func testBareNamesUnderAHeadlineAreItsByline() {
        let parsed = parser.parse(text: page([
            "headline\t河边新建了公园",
            "subheading\t周建华　吴　越",
            "paragraph\t公园今天开放，附近的居民都来散步。",
            "subheading\t游人如织",
            "paragraph\t孩子们在草地上玩耍。",
            "headline\t山村通了公路",
            "paragraph\t钱　红　孙　立",
            "paragraph\t村里的农产品可以运出去了。",
        ]))
        XCTAssertEqual(parsed.articles.map { $0.bylines.map(\.name) }, [["周建华", "吴越"], ["钱红", "孙立"]])
        XCTAssertEqual(parsed.articles.first?.body.map(\.kind), [.paragraph, .subheading, .paragraph])
        XCTAssertEqual(parsed.articles.last?.body.map(\.text), ["村里的农产品可以运出去了。"])
    }

    /// Two glyphs one space apart under a headline are a pen name (its first glyph no surname);
    /// unspaced, or inside the text, such a line is no byline.
    func testSpacedPenNameUnderAHeadlineIsItsByline() {
        let parsed = parser.parse(text: page([
            "headline\t春天的小路",
            "subheading\t禾　子",
            "paragraph\t小路两边开满了野花。",
            "subheading\t禾　苗",
            "paragraph\t田里的禾苗长高了。",
            "headline\t江上的渡船",
            "paragraph\t禾子",
            "paragraph\t渡船每天往返十次。",
        ]))
        XCTAssertEqual(parsed.articles.map { $0.bylines.map(\.name) }, [["禾子"], []])
        XCTAssertEqual(parsed.articles.first?.body.map(\.kind), [.paragraph, .subheading, .paragraph])
        XCTAssertEqual(parsed.articles.last?.body.first?.text, "禾子")
    }

    /// Two to four glyphs set as a subheading before any text of a story are its author's pen
    /// name (a subheading parts a story's text); after text, or longer, they stay a subheading.
    func testShortSubheadingBeforeAnyTextIsAPenName() {
        let parsed = parser.parse(text: page([
            "headline\t看海",
            "subheading\t青石",
            "paragraph\t海边的早晨很安静。",
            "subheading\t潮水",
            "paragraph\t潮水慢慢退去。",
            "headline\t登山",
            "subheading\t山路弯弯向上走",
            "paragraph\t山顶的风很大。",
        ]))
        XCTAssertEqual(parsed.articles.map { $0.bylines.map(\.name) }, [["青石"], []])
        XCTAssertEqual(parsed.articles.first?.body.map(\.text), ["海边的早晨很安静。", "潮水", "潮水慢慢退去。"])
        XCTAssertEqual(parsed.articles.last?.body.first?.kind, .subheading)
    }

    /// Display lines read as headlines: one opening with a dash under a headline (its author's line
    /// between) is its deck; one ending with a dash over another headline is that one's kicker.
    func testDashedDisplayLinesAreDeckAndKicker() {
        let parsed = parser.parse(text: page([
            "headline\t远山的灯火",
            "subheading\t李　明",
            "headline\t——记一位乡村教师",
            "paragraph\t他在山里教书二十年。",
            "headline\t春耕时节——",
            "headline\t田野里一片忙碌",
            "paragraph\t农民们忙着播种。",
        ]))
        XCTAssertEqual(parsed.articles.map(\.headline), ["远山的灯火", "田野里一片忙碌"])
        XCTAssertEqual(parsed.articles.map(\.subtitle), ["记一位乡村教师", ""])
        XCTAssertEqual(parsed.articles.map(\.kicker), ["", "春耕时节"])
        XCTAssertEqual(parsed.articles.first?.bylines.map(\.name), ["李明"])
    }

    /// The layout reader's note on the page (it read the page turned upright) is a page warning
    /// with its code; the page is read as usual around it.
    func testNoteIsAPageWarning() {
        let parsed = parser.parse(text: page([
            "note\tpdf-text-turned the page's text runs top to bottom: read turned upright",
            "headline\t河边新建了公园",
            "paragraph\t公园今天开放，附近的居民都来散步。",
        ]))
        XCTAssertEqual(parsed.articles.map(\.headline), ["河边新建了公园"])
        let note = parsed.diagnostics.first { $0.code == "pdf-text-turned" }
        XCTAssertEqual(note?.severity, .warning)
        XCTAssertEqual(note?.message, "the page's text runs top to bottom: read turned upright")
    }

    /// A header that names the page and section before the paper (`第八版　理论　人民日报　…`): the
    /// paper's name does not reach over the space into the section.
    func testHeaderWithPageAndSectionBeforeThePaper() {
        let parsed = parser.parse(text: page([
            "masthead\t第八版　理论　人民日报　1998年1月2日　星期五",
            "headline\t小镇新修了一座桥",
            "paragraph\t小镇上的人们今天走上了新桥，大家都很高兴。",
        ]))
        XCTAssertEqual(parsed.info.publication, "人民日报")
        XCTAssertEqual(parsed.info.pageLabel, "8")
        XCTAssertEqual(parsed.info.section, "理论")
        XCTAssertEqual(parsed.info.date, "1998-01-02")
        XCTAssertEqual(Masthead.pageLabel(inHeader: "第 A02 版　综合新闻　锦州日报"), "A02")
        XCTAssertEqual(Masthead.pageLabel(inHeader: "锦州日报　综合新闻"), "")
    }

    /// A day the calendar does not have (a typo) is no date: the page stays undated, as a `--date`
    /// of that day is refused, rather than dated on a day that list and search read apart.
    func testMastheadWithAnImpossibleDateLeavesTheDateEmpty() {
        let parsed = parser.parse(text: page([
            "masthead\t晨光日报　1999年2月30日　星期一　第5版",
            "headline\t小镇新修了一座桥",
        ]))
        XCTAssertEqual(parsed.info.publication, "晨光日报")
        XCTAssertEqual(parsed.info.date, "")
        XCTAssertEqual(parsed.info.pageLabel, "5")
    }

    /// A masthead block with no header fields in it leaves the page info as it was.
    func testMastheadWithoutFieldsIsIgnored() {
        let parsed = parser.parse(text: page(["masthead\t本期导读", "headline\t春天来了"]))
        XCTAssertEqual(parsed.info.publication, "")
        XCTAssertEqual(parsed.info.date, "")
        XCTAssertEqual(parsed.articles.map(\.headline), ["春天来了"])
    }
}
