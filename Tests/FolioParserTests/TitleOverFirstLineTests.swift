import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order: a headline set about as wide as the column opens a block, right over
/// its text's first line (short by the indent the extractor lost). It does not run on into that line.
@Suite struct TitleOverFirstLineTests {
    /// Twelve glyphs in a column of thirteen: as wide as a paragraph's line, by its width alone.
    static let title = "南湖公园新建三座游船码头"
    static let pier = "据园方介绍，三座码头均位于湖的东岸，每座可停靠游船二十艘，预计四月中旬投入使用。"
    static let fee = "码头开放后，游船租金不变，园方还将为老人和儿童提供优惠，并增设两处售票点。"

    @Test func aTitleAsWideAsTheColumnOverAnIndentedFirstLineIsTheHeadline() {
        let p = parse(page(run(FirstLineInsideBlockTests.story),
                           run([Self.title] + visualLines(Self.pier, width: 13) + visualLines(Self.fee, width: 13))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", Self.title])
        #expect(p.articles.last?.body.map(\.text) == [Self.pier, Self.fee])
    }

    @Test func aTitleInTwoLinesOverAnIndentedFirstLineIsTheHeadline() {
        // The headline's second line is short: both lines stay the headline, the text starts under them.
        let p = parse(page(run(FirstLineInsideBlockTests.story),
                           run(["南湖公园新建", "游船码头"] + visualLines(Self.pier, width: 13) + visualLines(Self.fee, width: 13))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "南湖公园新建游船码头"])
        #expect(p.articles.last?.body.first?.text == Self.pier)
    }

    @Test func aFirstLineBrokenInsideAWordRunsOn() {
        // `撰` / `写`: a word across the break, so the short line under it is no paragraph's first
        // line but the rest of the sentence (its width is the justification's, not an indent).
        let lines = ["编辑部今年的主要任务是撰", "写一组专题报道，介绍各", "区县推进垃圾分类的做法，", "并邀请读者来信参与讨论。"]
        let p = parse(page(run(FirstLineInsideBlockTests.story), run(lines)))
        #expect(!p.articles.map(\.headline).contains("编辑部今年的主要任务是撰"))
        #expect(p.articles.flatMap(\.body).map(\.text).contains(lines.joined()))
    }

    @Test func widthsOfAParagraphsFirstLine() {
        // Short of a column of 13 by about an indent, over a full line.
        #expect(TitleOverFirstLine.opensParagraph(width: 11, under: 13, column: 13))
        #expect(!TitleOverFirstLine.opensParagraph(width: 13, under: 13, column: 13))
        #expect(!TitleOverFirstLine.opensParagraph(width: 11, under: 9, column: 13))
        #expect(!TitleOverFirstLine.opensParagraph(width: 8, under: 13, column: 13))
    }
}
