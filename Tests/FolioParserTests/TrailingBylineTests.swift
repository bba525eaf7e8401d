import FolioModel
@testable import FolioParser
import Testing

/// A story's author set in brackets on a line of its own under the text, and a note in brackets
/// closing a story's text, on extracted pages.
@Suite struct TrailingBylineTests {
    static let harbour = "今年春天，北湖港新建的三座码头陆续投入使用，港区吞吐能力比去年提高了三成。"
    static let harbourEnd = "港务局表示，下半年还将开通两条客运航线。"
    static let tea = "南岭茶园今年春茶开采比往年提前了一周，茶农们趁着晴好天气抢摘新芽。"
    static let teaEnd = "茶场负责人说，今年的新茶品质好于往年，收购价也略有上涨。"

    static func role(_ text: String) -> LineRole? {
        BracketedByline.role(SourceBlock(line: 1, gapBefore: 0, scalars: Array(text.unicodeScalars)))
    }

    @Test func bracketedLineWithARoleIsAByline() {
        guard case let .byline(names)? = Self.role("（本报记者 林小河）") else { Issue.record("no byline"); return }
        #expect(names.map(\.name) == ["林小河"])
        #expect(names.first?.role == "本报记者")
        guard case let .byline(stationed)? = Self.role("（本报驻北湖记者 王明）") else { Issue.record("no byline"); return }
        #expect(stationed.map(\.name) == ["王明"])
    }

    @Test func bracketedBareNamesAreAnAuthorLine() {
        guard case let .names(one)? = Self.role("（林河）") else { Issue.record("no names"); return }
        #expect(one.map(\.name) == ["林河"])
        guard case let .names(two)? = Self.role("（林 河 王 明）") else { Issue.record("no names"); return }
        #expect(two.map(\.name) == ["林河", "王明"])
    }

    @Test func otherBracketedLinesAreNoByline() {
        #expect(Self.role("（新华社记者林小河摄）") == nil)
        #expect(Self.role("（本报北湖４月２日电）") == nil)
        #expect(Self.role("（下转第五版）") == nil)
        #expect(Self.role("（市场管理处）") == nil)
        #expect(Self.role("（一九九八年四月二日）") == nil)
    }

    @Test func trailingBracketedBylineBelongsToTheStoryAbove() {
        // The last line of the text is short (the paragraph ended); the author stands apart.
        let lines = ["北湖新建三座码头"] + visualLines(Self.harbour, width: 12) + visualLines(Self.harbourEnd, width: 12)
            + ["（本报记者 林小河）", "南岭春茶开采"] + visualLines(Self.tea, width: 12) + visualLines(Self.teaEnd, width: 12)
            + ["（王 明）"]
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["北湖新建三座码头", "南岭春茶开采"])
        #expect(p.articles.first?.bylines.map(\.name) == ["林小河"])
        #expect(p.articles.last?.bylines.map(\.name) == ["王明"])
        #expect(p.articles.allSatisfy { $0.body.allSatisfy { !$0.text.hasPrefix("（") } })
    }

    @Test func wrappedSignatureStaysInItsParagraph() {
        // A paragraph whose last line is full: the signature wrapped, it is no author line.
        let text = "南岭茶园今年春茶开采比往年提前了一周，茶农们趁着好天气忙着抢摘新芽。"
        let lines = visualLines(text, width: 12)
        #expect(lines.last?.count == 12)
        let p = parse(run(["南岭春茶开采"] + lines + ["（林河）"] + ["北湖新建三座码头"] + visualLines(Self.harbour, width: 12)) + "\n")
        #expect(p.articles.first?.body.first?.text == text + "（林河）")
        #expect(p.articles.first?.bylines.isEmpty == true)
    }

    @Test func titleAfterASignOffNoteOpensTheNextStory() {
        // A story without dateline or byline closed by the writer's unit in brackets; the next
        // title, with prose under it and a title after that, is a headline, not a subheading.
        let end = visualLines("港务局表示，下半年还将开通两条新的客运航线，方便沿湖一带的群众出行。（作者单位：港务局）", width: 16)
        #expect(end.last == "众出行。（作者单位：港务局）")
        let lines = ["北湖码头随想"] + visualLines(Self.harbour, width: 16) + end
            + ["南岭春茶开采"] + visualLines(Self.tea, width: 16) + visualLines(Self.teaEnd, width: 16)
            + ["西山林场新貌"] + visualLines(Self.harbour, width: 16)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["北湖码头随想", "南岭春茶开采", "西山林场新貌"])
        #expect(p.articles.allSatisfy { $0.body.allSatisfy { $0.kind != .subheading } })
    }

    @Test func signOffNoteNeedsASentenceEndBeforeIt() {
        let a = DraftArticle(sectionIndex: 0, section: "", line: 1)
        a.appendBody(DraftBlock(kind: .paragraph, scalars: Array("港区吞吐能力提高了三成。（作者单位：北湖港务局）".unicodeScalars), firstLine: 2))
        #expect(SignOffNote.closes(a))
        let b = DraftArticle(sectionIndex: 0, section: "", line: 1)
        b.appendBody(DraftBlock(kind: .paragraph, scalars: Array("新产品（北湖牌）".unicodeScalars), firstLine: 2))
        #expect(!SignOffNote.closes(b))
    }
}
