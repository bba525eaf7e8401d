@testable import FolioParser
import Testing

/// Numbered clauses and bullet points are paragraphs of their own, even set in full lines.
@Suite struct ListItemTests {
    @Test func enumeratorsAndBulletsOpenItems() {
        for line in ["●全县新修村道四十公里", "３·管理松懈，制度不全", "２．第五条修改为", "十二、删去第八条", "（三）加强培训"] {
            #expect(ListItems.opensItem(Array(line.unicodeScalars)), "\(line)")
        }
        for line in ["３．５万人参加了培训", "一个乡镇新建了水厂", "（记者林河）报道", "二〇〇〇年目标"] {
            #expect(!ListItems.opensItem(Array(line.unicodeScalars)), "\(line)")
        }
    }

    @Test func clauseAfterAFullLineEndingASentenceStartsAParagraph() {
        // Every line is full: only the enumerator tells where a clause starts.
        let lead = "今年以来，县交通局对全县的村道和乡道进行了一次全面普查，发现不少路段缺少日常养护，群众出行很不方便。"
        let intro = "县政府对管理办法作了如下修改："
        let first = "一、第二条修改为：“本办法适用于本县所有的村道和各条乡道。”"
        let second = "二、第三条修改为：“村道由村委会负责日常养护，乡道由乡政府负责。”"
        let lines = ["县里修改村道管理办法"] + visualLines(lead, width: 15) + visualLines(intro, width: 15, indent: 0)
            + visualLines(first, width: 15, indent: 0) + visualLines(second, width: 15, indent: 0)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.first?.body.map(\.text) == [lead, intro, first, second])
    }

    @Test func itemsEndedByAClauseMarkStayApart() {
        for (first, second) in [("（一）乡里负责组织；", "（二）村里负责实施。"), ("一、修好道路；", "二、管好水渠。"),
                                ("第一条 本办法适用于全县，", "第二条 本办法自公布之日起施行。"), ("——抓好春耕；", "——管好水利。")] {
            let p = parse(page("县里部署春耕", "本报讯 县政府近日发出通知，要求做好以下工作：", first, second, "通知要求各乡认真落实。"))
            let body = p.articles.first?.body.map(\.text) ?? []
            #expect(body.contains(first) && body.contains(second), "\(body)")
            #expect(!(p.articles.first?.diagnostics.contains { $0.code == "paragraph-truncated" } ?? true))
        }
        // A sentence cut at a column break after a comma still goes on.
        let p = parse(page("县里部署春耕", "本报讯 县政府近日发出通知，要求各乡", "在月底前完成春耕准备。"))
        #expect(p.articles.first?.body.map(\.text) == ["县政府近日发出通知，要求各乡在月底前完成春耕准备。"])
    }
}
