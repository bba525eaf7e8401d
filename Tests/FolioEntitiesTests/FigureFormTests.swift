import FolioModel
import Testing
@testable import FolioEntities

/// Figures as newspapers print them: 亿 and 万 sections (二十七亿三千万), mixed Arabic and Chinese
/// multipliers (3万5千), ○ for zero, signs, spans (一两个, 十几个), 廿/卅 and 元月, and units the
/// figure must not swallow.
@Suite struct FigureFormTests {
    let recognizer = EntityRecognizer.rules

    func entities(_ text: String, _ type: Folio_V1_EntityType) -> [Folio_V1_Entity] {
        recognizer.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: "2024-04-01")
            .filter { $0.type == type }
    }

    func quantity(_ text: String) -> Folio_V1_Entity? { entities(text, .quantity).first }

    /// A 万 scales only what follows the last 亿: 二十七亿三千万 is 27亿 + 3000万.
    @Test func aTenThousandsSectionAfterAHundredMillionsIsAddedNotMultiplied() throws {
        for (text, printed, value) in [("投资二十七亿三千万元。", "二十七亿三千万元", 2_730_000_000.0),
                                       ("收入十二亿三千四百五十六万七千八百九十元", "十二亿三千四百五十六万七千八百九十元", 1_234_567_890),
                                       ("全国人口十二亿四千八百万人。", "十二亿四千八百万人", 1_248_000_000),
                                       ("全年投资十亿零五百万元。", "十亿零五百万元", 1_005_000_000),
                                       ("约一万五千亿元", "约一万五千亿元", 1_500_000_000_000)] {
            let q = try #require(quantity(text), "\(text)")
            #expect(q.text == printed && q.quantity.value == value, "\(text): \(q.normalized)")
        }
        // 亿亿 and 万亿 still multiply; beyond a double the exact digits follow the same rule.
        #expect(quantity("号称三万亿元")?.quantity.value == 3e12)
        #expect(quantity("号称一亿亿二十七亿三千万人")?.normalized == "10000002730000000 人")
    }

    @Test func arabicDigitsGoOnAfterTheirMultiplier() throws {
        for (text, printed, value) in [("全年共筹集3万5千元，用于助学。", "3万5千元", 35_000.0),
                                       ("该省投入2亿3000万元建设水利。", "2亿3000万元", 230_000_000),
                                       ("项目总投资1亿2千万元。", "1亿2千万元", 120_000_000),
                                       ("全市共有4亿6540万台。", "4亿6540万台", 465_400_000)] {
            let q = try #require(quantity(text), "\(text)")
            #expect(q.text == printed && q.quantity.value == value, "\(text): \(q.text) \(q.normalized)")
        }
        #expect(quantity("投资１２３４５６７８９０１２３亿5000万元")?.normalized == "123456789012350000000 元")
        // Not a further part: a figure as large as the multiplier before it, or no multiplier of its own.
        #expect(entities("发放3万5万元不等", .quantity).map(\.normalized) == ["50000 元"])
        #expect(quantity("增加1万5人")?.text == "5人")
    }

    @Test func liangAfterLingInsideANumber() {
        #expect(quantity("这个项目涉及八万零两百个。")?.normalized == "80200 个")
        #expect(quantity("全县有四万零两百头牛。")?.text == "四万零两百头")
    }

    /// ○ (U+25CB) is the zero of the People's Daily corpus, but also a bullet and a withheld name.
    @Test func circleIsAZeroInsideANumeral() throws {
        let olympics = entities("二○○八年八月八日，北京奥运会开幕。", .date)
        #expect(olympics.map(\.text) == ["二○○八年八月八日"] && olympics.map(\.normalized) == ["2008-08-08"])
        #expect(quantity("二○○八年八月八日，北京奥运会开幕。") == nil)
        #expect(entities("一九四○年一月十五日，他出生在山东。", .date).map(\.normalized) == ["1940-01-15"])
        #expect(entities("从一九九○年起实行挂钩。", .date).map(\.normalized) == ["1990"])
        let money = try #require(quantity("全年收入达到一百点○五亿元。"))
        #expect(money.text == "一百点○五亿元" && money.quantity.value == 10_005_000_000)
        #expect(quantity("房款一百○五万元")?.quantity.value == 1_050_000)
        // Outside a numeral it is no digit.
        #expect(quantity("○三个代表") != nil && quantity("○三个代表")?.text == "三个")
        #expect(quantity("记者○○报道，三○○同志") == nil)
        #expect(entities("○○年", .date).isEmpty)
    }

    @Test func aMinusOrFuBeforeASignedMeasureIsItsSign() throws {
        for (text, printed, value) in [("当晚气温降到-5度，道路结冰。", "-5度", -5.0), ("该企业去年亏损-200万元。", "-200万元", -2_000_000),
                                       ("当月价格指数为-3.5%。", "-3.5%", -3.5), ("山顶气温负五度。", "负五度", -5),
                                       ("当晚最低气温-5℃。", "-5℃", -5), ("当晚最低气温零下5℃。", "零下5℃", -5),
                                       ("当晚最低气温零下十五摄氏度。", "零下十五摄氏度", -15), ("当晚最低气温－５℃。", "－５℃", -5)] {
            let q = try #require(quantity(text), "\(text)")
            #expect(q.text == printed && q.quantity.value == value, "\(text): \(q.text) \(q.normalized)")
        }
        #expect(quantity("当晚最低气温－５℃。")?.normalized == "-5 ℃")
        // A range mark after a figure, a model name, a count: no sign.
        #expect(entities("气温5度-8度", .quantity).map(\.normalized) == ["5 度", "8 度"])
        #expect(quantity("指标F-5%")?.normalized == "5 %")
        #expect(quantity("该队本赛季负3场")?.quantity.value == 3)   // a loss in a table, not minus three
        #expect(quantity("为企业减负１·７８亿元")?.normalized == "178000000 元")   // 减负 lightens a burden
        // A span below zero runs from its lower end.
        let span = try #require(quantity("温度也只在零下七八摄氏度"))
        #expect(span.normalized == "-8--7 摄氏度" && span.quantity.value == -8 && span.quantity.upTo == -7)
    }

    @Test func yiLiangIsASpan() throws {
        for (text, printed, low, high) in [("每个村只有一两个技术员。", "一两个", 1.0, 2.0), ("每次来一两百人参加培训。", "一两百人", 100, 200),
                                           ("这个小组只有一两人。", "一两人", 1, 2)] {
            let q = try #require(quantity(text), "\(text)")
            #expect(q.text == printed && q.quantity.value == low && q.quantity.upTo == high, "\(text): \(q.normalized)")
        }
    }

    @Test func aFewMoreThanTheTens() throws {
        let some = try #require(quantity("这个项目涉及十几个村。"))
        #expect(some.text == "十几个" && some.normalized == "12-19 个")
        #expect(quantity("全村有三十几户人家。")?.normalized == "32-39 户")
        #expect(quantity("受益十几万人")?.normalized == "120000-190000 人")
        // 万 or 亿 opening the figure is one of it: 几亿 is two to nine hundred million, not 0-0.
        #expect(quantity("惠及几亿人")?.normalized == "200000000-900000000 人")
        #expect(quantity("数万人参加")?.normalized == "20000-90000 人")
        let share = try #require(quantity("占百分之十几"))
        #expect(share.normalized == "12-19 %" && share.quantity.upTo == 19)
    }

    @Test func tenthsTemperaturesAndLiteraryDates() {
        #expect(quantity("今年粮食增产三成。")?.normalized == "3 成")
        #expect(quantity("游客三五成群地走来") == nil)   // an idiom
        #expect(quantity("全市有50余万成人") == nil)      // adults
        #expect(quantity("当天最高气温20摄氏度。")?.normalized == "20 摄氏度")
        #expect(quantity("当天最高气温３０℃。")?.normalized == "30 ℃")
        #expect(entities("新规自七月廿五日起正式施行。", .date).map(\.normalized) == ["2024-07-25"])
        #expect(entities("会议定于三月卅日召开。", .date).map(\.normalized) == ["2024-03-30"])
        #expect(entities("新规自一九九八年元月起施行。", .date).map(\.normalized) == ["1998-01"])
        #expect(entities("五卅运动", .quantity).isEmpty && entities("五卅运动", .date).isEmpty)
    }

    /// 三个百亿级产业基地: three bases of the hundred-billion class; the unit is 个.
    @Test func aMagnitudeClassIsNoPartOfTheUnit() throws {
        let q = try #require(quantity("服务三个百亿级产业基地建设。"))
        #expect(q.text == "三个" && q.normalized == "3 个" && q.quantity.unit == "个")
        #expect(quantity("打造两个千亿级产业集群。")?.normalized == "2 个")
    }
}
