import FolioModel
@testable import FolioParser
import FolioText
import Testing

/// Latin-script text inside Chinese pages (a bilingual desk): English sentences quoted or
/// wrapped over lines, foreign correspondents' names, and the dots of transliterated names.
@Suite struct LatinScriptTests {
    static func paragraphs(_ a: Folio_V1_Article) -> [String] { (a.lead + a.body).map(\.text) }

    // Defect 03: an English full stop ends a paragraph as 。 does.
    @Test func paragraphEndingInAnEnglishSentenceIsNotGluedToTheNext() {
        let p = parse(page(
            "湖区新闻",
            "本报北湖４月２日讯 湖区码头的外籍船长在开航仪式上说：\"Every voyage starts with a single knot.\"",
            "港务局局长随后宣布新航线正式开通。",
            "码头上挂着一条标语：Safety comes first in 2024.",
            "船员们在标语下合影留念。"))
        let paras = p.articles.first.map(Self.paragraphs) ?? []
        #expect(paras.count == 4)
        #expect(paras.first?.hasSuffix("single knot.\"") == true)
        #expect(paras.count > 2 && paras[2].hasSuffix("in 2024."))
        // A paragraph opening with an ASCII quote before a word starts a quotation, not mid-sentence.
        #expect(!ParagraphJoiner.startsMidSentence(Array("\"We sail at dawn,\" said the captain.".unicodeScalars)))
        #expect(ParagraphJoiner.startsMidSentence(Array("\"，他说。".unicodeScalars)))
    }

    @Test func latinFullStopEndsASentenceOnlyAfterAWord() {
        #expect(CharacterClass.endsSentence("他说：\"We will sail.\"".unicodeScalars))
        #expect(CharacterClass.endsSentence("定于 in 1998.".unicodeScalars))
        #expect(!CharacterClass.endsSentence("产量增长了3.".unicodeScalars))   // a figure cut at its point
        #expect(!CharacterClass.endsSentence("访问了U.S.".unicodeScalars))
        #expect(!CharacterClass.endsSentence("会见了Mr.".unicodeScalars))
    }

    // Defect 15: a short closing paragraph quoting an English sentence is no headline.
    @Test func shortEnglishClosingParagraphStaysInItsStory() {
        let p = parse(page(
            "■ 人物", "造船厂的老师傅", "本报记者 林 河",
            "本报北湖４月２日讯 记者日前在船坞采访了老师傅周海。",
            "他说：“Ships are built by patient hands.”",
            "■ 人物", "另一位老师傅", "本报记者 王 明",
            "本报北湖４月２日讯 记者日前采访了老师傅钱江。",
            "他说：“船是耐心造出来的。”"))
        #expect(p.articles.count == 2)
        #expect(p.articles.first.map(Self.paragraphs)?.last == "他说：“Ships are built by patient hands.”")
    }

    // Defect 10: a line break after Latin punctuation is a word space; a lower-case line goes on.
    @Test func englishWrappedOverLinesKeepsItsSpaces() {
        var head = Array("the harbour is deep enough,".unicodeScalars)
        appendLine(Array("the ships can enter.".unicodeScalars), to: &head)
        #expect(String(String.UnicodeScalarView(head)) == "the harbour is deep enough, the ships can enter.")
        var paren = Array("Ferries (on Sundays)".unicodeScalars)
        appendLine(Array("leave early.".unicodeScalars), to: &paren)
        #expect(String(String.UnicodeScalarView(paren)) == "Ferries (on Sundays) leave early.")
        var word = Array("Ferries".unicodeScalars)
        appendLine(Array("(on Sundays)".unicodeScalars), to: &word)
        #expect(String(String.UnicodeScalarView(word)) == "Ferries (on Sundays)")
        var figure = Array("增长了3.".unicodeScalars)   // a figure cut at its point stays one figure
        appendLine(Array("5%".unicodeScalars), to: &figure)
        #expect(String(String.UnicodeScalarView(figure)) == "增长了3.5%")

        let p = parse(page(
            "湖区新闻",
            "本报北湖４月２日讯 外籍船长说：“The harbour is deep enough,\nthe ships can enter at night; pilots stay on board.\nFerries (on Sundays)\nleave early.”他还说，码头将延长开放时间。",
            "第二段正文。"))
        #expect(p.articles.count == 1)
        let text = p.articles.first.map(Self.paragraphs)?.joined(separator: " ") ?? ""
        #expect(text.contains("enough, the ships"))
        #expect(text.contains("(on Sundays) leave"))
    }

    // Defect 04: a byline's name may be in Latin script.
    @Test func bylineWithALatinNameIsAByline() {
        let p = parse(page(
            "■ 国际", "北湖港迎来外国游轮", "本报记者 Peter Miller",
            "本报北湖４月２日讯 一艘外国游轮今天停靠北湖港。", "游客们参观了古城。"))
        let a = p.articles.first
        #expect(a?.subtitle == "")
        #expect(a?.bylines.map(\.name) == ["Peter Miller"])
        let two = PeopleLines.byline(SourceBlock(line: 1, gapBefore: 0, scalars: Array("特约记者 Anna-Lena Berg 林 河".unicodeScalars)))
        #expect(two?.map(\.name) == ["Anna-Lena Berg", "林河"])
        #expect(PeopleLines.byline(SourceBlock(line: 1, gapBefore: 0, scalars: Array("本报记者 the harbour".unicodeScalars))) == nil)
    }

    // Defect 05: a dateline's reporter may have a Latin name.
    @Test func datelineReporterWithALatinName() {
        let bracket = DatelineParser.parse(Array("新华社北湖４月２日电（记者 Peter Miller）北湖港今天开通新航线。".unicodeScalars), line: 1, pageDate: nil)
        #expect(bracket?.dateline.reporters == ["Peter Miller"])
        let s = Array("本报北湖４月２日讯 记者 Anna Berg 报道：北湖港今天开通新航线。".unicodeScalars)
        let plain = DatelineParser.parse(s, line: 1, pageDate: nil)
        #expect(plain?.dateline.reporters == ["Anna Berg"])
        #expect(plain.map { String(String.UnicodeScalarView(s[$0.length...])) } == "北湖港今天开通新航线。")
    }

    // Defect 16: every dot a source prints in a foreign name (Big5's •, ‧, ･, ・) is a name's.
    @Test func nameDotVariantsKeepBylinesAndPeople() {
        for dot in ["\u{2022}", "\u{2027}", "\u{FF65}", "\u{30FB}"] {
            let p = parse(page(
                "■ 國際", "北湖港迎來外國游輪", "本報記者 彼得\(dot)米勒",
                "本報北湖４月２日訊 外國游輪公司總裁約翰\(dot)史密斯今天抵達北湖港。", "遊客們參觀了古城。"))
            let a = p.articles.first
            #expect(a?.bylines.map(\.name) == ["彼得\(dot)米勒"], "\(dot)")
            let people = a?.entities.filter { $0.type == .person }.map(\.normalized) ?? []
            #expect(people.contains("约翰·史密斯"), "\(dot): \(people)")
            #expect(people.contains("彼得·米勒"), "\(dot): \(people)")
        }
    }

    // Defect 14: a page header with Latin script (a Latin masthead, an ISO date) is read, not mangled.
    @Test func pageHeaderWithLatinScript() {
        let story = "\n\n北湖港迎来外国游轮\n\n本报北湖４月２日讯 一艘外国游轮今天停靠北湖港，游客们参观了古城。\n"
        let latin = parse("Lakeside Daily/2024 年/4 月/3 日/第 B2 版Travel" + story)
        #expect(latin.info.publication == "Lakeside Daily" && latin.info.section == "Travel", "\(latin.info)")
        #expect(latin.info.date == "2024-04-03" && latin.info.pageLabel == "B2")
        let bilingual = parse("NORTH LAKE DAILY 北湖日报 2024年4月3日 星期三 第5版" + story)
        #expect(bilingual.info.publication == "北湖日报" && bilingual.info.section.isEmpty, "\(bilingual.info)")
        let iso = parse("北湖日报/2024-04-03/第 05 版" + story)
        #expect(iso.info.date == "2024-04-03" && iso.info.pageLabel == "05", "\(iso.info)")
        for p in [latin, bilingual, iso] { #expect(p.articles.map(\.headline) == ["北湖港迎来外国游轮"]) }
    }
}
