import FolioModel
@testable import FolioParser
import Testing

@Suite struct DatelineTests {
    func dateline(_ paragraph: String, date: String? = "1998-01-04") -> (Folio_V1_Dateline, String)? {
        let s = Array(paragraph.unicodeScalars)
        guard let m = DatelineParser.parse(s, line: 1, pageDate: date) else { return nil }
        return (m.dateline, Folded.string(SourceLines.trim(Array(s[m.length...]))))
    }

    @Test func lostFirstGlyphIsRestored() throws {
        let (d, rest) = try #require(dateline("報訊 記者崔治報道 近日，評審會召開。"))
        #expect(d.agency == "本報訊")
        #expect(d.repaired)
        #expect(d.reporters == ["崔治"])
        #expect(rest == "近日，評審會召開。")
    }

    /// Taiwan and Hong Kong datelines in brackets were not datelines: a page of such stories was
    /// one article, the other headlines read as body paragraphs.
    @Test func bracketedTaiwanAndHongKongForms() throws {
        var (d, rest) = try #require(dateline("【本報訊】港府今天公布新措施。"))
        #expect(d.agency == "本報訊" && d.text == "【本報訊】" && rest == "港府今天公布新措施。")
        (d, rest) = try #require(dateline("〔記者李大華／台北報導〕颱風逼近，全台戒備。"))
        #expect(d.reporters == ["李大華"] && d.place == "台北" && rest == "颱風逼近，全台戒備。")
        (d, rest) = try #require(dateline("（中央社記者王小明台北5日電）立法院今天三讀通過預算案。"))
        #expect(d.agency == "中央社" && d.reporters == ["王小明"] && d.place == "台北" && d.date == "5日")
        #expect(rest == "立法院今天三讀通過預算案。")
        (d, _) = try #require(dateline("（中央社記者林宏翰、王小明華盛頓5日專電）美國國會今天表決。"))
        #expect(d.reporters == ["林宏翰", "王小明"] && d.place == "華盛頓")
        (d, _) = try #require(dateline("（中央社台北5日電）行政院今天開會。"))
        #expect(d.agency == "中央社" && d.place == "台北" && d.reporters.isEmpty)
        (d, rest) = try #require(dateline("本報台北１月４日訊記者江世杰報導：今天召開會議。"))  // 報導, not 報道
        #expect(d.reporters == ["江世杰"] && rest == "今天召開會議。")
        // A wire story's sign-off at a paragraph's end, and other brackets, are no datelines.
        #expect(dateline("（新华社北京１２月３１日电）") == nil)
        #expect(dateline("（附图片１张）江泽民出席。") == nil)
        #expect(dateline("（上接第一版）会议指出，要加强管理。") == nil)
    }

    @Test func storiesOpeningWithBracketedDatelinesAreArticles() {
        let p = parse(page("立法院三讀通過預算案", "（中央社記者王小明台北5日電）立法院今天三讀通過明年度總預算案，總額兩兆元。",
                           "颱風逼近 全台戒備", "〔記者李大華／台北報導〕中央氣象局今天發布海上颱風警報，各地嚴加戒備。",
                           "港府推新措施", "【本報訊】特區政府今天公布一系列措施，協助中小企業渡過難關。"))
        #expect(p.articles.map(\.headline) == ["立法院三讀通過預算案", "颱風逼近 全台戒備", "港府推新措施"])
        #expect(p.articles.allSatisfy { $0.hasDateline })
    }

    @Test func ownPaperWithPlaceDateAndReporter() throws {
        let (d, rest) = try #require(dateline("本报北京１月４日讯记者江世杰报道：今天召开会议。"))
        #expect(d.agency == "本报")
        #expect(d.place == "北京")
        #expect(d.date == "１月４日")
        #expect(d.normalizedDate == "1998-01-04")
        #expect(d.reporters == ["江世杰"])
        #expect(!d.repaired)
        #expect(rest == "今天召开会议。")
    }

    @Test func wireWithReportersInBracketsAndPreviousYear() throws {
        let (d, rest) = try #require(dateline("新华社贵阳１２月３１日电（记者刘子富）中共中央政治局委员考察。"))
        #expect(d.agency == "新华社")
        #expect(d.place == "贵阳")
        #expect(d.normalizedDate == "1997-12-31")
        #expect(d.reporters == ["刘子富"])
        #expect(rest == "中共中央政治局委员考察。")
    }

    @Test func chineseNumeralDatesAndSeveralReporters() throws {
        let (d, _) = try #require(dateline("本报济南十二月三十一日电记者贾建舟、刘磊报道：新年期间，"))
        #expect(d.date == "十二月三十一日")
        #expect(d.normalizedDate == "1997-12-31")
        #expect(d.reporters == ["贾建舟", "刘磊"])
    }

    /// A dateline naming a day its month does not have keeps the date as printed, with no ISO form.
    @Test func anImpossibleDatelineDayGetsNoNormalizedDate() throws {
        for line in ["本报南湖２月３０日讯 记者林晓报道：灯会开幕。", "新华社南湖四月三十一日电 灯会开幕。"] {
            let (d, _) = try #require(dateline(line, date: "2003-06-10"))
            #expect(!d.date.isEmpty && d.normalizedDate.isEmpty, "\(line)")
        }
        let (leap, _) = try #require(dateline("本报南湖２月２９日讯 灯会开幕。", date: "2004-03-01"))
        #expect(leap.normalizedDate == "2004-02-29")
        let (notLeap, _) = try #require(dateline("本报南湖２月２９日讯 灯会开幕。", date: "2003-03-01"))
        #expect(notLeap.normalizedDate.isEmpty)
    }

    @Test func placesOpeningWithANumeralStayPlaces() throws {
        for (line, place) in [("本报四川１月５日电 全省粮食丰收。", "四川"), ("新华社三峡工地１月５日电 工程顺利。", "三峡工地"),
                              ("本报十三陵１月５日电 水库开冻。", "十三陵"), ("本报北京一月五日电 天气晴好。", "北京")] {
            let (d, _) = try #require(dateline(line))
            #expect(d.place == place, "\(line)")
            #expect(d.normalizedDate == "1998-01-05", "\(line)")
        }
    }

    @Test func plainNewsAgencyAndNonDatelines() throws {
        let (d, rest) = try #require(dateline("本报讯 近日，会议召开。"))
        #expect(d.agency == "本报讯")
        #expect(rest == "近日，会议召开。")
        #expect(dateline("本报记者崔治在现场看到，") == nil)
        #expect(dateline("今年，錦州開展了活動。") == nil)
    }

    /// Copy of other agencies and news sites (foreign wires, web desks) opened no dateline: the
    /// stories of a page of it ran together as one article.
    @Test func otherAgenciesAndNewsSites() throws {
        var (d, rest) = try #require(dateline("环球社雅典１月６日电 议会今天通过了新的预算。"))
        #expect(d.agency == "环球社" && d.place == "雅典" && d.date == "１月６日" && d.normalizedDate == "1998-01-06")
        #expect(rest == "议会今天通过了新的预算。")
        (d, rest) = try #require(dateline("北方通讯社—南方通讯社基辅1月3日电（记者 安德烈）乌克兰政府宣布，"))
        #expect(d.agency == "北方通讯社—南方通讯社" && d.place == "基辅" && d.reporters == ["安德烈"])
        #expect(rest == "乌克兰政府宣布，")
        (d, _) = try #require(dateline("据海风社惠灵顿十二月三十日电 新西兰"))
        #expect(d.agency == "据海风社" && d.place == "惠灵顿" && d.normalizedDate == "1997-12-30")
        (d, _) = try #require(dateline("东方網上海1月2日訊 市民"))
        #expect(d.agency == "东方網" && d.place == "上海")
        // A date is needed, 电 must not open a word, and the name must end in 社 or 网.
        #expect(dateline("合作社社员1月5日电话通知大家开会。") == nil)
        #expect(dateline("出版社讯 新书发行。") == nil)
        #expect(dateline("某某报社北京电 消息") == nil)
        #expect(dateline("村民委员会1月5日电告乡政府。") == nil)
    }

    @Test func storiesOpeningWithOtherAgenciesDatelinesAreArticles() {
        let p = parse(page("股市大幅下跌", "环球社纽约1月5日电 股市周一大幅下跌，指数收盘下跌百分之二。分析人士认为，影响仍在扩大。",
                           "交易员说，投资者对企业盈利前景感到担忧。",
                           "两国首脑会晤", "海风社巴黎1月6日电 两国首脑今天在巴黎会晤，双方讨论了货币联盟的进展。"))
        #expect(p.articles.map(\.headline) == ["股市大幅下跌", "两国首脑会晤"])
        #expect(p.articles.map(\.dateline.agency) == ["环球社", "海风社"])
    }
}
