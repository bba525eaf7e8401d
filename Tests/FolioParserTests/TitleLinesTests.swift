import FolioModel
@testable import FolioParser
import Testing

/// Headlines set in two or three bare lines over a dateline or over an author line, and lines
/// that stop after a comma, on extracted pages.
@Suite struct TitleLinesTests {
    static let harbour = "今年春天，北湖港新建的三座码头陆续投入使用，港区吞吐能力比去年提高了三成。"
    static let tea = "南岭茶园今年春茶开采比往年提前了一周，茶农们趁着晴好天气抢摘新芽。"

    @Test func threeLineHeadlineOverABareDatelineIsOneHeadline() {
        // The dateline line has no punctuation either: it is the text, not a fourth title line.
        let lines = ["北湖港三座码头同日", "启用港区吞吐", "能力提高三成", "本报北湖４月２日电"]
            + visualLines(Self.harbour, width: 12, indent: 0)
        let p = parse(page(run(["南岭茶园开采春茶"] + visualLines(Self.tea, width: 12)), run(lines)))
        #expect(p.articles.map(\.headline).contains("北湖港三座码头同日启用港区吞吐能力提高三成"))
        #expect(p.articles.allSatisfy { $0.subtitle.isEmpty })
    }

    @Test func twoLineHeadlineOverAnAuthorLineIsOneHeadline() {
        let lines = ["北湖港新建的三座", "码头投入使用", "林 河"] + visualLines(Self.harbour, width: 14)
        let p = parse(run(["南岭茶园开采春茶"] + visualLines(Self.tea, width: 14) + lines) + "\n")
        #expect(p.articles.map(\.headline) == ["南岭茶园开采春茶", "北湖港新建的三座码头投入使用"])
        #expect(p.articles.last?.bylines.map(\.name) == ["林河"])
        #expect(p.articles.last?.body.map(\.text) == [Self.harbour])
    }

    @Test func lineEndingInACommaRunsOn() {
        #expect(Reflow.endsWithClauseMark(Array("王明、林河、".unicodeScalars)))
        #expect(!Reflow.endsWithClauseMark(Array("同志们：".unicodeScalars)))
        // Names listed over two lines after a caption: the sentence goes on, it is no author line.
        let caption = "北湖港新建的三座码头。（新华社记者林小河摄）"
        let lines = ["北湖新建三座码头"] + visualLines(Self.harbour, width: 14) + visualLines(caption, width: 18, indent: 0)
            + ["王明、林河、赵平、", "刘大海等同志参加了仪式。"]
        let p = parse(run(lines) + "\n")
        #expect(p.articles.flatMap(\.bylines).isEmpty)
        #expect(p.articles.flatMap { $0.body.map(\.text) }.contains("王明、林河、赵平、刘大海等同志参加了仪式。"))
    }

    @Test func rowOfOrnamentsIsNoTitle() {
        #expect(!LineRoles.isTitleLike(Array("＊＊＊".unicodeScalars)))
        #expect(LineRoles.isTitleLike(Array("南岭春茶开采".unicodeScalars)))
        // The row parts the story: both halves stay in it.
        let p = parse(page("北湖新建三座码头", Self.harbour, "＊＊＊", Self.tea))
        #expect(p.articles.count == 1)
        #expect(p.articles.first?.body.map(\.text) == [Self.harbour, "＊＊＊", Self.tea])
    }

    @Test func shortTitleWithAColonAfterAFinishedLineStandsAlone() {
        #expect(Reflow.unfinishedShortLine(Array("码头：说新也新".unicodeScalars)))
        #expect(!Reflow.unfinishedShortLine(Array("港务局表示：".unicodeScalars)))
        #expect(!Reflow.unfinishedShortLine(Array("码头：说新，也新".unicodeScalars)))
        // The last line of a story is full and ends a sentence; the next headline has a colon.
        let end = visualLines("港务局表示，下半年还将开通两条新的客运航线，方便沿湖一带的群众出行。", width: 12)
        #expect(end.last?.count == 12)
        let lines = ["北湖新建三座码头"] + visualLines(Self.harbour, width: 12) + end
            + ["茶园：说早也早"] + visualLines(Self.tea, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["北湖新建三座码头", "茶园：说早也早"])
    }
}
