import FolioModel
@testable import FolioParser
import Testing

/// Kickers and titles read by `pdftotext -raw` right under the text of the story before.
@Suite struct KickerLineTests {
    static let essay = "去年全省的春耕备耕工作进展十分顺利，各地的水利设施普遍得到了修整。下面刊出的是几位专家的笔谈摘要。———编者"
    static let talk = "今年的农业生产要抓住良种推广这个关键，良种的覆盖面还要进一步扩大。"
    static let more = "农技站的人员要深入田间地头，帮助农民解决生产中的实际问题。"

    @Test func bareKickerUnderAFullLineStandsAlone() {
        let essay = visualLines(Self.essay, width: 14)
        #expect(essay.last.map { Reflow.width(Array($0.unicodeScalars)) } == 14)
        let lines = ["新春话农事"] + essay + ["省农科院研究员林小河——", "良种推广是关键"] + visualLines(Self.talk, width: 14)
            + visualLines(Self.more, width: 14)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["新春话农事", "良种推广是关键"])
        #expect(p.articles.last?.kicker == "省农科院研究员林小河")
        #expect(p.articles.first?.body.last?.text.hasSuffix("编者") == true)
    }

    @Test func onlyAnUnpunctuatedLineEndingInADashPairIsAKicker() {
        #expect(Reflow.bareKicker(Array("省农科院研究员林小河——".unicodeScalars)))
        #expect(!Reflow.bareKicker(Array("新年伊始，国家重点建设工程———".unicodeScalars)))
        #expect(!Reflow.bareKicker(Array("——良种推广是关键".unicodeScalars)))
    }

    @Test func titleBeforeATwoLineHeadlineIsAHeadline() {
        // A title, a paragraph, then a title over another bare title: the second pair is a
        // headline set in two blocks, so the first title is no subheading of the story above.
        // (Each headline over a text its words open, or none: see HeadlinePairingTests.)
        let p = parse(page("新春话农事", run(visualLines(Self.more, width: 14)), "良种推广是关键",
                           run(visualLines(Self.talk, width: 14)), "农技人员下田间", "林河乡见闻",
                           run(visualLines(Self.more, width: 14))))
        #expect(p.articles.map(\.headline).prefix(2) == ["新春话农事", "良种推广是关键"])
        #expect(p.articles.allSatisfy { $0.body.allSatisfy { $0.kind == .paragraph } })
    }

    @Test func lineEndingInADashOverAClauseIsProse() {
        // `…明珠———` over `北湖，…`: the paragraph's first line (about full) broken after a dash.
        let text = "碧波万顷的湖畔明珠———北湖，近年来游客逐年增多。我们住的湖滨小区，家家门前都种着花木，一年四季景色宜人。"
        let lines = ["北湖散记"] + ["碧波万顷的湖畔明珠———"] + visualLines(String(text.dropFirst(12)), width: 14, indent: 0)
            + visualLines(Self.more, width: 14)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.first?.headline == "北湖散记")
        #expect(p.articles.first?.kicker.isEmpty == true)
        #expect(p.articles.first?.body.first?.text == text)
        #expect(Reflow.proseAfterDash(Array("湖畔的明珠———".unicodeScalars), Array("北湖，近年来游客逐年".unicodeScalars)))
        #expect(!Reflow.proseAfterDash(Array("省农科院研究员林小河——".unicodeScalars), Array("良种推广是关键".unicodeScalars)))
        #expect(Reflow.proseAfterDash(Array("说起“西湖”，人们会想：“西湖”———".unicodeScalars), Array("天下闻名的湖光山色；“西".unicodeScalars)))
    }
}
