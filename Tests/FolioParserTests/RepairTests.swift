import FolioModel
@testable import FolioParser
import Testing

@Suite struct RepairTests {
    /// Control characters (NUL, ESC, …) are dropped from the text, and the page says how many and
    /// where the first was: they vanished without a word. Tabs, line ends and form feeds are layout.
    @Test func droppedControlCharactersAreSaid() throws {
        let p = parse("河边新建了公园\n\n市民\u{1B}[0m每天都来散步。\u{0}\n\u{0C}居民\t说环境变好了。\u{7}\n")
        let text = p.articles.flatMap(\.body).map(\.text).joined()
        #expect(text.contains("市民[0m每天都来散步。") && text.contains("说环境变好了。"))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" })
        let repaired = try #require(p.diagnostics.first { $0.code == "input-repaired" })
        #expect(repaired.severity == .warning && repaired.line == 3)
        #expect(repaired.message.hasPrefix("3 control characters"))
        #expect(!parse("河边新建了公园\n\n市民每天都来散步。\u{0C}\n").diagnostics.contains { $0.code == "input-repaired" })
    }

    /// Text that reached the parser with U+FFFD in it (bytes no encoding took, replaced by whoever
    /// read the file) keeps a warning in the page: `folio ingest` printed one on its terminal and
    /// the stored page, served to every later reader, said nothing.
    @Test func replacedCharactersAreSaid() throws {
        let p = parse("標題新聞\n\n這是一段正文\u{FFFD}內容。\n\n第二段\u{FFFD}\u{FFFD}結束。\n")
        let repaired = try #require(p.diagnostics.first { $0.code == "input-repaired" })
        #expect(repaired.severity == .warning && repaired.line == 3)
        #expect(repaired.message.hasPrefix("3 characters are U+FFFD"))
        #expect(!parse("標題新聞\n\n全角，標點：不是\u{FFFC}替換字符。\n").diagnostics.contains { $0.code == "input-repaired" })
    }

    @Test func columnBreakInsideAWordIsJoined() {
        let p = parse(page("標題", "規劃机动车双向4车道，非机", "動车道双向各1条，项目总投资约1亿元。"))
        #expect(p.articles[0].body.map(\.text) == ["規劃机动车双向4车道，非机動车道双向各1条，项目总投资约1亿元。"])
        #expect(p.articles[0].body[0].lines == [3, 5])
        #expect(!p.articles[0].body[0].endsMidSentence)
    }

    @Test func fragmentAboveTheDatelineIsMovedBack() throws {
        // The seed's case: a fragment stands between headline and dateline; by the bigram
        // model 作|為 continues the paragraph far better than 作|運 (the next block).
        let p = parse(page("錦州港加快建設國家多式聯運示范工程",
                           "為東北陸海新通道橋頭堡、門戶港和我國內貿散糧中轉第一大港作用，打",
                           "報訊 記者崔治報道 近日，評審會召開。",
                           "錦州港開展公鐵海多式聯運工程。另外，還要發揮錦州港作",
                           "運”“班列+產業園區”等協同發展新模式。"))
        let a = p.articles[0]
        try #require(a.body.count == 3)
        #expect(a.body[1].lines == [7, 3])
        #expect(a.body[1].text.hasSuffix("發揮錦州港作為東北陸海新通道橋頭堡、門戶港和我國內貿散糧中轉第一大港作用，打"))
        #expect(a.body[1].endsMidSentence)
        #expect(a.body[2].startsMidSentence)
        #expect(a.diagnostics.contains { $0.code == "fragment-relocated" && $0.line == 3 })
        #expect(a.diagnostics.contains { $0.code == "dateline-repaired" && $0.line == 5 })
    }

    @Test func truncatedAndOrphanParagraphsAreFlagged() throws {
        // Subheadings come in runs: the second one tells the first is not a new headline.
        let p = parse(page("標題", "圍繞先進鋼鐵材料的研發，突", "實施“興錦人才計劃”招才引智",
                           "如今，錦州擁有人才31人。", "聯錦城”“智匯錦城”品牌對接活動。",
                           "未來已來", "錦州將持續深化科技體制改革。"))
        let body = p.articles[0].body
        try #require(body.count == 6)
        #expect(body.map(\.kind) == [.paragraph, .subheading, .paragraph, .paragraph, .subheading, .paragraph])
        #expect(body[0].endsMidSentence)
        #expect(!body[2].startsMidSentence)
        #expect(body[3].startsMidSentence)
        #expect(p.articles[0].diagnostics.contains { $0.code == "paragraph-truncated" && $0.line == 3 })
        #expect(p.articles[0].diagnostics.contains { $0.code == "paragraph-orphan" && $0.line == 9 })
    }

    @Test func scriptCountsCoverThePage() {
        let p = parse(page("錦州港加快建設", "本报记者在現場。"))
        #expect(p.script.traditionalOnly >= 4)
        #expect(p.script.simplifiedOnly >= 2)
        #expect(p.script.dominant == .traditional)
    }
}

@Suite struct IdentityTests {
    @Test func idsFromFileNameOrHash() {
        let p = PageParser().parse(text: page("標題", "正文。"), source: "/data/Seed Page.txt")
        #expect(p.id == "seed-page")
        #expect(p.articles.map(\.id) == ["seed-page-01"])
        #expect(p.articles[0].pageID == "seed-page")
        let h = PageParser().parse(text: page("標題", "正文。"), source: "")
        #expect(h.id.hasPrefix("page-") && h.id.count == 17)
        #expect(h.id == PageParser().parse(text: page("標題", "正文。")).id)
        let given = PageParser().parse(text: "x", source: "a.txt", pageID: "p42")
        #expect(given.id == "p42")
    }

    /// Two long names sharing their first 64 (or 128) characters were one page id: a later
    /// `ingest --replace` of one replaced the other's page.
    @Test func idsOfLongFileNamesKeepPagesApart() throws {
        let prefix = "liaoning-daily-edition-supplement-report-on-regional-development-project"
        for id in [PageIdentity.id(fromSource:), PageIdentity.id(fromRelativePath:)] {
            let a = try #require(id("mon/" + prefix + String(repeating: "x", count: 60) + "-jinzhou.txt"))
            let b = try #require(id("mon/" + prefix + String(repeating: "x", count: 60) + "-shenyang.txt"))
            #expect(a != b)
            #expect(a.utf8.count <= 128 && b.utf8.count <= 128)
            #expect(id("mon/" + prefix + String(repeating: "x", count: 60) + "-jinzhou.txt") == a)
        }
        #expect(PageIdentity.id(fromSource: "x/1998-01-04_A3.txt") == "1998-01-04_a3")  // short names as before
    }

    @Test("Page ids of file names with Han letters keep pages apart, and stay the same for the same name")
    func idsOfHanFileNames() throws {
        let first = try #require(PageIdentity.id(fromRelativePath: "1998-01-01/要闻.txt"))
        let second = try #require(PageIdentity.id(fromRelativePath: "1998-01-01/国际.txt"))
        #expect(first != second)
        #expect(first.hasPrefix("1998-01-01-") && PageIdentity.id(fromRelativePath: "1998-01-01/要闻.txt") == first)
        #expect(PageIdentity.id(fromSource: "x/第一版.txt") != PageIdentity.id(fromSource: "x/第二版.txt"))
        #expect(PageIdentity.id(fromSource: "x/第一版.txt")?.hasPrefix("page-") == true)
        #expect(PageIdentity.id(fromSource: "x/renmin 04.txt") == "renmin-04")  // ASCII names as before
        let long = try #require(PageIdentity.id(fromRelativePath: String(repeating: "a", count: 200) + "版.txt"))
        #expect(long.utf8.count <= 128 && !long.contains("--"))
        for id in [first, second, long] {
            #expect(id.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "-" || $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        }
    }

    @Test func infoGuessedFromFileName() {
        #expect(PageIdentity.info(fromSource: "renmin-19980104-04.txt").date == "1998-01-04")
        #expect(PageIdentity.info(fromSource: "renmin-19980104-04.txt").pageLabel == "04")
        #expect(PageIdentity.info(fromSource: "x/2022-11-03_A3.txt").date == "2022-11-03")
        #expect(PageIdentity.info(fromSource: "x/2022-11-03_A3.txt").pageLabel == "A3")
        #expect(PageIdentity.info(fromSource: "seed-page.txt").date == "")
        #expect(PageIdentity.info(fromSource: "19981340.txt").date == "")
        #expect(PageIdentity.info(fromSource: "19980231-02.txt").date == "")  // no 31 February
        #expect(PageIdentity.info(fromSource: "19990229-02.txt").date == "")
        #expect(PageIdentity.info(fromSource: "19960229-02.txt").date == "1996-02-29")
        #expect(PageIdentity.info(fromSource: "x/2022-04-31_A3.txt").date == "")
        var info = Folio_V1_PageInfo()
        info.publication = "錦州日報"
        info.date = "2022-11-01"
        let p = PageParser().parse(text: page("標題", "正文。"), source: "a.txt", info: info)
        #expect(p.info.publication == "錦州日報")
        #expect(p.articles[0].date == "2022-11-01")
    }
}
