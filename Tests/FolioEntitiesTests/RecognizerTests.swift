import Testing
import FolioModel
import FolioEntities

/// Behaviour of each entity type, numerals, date resolution and offsets, with the hand-written
/// rules (`EntityRecognizer.rules`; the combined recognizer adds only some of their names to the tagger's).
@Suite struct RecognizerTests {
    let recognizer = EntityRecognizer.rules

    func entities(_ text: String, date: String? = "2022-11-01") -> [Folio_V1_Entity] {
        recognizer.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: date)
    }

    func first(_ type: Folio_V1_EntityType, in text: String, date: String? = "2022-11-01") -> Folio_V1_Entity? {
        entities(text, date: date).first { $0.type == type }
    }

    /// The substring a mention points at, by Unicode-scalar offsets.
    func slice(_ text: String, _ m: Folio_V1_Mention) -> String {
        let scalars = Array(text.unicodeScalars)[Int(m.start)..<Int(m.end)]
        return String(String.UnicodeScalarView(scalars))
    }

    @Test func personAfterTitleAndBeforeSpeechVerb() throws {
        let text = "前来走访的錦州市科技局長王艳芝說。"
        let e = try #require(first(.person, in: text))
        #expect(e.text == "王艳芝")
        #expect(slice(text, e.mentions[0]) == "王艳芝")
    }

    @Test func personInDatelineAndByline() {
        let people = Set(entities("報訊 記者崔治報道 近日，項目經理楊斌介紹").filter { $0.type == .person }.map(\.normalized))
        #expect(people.isSuperset(of: ["崔治", "杨斌"]))
        #expect(first(.person, in: "趙一 本报记者 崔治")?.normalized == "赵一")
    }

    @Test func organizationBuiltFromPlaceAndSuffix() throws {
        let text = "錦州市自然資源局負責綠色礦山建設日常工作"
        let e = try #require(first(.organization, in: text))
        #expect(e.text == "錦州市自然資源局")
        #expect(e.normalized == "锦州市自然资源局")
        #expect(e.mentions[0].start == 0 && e.mentions[0].end == 8)
    }

    @Test func organizationKeepsNestedPlace() {
        let found = entities("完成了3家企業（黑山縣萬程膨潤土有限責任公司、凌海市白台子文泉采石場）任務")
        let orgs = Set(found.filter { $0.type == .organization }.map(\.normalized))
        let places = Set(found.filter { $0.type == .place }.map(\.normalized))
        #expect(orgs.isSuperset(of: ["黑山县万程膨润土有限责任公司", "凌海市白台子文泉采石场"]))
        #expect(places.isSuperset(of: ["黑山县", "凌海市"]))
    }

    @Test func governmentBodiesWithoutAPlace() {
        let orgs = Set(entities("由省交通廳、省發改委將其作為項目，在經過交通運輸部和國家發改委審查後").filter { $0.type == .organization }.map(\.normalized))
        #expect(orgs.isSuperset(of: ["省交通厅", "省发改委", "国家发改委"]))
    }

    @Test func placesFromGazetteerAndSuffixes() {
        let places = Set(entities("家住古塔區錦城小區的居民說，去錦州北站不用繞道。在義县七里河經濟開發區").filter { $0.type == .place }.map(\.normalized))
        #expect(places.isSuperset(of: ["古塔区", "锦州北站", "义县", "七里河经济开发区"]))
        #expect(!places.contains("城市"))
    }

    @Test func quantitiesWithMultipliersAndApproximations() throws {
        let area = try #require(first(.quantity, in: "17.2萬平方米錦州港中歐班列集結中心"))
        #expect(area.text == "17.2萬平方米")
        #expect(area.quantity.value == 172_000 && area.quantity.unit == "平方米")
        #expect(area.normalized == "172000 平方米")
        let money = try #require(first(.quantity, in: "佔算近遠期投資79億余元。"))
        #expect(money.text == "79億余元" && money.quantity.value == 7_900_000_000 && money.quantity.unit == "元")
        let about = try #require(first(.quantity, in: "项目总投资约1亿元（含征地拆迁费用）"))
        #expect(about.text == "约1亿元" && about.quantity.value == 100_000_000)
        let over = try #require(first(.quantity, in: "派駐科技特派員1000人以上……"))
        #expect(over.text == "1000人以上" && over.quantity.value == 1000 && over.quantity.unit == "人")
    }

    @Test func chineseAndFullWidthNumerals() throws {
        #expect(try #require(first(.quantity, in: "服務三个百亿级產業基地")).quantity.value == 3)
        #expect(try #require(first(.quantity, in: "共有一百二十三人參加")).quantity.value == 123)
        #expect(try #require(first(.quantity, in: "三万五千吨")).quantity.value == 35_000)
        #expect(try #require(first(.quantity, in: "达到１２３４５人")).quantity.value == 12_345)
        #expect(try #require(first(.quantity, in: "全长2.2公里")).normalized == "2.2 公里")
        #expect(first(.quantity, in: "一次申請、直接備案") == nil)   // idiom, not a figure
        #expect(first(.quantity, in: "第四批多式聯運示范工程") == nil)   // ordinal
    }

    @Test func datesResolvedAgainstThePageDate() {
        func date(_ text: String, _ page: String? = "2022-11-01") -> String? { first(.date, in: text, date: page)?.normalized }
        #expect(date("今年，錦州開展了活動") == "2022")
        #expect(date("去年12月通過省級評審") == "2021-12")
        #expect(date("10月27日，工程完工") == "2022-10-27")
        #expect(date("1998年1月4日") == "1998-01-04")
        #expect(date("一九九八年新年讲话") == "1998")
        #expect(date("（一九九七年十二月三十一日）") == "1997-12-31")
        #expect(date("十二月三十一日晚") == "2022-12-31")
        #expect(date("１９９８年１月４日") == "1998-01-04")
        #expect(date("本报北京１月４日讯", "1998-01-05") == "1998-01-04")
        #expect(date("４日，会议开幕", "1998-01-05") == "1998-01-04")
        #expect(date("10月27日", nil) == "--10-27")
        #expect(date("錦城四月天小區") == nil)
        #expect(date("已經5年了") == nil)
        // Without its year, a date is the one nearest to the page's day: on 1 January last December's.
        #expect(date("１２月２７日召开", "1998-01-01") == "1997-12-27")
        #expect(date("十二月二十八日", "1998-01-01") == "1997-12-28")
        #expect(date("３月５日将召开", "1998-01-01") == "1998-03-05")
        #expect(date("３１日闭幕", "1998-01-05") == "1997-12-31")
        #expect(date("２日开幕", "1998-01-30") == "1998-02-02")
        #expect(date("12月", "1998-01-10") == "1997-12")
    }

    /// People's Daily prints decimals with a middle dot (１３·４亿), which cut the figure at the dot;
    /// 零下 lost its sign; two numerals in a row that name a span (两三天) were read as 23.
    @Test func decimalsWithAMiddleDotBelowZeroAndSpans() throws {
        func quantity(_ text: String) -> Folio_V1_Entity? { first(.quantity, in: text) }
        let money = try #require(quantity("出口额达１３·４亿美元"))
        #expect(money.text == "１３·４亿美元" && money.quantity.value == 1_340_000_000 && money.normalized == "1340000000 美元")
        #expect(quantity("利率跌至５·８４％")?.normalized == "5.84 %")
        #expect(quantity("气温零下５度")?.quantity.value == -5)
        #expect(quantity("气温零下５度")?.text == "零下５度")
        let days = try #require(quantity("每隔两三天来一次"))
        #expect(days.text == "两三天" && days.quantity.value == 2 && days.quantity.upTo == 3 && days.normalized == "2-3 天")
        #expect(quantity("八九岁的孩子")?.normalized == "8-9 岁")
        #expect(quantity("十五六岁的少年")?.normalized == "15-16 岁")
        #expect(quantity("二三十人参加")?.normalized == "20-30 人")
        #expect(quantity("共有一百二十三人参加")?.normalized == "123 人")   // one number, as before
        #expect(quantity("五十六个民族")?.normalized == "56 个")
        #expect(first(.date, in: "八九月份") == nil)
        // 零 holds a place: 零一 is no span of 0 to 1.
        #expect(quantity("共生产原油一百五十万零一百吨")?.normalized == "1500100 吨")
        #expect(quantity("捐款一万零一百元")?.normalized == "10100 元")
        #expect(quantity("票价一千零一十元")?.normalized == "1010 元")
        #expect(quantity("票价一千零一元")?.normalized == "1001 元")
        #expect(quantity("三万零五百人参加")?.normalized == "30500 人")
    }

    /// Figures People's Daily writes that were misread: decimals with 点, a 千 that belongs to the unit
    /// (千瓦), 多/余 before 万 and 亿, percentages and fractions in words, decades, anniversaries,
    /// vague 数十/几十, explicit ranges, and 上月/下月 before a day.
    @Test func figuresInWordsRangesAndRelativeMonths() throws {
        func normalized(_ text: String, _ type: Folio_V1_EntityType = .quantity) -> [String] {
            entities(text, date: "1998-01-03").filter { $0.type == type }.map(\.normalized)
        }
        #expect(normalized("产量二点三万吨") == ["23000 吨"])
        #expect(normalized("投资十四点八万元") == ["148000 元"])
        #expect(normalized("藏书一点三亿多册") == ["130000000 册"])
        #expect(normalized("八点三十分开会").isEmpty)   // a time, not 83 of anything
        #expect(normalized("装机六万千瓦") == ["60000 千瓦"])
        #expect(normalized("装机３０万千瓦") == ["300000 千瓦"])   // the same unit as in Chinese numerals
        #expect(normalized("重五十千克") == ["50 千克"])
        #expect(normalized("发电１１８亿千瓦时") == ["11800000000 千瓦时"])
        #expect(normalized("投资１５００多万元") == ["15000000 元"])
        #expect(normalized("三十余万元") == ["300000 元"])
        #expect(normalized("合格率百分之九十九点九") == ["99.9 %"])
        #expect(normalized("千分之三") == ["3 ‰"])
        #expect(normalized("三分之一的人") == ["0.333333"])
        #expect(normalized("百姓生活，千万不要").isEmpty)
        #expect(normalized("九十年代以来").isEmpty && normalized("１９９０年代", .date).isEmpty)
        #expect(normalized("走过了九十年") == ["90 年"])
        #expect(normalized("改革开放２０周年") == ["20 周年"])
        #expect(normalized("数十万人参加") == ["200000-900000 人"])
        #expect(normalized("几十年来") == ["20-90 年"])
        #expect(normalized("每次３—５小时") == ["3-5 小时"])
        #expect(normalized("三至五个") == ["3-5 个"])
        #expect(normalized("３—５万元") == ["30000-50000 元"])
        #expect(normalized("１９９７—１９９８年度").isEmpty)   // years, not a span of 年
        #expect(normalized("上月１５日开工", .date) == ["1997-12-15"])
        #expect(normalized("下月５日竣工", .date) == ["1998-02-05"])
        #expect(normalized("八一队获胜").isEmpty)   // a team's name, not 81 teams
    }

    /// 昨天 and 明天 resolve against the page's day; 今年 before a month keeps that month in the page's
    /// year; the bare end day of a range is in its start's month.
    @Test func relativeDaysThisYearsMonthsAndRangeEnds() {
        func dates(_ text: String, _ page: String) -> [String] {
            entities(text, date: page).filter { $0.type == .date }.map(\.normalized)
        }
        #expect(dates("昨天下午，会议闭幕", "1998-01-01") == ["1997-12-31"])
        #expect(dates("明天开幕", "1998-02-28") == ["1998-03-01"])
        #expect(dates("将于今年１０月１２日召开", "1998-01-15").contains("1998-10-12"))
        #expect(dates("１９９７年１２月９日至１４日举行", "1998-01-15") == ["1997-12-09", "1997-12-14"])
        #expect(dates("３月２７日至２９日", "1998-01-15") == ["1998-03-27", "1998-03-29"])
    }

    /// One entity for the day or year however it is written; its text is the first mention's form
    /// (model.proto: "as on the page (first mention)"), relative or not.
    @Test func relativeAndExplicitYearShareOneEntityShowingTheFirstMentionsForm() throws {
        let found = entities("今年，錦州開展活動。組織開展2022年錦州市工作。").filter { $0.type == .date }
        #expect(found.count == 1)
        let e = try #require(found.first)
        #expect(e.normalized == "2022" && e.text == "今年" && e.mentions.count == 2)
        let explicitFirst = try #require(entities("2022年錦州市工作。今年，錦州開展活動。").first { $0.type == .date })
        #expect(explicitFirst.text == "2022年")
    }

    @Test func aDayWrittenRelativeThenExplicitKeepsTheRelativeFormAsText() throws {
        let text = "明天上午，南湖大桥通车。２日起，公交线路调整，明天起实行。"
        let e = try #require(entities(text, date: "2003-06-01").first { $0.type == .date && $0.normalized == "2003-06-02" })
        let forms = e.mentions.map { slice(text, $0) }
        #expect(forms == ["明天", "２日", "明天"])
        #expect(e.text == forms[0])
    }

    @Test func offsetsCountUnicodeScalarsOfTheOriginalTraditionalText() throws {
        // A character outside the BMP and a full-width space before the name: offsets are scalars.
        let text = "𠀀　錦州港加快建設國家多式聯運示范工程"
        let e = try #require(first(.place, in: text))
        #expect(e.text == "錦州港" && e.normalized == "锦州港")
        #expect(e.mentions[0].start == 2 && e.mentions[0].end == 5)
        #expect(slice(text, e.mentions[0]) == "錦州港")
    }

    @Test func oneEntityPerTypeAndNormalizedFormAcrossFields() throws {
        let fields = [
            EntityField(field: .headline, index: 0, text: "錦州港加快建設"),
            EntityField(field: .block, index: 3, text: "锦州港开展公铁海多式联运工程"),
            EntityField(field: .caption, index: 1, text: "錦州港的碼頭"),
        ]
        let found = recognizer.recognize(fields: fields, pageDate: nil).filter { $0.type == .place && $0.normalized == "锦州港" }
        #expect(found.count == 1)
        let e = try #require(found.first)
        #expect(e.text == "錦州港")
        #expect(e.mentions.map(\.field) == [.headline, .block, .caption])
        #expect(e.mentions.map(\.block) == [0, 3, 1])
    }

    @Test func bylinePeopleAreAddedOnce() {
        let found = entities("前来走访的錦州市科技局長王艳芝說。")
        let merged = recognizer.addingPeople(["崔 治", "王艷芝", ""], to: found)
        let people = merged.filter { $0.type == .person }
        #expect(people.map(\.normalized).sorted() == ["崔治", "王艳芝"])
        #expect(people.first { $0.normalized == "崔治" }?.text == "崔治")
        #expect(people.first { $0.normalized == "王艳芝" }?.mentions.count == 1)
    }

    @Test func badInputNeverCrashesAndMentionsStayInBounds() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("錦州市科技局长王艳芝说１２３.万亿年月日今去约余元人、，。 \n\t\u{0}𠀀·第一二三十百千两".unicodeScalars)
        var texts = ["", " ", "年", "月日", "9999999999999999999999年", "1.", ".5万", "十十十十百百千千万万亿亿", "第", "约"]
        for _ in 0..<300 {
            let length = Int.random(in: 0...60, using: &generator)
            texts.append(String(String.UnicodeScalarView((0..<length).map { _ in alphabet.randomElement(using: &generator)! })))
        }
        for text in texts {
            let count = text.unicodeScalars.count
            for e in entities(text, date: "bad-date") {
                #expect(!e.text.isEmpty)
                for m in e.mentions { #expect(m.start < m.end && Int(m.end) <= count) }
            }
        }
    }
}
