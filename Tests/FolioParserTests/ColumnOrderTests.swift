import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order: a module's columns are read down the page before the column
/// beside them, so a story's text may come out after the next story's text has begun.
@Suite struct ColumnOrderTests {
    static let forest = "西山林场今年共栽种树苗十二万株，成活率超过九成。"
    /// The tail of a paragraph cut at a column break: full lines, no paragraph start.
    static let tail = ["民纳凉，园内的茶室也会延长营业时间，还", "将在周末举办游园活动。"]

    @Test func aSecondDatelineOpensTheTextOfAHeadlineReadEarlier() {
        let p = parse(page("西山林场完成春季造林", run(Self.tail),
                           run(["城东公园迎来游客高峰"] + visualLines("本报南城３月２日电　" + ParkStory.park, width: 18)
                               + visualLines(ParkStory.night, width: 18)),
                           run(visualLines("新华社北京３月２日电（记者林小河）" + Self.forest, width: 18)
                               + visualLines(ParkStory.water, width: 18))))
        #expect(p.articles.map(\.headline) == ["西山林场完成春季造林", "城东公园迎来游客高峰"])
        #expect(p.articles[0].dateline.agency == "新华社")
        #expect(p.articles[0].dateline.reporters == ["林小河"])
        #expect(p.articles[0].body.map(\.text).contains(ParkStory.water))
        #expect(p.articles[1].dateline.agency == "本报")
        #expect(p.articles[1].body.map(\.text) == [ParkStory.park, ParkStory.night])
    }

    @Test func aSecondDatelineStaysWithNoHeadlineWaiting() {
        // A combined report: two wire datelines under one headline, no other headline before.
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines("本报南城３月２日电　" + ParkStory.park, width: 18)
                                + visualLines(ParkStory.night, width: 18)),
                           run(visualLines("新华社北京３月２日电（记者林小河）" + Self.forest, width: 18)
                               + visualLines(ParkStory.water, width: 18))))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].dateline.agency == "本报")
        #expect(p.articles[0].body.count == 4)
    }

    @Test func aRestReadUnderAnotherHeadlineGoesBackToItsCut() {
        // The first story's column ends mid-sentence; the extractor reads the next story's headline
        // (set across the columns) with the cut paragraph's rest under it, and that story's own
        // dateline only later, inside a third story.
        let lines = visualLines(ParkStory.platform, width: 18)
        let bridge = "南湖大桥今天正式通车，大桥全长一千二百米，双向四车道，将大大缓解城南交通压力。"
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines("本报南城３月２日电　" + ParkStory.park, width: 18) + lines.prefix(2)),
                           run(["西山林场完成春季造林"] + lines.dropFirst(2)),
                           run(["南湖大桥建成通车"] + visualLines("本报南城３月２日电　" + bridge, width: 18)),
                           run(visualLines("新华社北京３月２日电（记者林小河）" + Self.forest, width: 18))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成春季造林", "南湖大桥建成通车"])
        #expect(p.articles[0].body.map(\.text) == [ParkStory.park, ParkStory.platform])
        #expect(p.articles[1].dateline.agency == "新华社")
        #expect(p.articles[1].body.map(\.text) == [Self.forest])
        #expect(p.articles[2].body.map(\.text) == [bridge])
    }

    @Test func aShortRunOfFirstLinesStillShowsTheColumnWidth() {
        // A run of five lines: both paragraphs' first lines are short by the lost indent, and the
        // only full line running on is seen once. A full line ending a sentence, then a line short
        // by an indent: a new paragraph.
        let lines = ["城东公园园方游客留言超过６５万封", "本报讯中国城东公园园方去年收到１６１个城市",
                     "和地区游客留言超过６５万封，创造了历史最高值。", "１９９７年，中国城东公园园方用短信、网站和",
                     "电话等方式对分别对邓小平同志逝世、“两会”、香"]
        let p = parse(page(run(lines), run(["港回归祖国、中共十五大、长江三峡截流等重大事件", "进行了１９场次现场直播，是历年来进行现场直播次",
                                            "数最多的一年。国外听众称中国城东公园园方是获取"])))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].body.map(\.text).first == "中国城东公园园方去年收到１６１个城市和地区游客留言超过６５万封，创造了历史最高值。")
        #expect(p.articles[0].body.count == 2)
    }

    @Test func aBlockOpeningWithAnIndentedLineContinuesNoCutParagraph() {
        // The first column ends mid-sentence; its rest is set elsewhere. The block read next opens
        // with a line short by the lost indent: a paragraph of its own, not the cut one's rest.
        let cut = visualLines(ParkStory.park, width: 18) + ["此外，园方还计划在湖边新建一座观景平台，供"]
        let p = parse(page(run(["城东公园迎来游客高峰"] + cut), run(visualLines(ParkStory.night, width: 18))))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].body.map(\.text).last == ParkStory.night)
        #expect(p.articles[0].body.count == 3)
    }

    @Test func aBlockOpeningWithAFullLineContinuesTheCutParagraph() {
        let cut = visualLines(ParkStory.park, width: 18) + ["此外，园方还计划在湖边新建一座观景平台，供"]
        let p = parse(page(run(["城东公园迎来游客高峰"] + cut), run(Self.tail)))
        #expect(p.articles[0].body.count == 2)
        #expect(p.articles[0].body.last?.text == "此外，园方还计划在湖边新建一座观景平台，供" + Self.tail.joined())
    }

    @Test func aCutParagraphTakesBackItsRestReadUnderAnotherStory() {
        // The first story's column ends mid-sentence; the extractor reads the second story's
        // headline and text next, then the first column's rest (a block opening with a full line).
        let lines = visualLines(ParkStory.platform, width: 18)
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18) + lines.prefix(2)),
                           "西山林场完成春季造林",
                           run(visualLines("新华社北京３月２日电　" + Self.forest, width: 18)),
                           run(Array(lines.dropFirst(2)))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成春季造林"])
        #expect(p.articles[0].body.map(\.text) == [ParkStory.park, ParkStory.platform])
        #expect(p.articles[1].body.map(\.text) == [Self.forest])
    }

    @Test func aFirstLineShortenedBeforeItsSpeakerGoesOnAsProse() {
        // `…发言人` / `说，“…`: the line breaker moved `说，“` down, so the paragraph's first line is
        // short and bare like a title; the next line going on with a comma makes it prose.
        let speech = ["公园管理处负责人", "说，“今年我们将再增加两条夜游线路，方", "便市民在夏季夜晚游园。”"]
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18) + speech),
                           run(visualLines(ParkStory.night, width: 18))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰"])
        #expect(p.articles[0].body.map(\.text) == [ParkStory.park, speech.joined(), ParkStory.night])
    }

    @Test func aClauseGoingOnDoesNotJoinATitleOrANumberedClause() {
        // A title opening a block over another column's rest (`模，使…`) stays a title; a numbered
        // clause (`一、…`) under a short line is no clause going on.
        let rest = ["模，园方还将在平台旁种植一片樱花林，供市", "民春季赏花。"]
        let items = ["园区规划", "一、新建湖边观景平台一座，供游人赏景，平", "台预计五月底前建成。"]
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18) + items),
                           run(["西山林场完成春季造林"] + rest)))
        let texts = p.articles.flatMap { [$0.headline] + $0.body.map(\.text) }
        #expect(texts.contains("西山林场完成春季造林"))
        #expect(texts.contains("园区规划"))
        #expect(!texts.contains { $0.hasPrefix("园区规划一、") || $0.hasPrefix("西山林场完成春季造林模") })
    }

    /// A paragraph set over three columns: `此外…平` / `台，…建` cut at the first column's foot.
    static let platformCut = ["此外，园方还计划在湖边新建一座观景平", "台，供游人赏景，平台预计五月底以前建"]

    @Test func aRestCutAgainTakesItsOwnRestReadLater() {
        // The middle column goes back to the cut; it is cut at its own foot, and the third column,
        // read after more of the other story, goes on after it.
        let middle = ["成后将免费对市民开放，园方还打算在平", "台旁边种植一片樱花林，吸引更多的市民"]
        let last = ["前来游玩，园方还将在平台边设置一些长", "椅。"]
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18) + Self.platformCut),
                           "西山林场完成春季造林",
                           run(visualLines("新华社北京３月２日电　" + Self.forest, width: 18)),
                           run(middle),
                           run(visualLines(ParkStory.water, width: 18)),
                           run(last)))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成春季造林"])
        #expect(p.articles[0].body.map(\.text) == [ParkStory.park, (Self.platformCut + middle + last).joined()])
        #expect(p.articles[1].body.map(\.text) == [Self.forest, ParkStory.water])
    }

    @Test func aParagraphOpeningWithAWordsLastGlyphUnderAHeadlineIsACutsRest() {
        // The extractor read the next story's headline, then the cut paragraph's rest in the same
        // block: `成，…` opens no sentence (one glyph, then a comma).
        let rest = ["成，届时将免费对市民开放，园方还将在", "平台旁种植一片樱花林。"]
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18) + Self.platformCut),
                           run(["西山林场完成春季造林"] + rest),
                           run(visualLines(Self.forest, width: 18))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成春季造林"])
        #expect(p.articles[0].body.map(\.text) == [ParkStory.park, (Self.platformCut + rest).joined()])
        #expect(p.articles[1].body.map(\.text) == [Self.forest])
    }

    @Test func aParagraphOpeningWithTwoGlyphsAndACommaIsNoRest() {
        // `日前，…` opens a sentence: the story's own first paragraph stays with it.
        let own = ["日前，林场新栽的树苗已全部成活，林场", "还将补种一批。"]
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18) + Self.platformCut),
                           run(["西山林场完成春季造林"] + own)))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成春季造林"])
        #expect(p.articles[1].body.map(\.text) == [own.joined()])
    }

    @Test func aBlockShortOfItsColumnThatCannotOpenASentenceContinuesTheCut() {
        // The next block opens two glyphs short of the column, like an indented first line, but
        // with a word's last glyph and a full stop (`成。…`): the cut paragraph's rest.
        let rest = ["成。届时将免费对市民开放，园方还", "将在平台旁种植一片樱花林，吸引更多的", "市民前来游玩。"]
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18) + Self.platformCut), run(rest)))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].body.map(\.text) == [ParkStory.park, (Self.platformCut + rest).joined()])
    }

    @Test func aRestReadBeforeItsCutGoesBackToIt() {
        // The extractor read a column before the one left of it: the rest (`成后…`) comes out under
        // the first story, the paragraph it ends (`…以前建`) later, at the foot of the second.
        let rest = ["成后将免费对市民开放，园方还打算在平", "台旁边种植一片樱花林。"]
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18)),
                           run(rest),
                           "西山林场完成春季造林",
                           run(visualLines("新华社北京３月２日电　" + Self.forest, width: 18) + Self.platformCut)))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成春季造林"])
        #expect(p.articles[0].body.map(\.text) == [ParkStory.park])
        #expect(p.articles[1].body.map(\.text).last == (Self.platformCut + rest).joined())
    }

    @Test func aRestReadBeforeACutThatDoesNotReadOnFromItStays() {
        // Same order, but the later cut's last glyph and the rest's first read as no word (`…以前建`
        // + `今年…`): nothing vouches for the pair, the paragraph stays where it was read.
        let other = ["今年园方将在湖边设立水质监测点，定期", "公布监测结果。"]
        let p = parse(page(run(["城东公园迎来游客高峰"] + visualLines(ParkStory.park, width: 18)),
                           run(other),
                           "西山林场完成春季造林",
                           run(visualLines("新华社北京３月２日电　" + Self.forest, width: 18) + Self.platformCut)))
        #expect(p.articles[0].body.map(\.text) == [ParkStory.park, other.joined()])
        #expect(p.articles[1].body.map(\.text).last == Self.platformCut.joined())
    }
}
