import Testing
import FolioModel
import FolioText
@testable import FolioEntities

/// Figures and dates as international copy prints them: digits grouped by three after a space
/// (3 000吨), and days without a year that the sentence says are ahead (将于7月12日举行).
@Suite struct InternationalFiguresTests {
    func entities(_ text: String, _ type: Folio_V1_EntityType, pageDate: String = "1998-01-06") -> [(text: String, normalized: String)] {
        EntityRecognizer.rules.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: pageDate)
            .filter { $0.type == type }.map { ($0.text, $0.normalized) }
    }

    @Test func digitsGroupedBySpacesAreOneFigure() {
        let q = entities("产量达到3 000吨，出口12 500台，人口为1 200 000人，投资2 500万美元。", .quantity)
        #expect(q.map(\.text) == ["3 000吨", "12 500台", "1 200 000人", "2 500万美元"])
        #expect(q.map(\.normalized) == ["3000 吨", "12500 台", "1200000 人", "25000000 美元"])
        // A thin or no-break space groups too; the plain figure is unchanged.
        #expect(entities("共3\u{2009}000吨和4\u{00A0}500吨，全年3200吨。", .quantity).map(\.normalized) == ["3000 吨", "4500 吨", "3200 吨"])
    }

    @Test func noFigureStartsInsideAGroupedNumber() {
        // Four digits before the space are no group: the figure after it stands alone, but never a
        // group's tail read as a figure of its own.
        for text in ["1998 300人参加", "共3 00吨", "编号12 3456号"] {
            #expect(!entities(text, .quantity).contains { $0.normalized.hasPrefix("0") || $0.normalized == "300 人" && text.hasPrefix("共") }, "\(text)")
        }
        #expect(entities("第1998 300人", .quantity).map(\.normalized) == ["300 人"])
    }

    @Test func aDayTheSentenceSaysIsAheadIsInTheComingMonths() {
        let d = entities("开幕式将于6月10日举行，决赛将于7月12日举行，预计8月1日公布结果。去年7月12日曾举行抽签仪式。", .date)
        #expect(d.map(\.normalized) == ["1998-06-10", "1998-07-12", "1998-08-01", "1997-07-12"])
        // Without such a word the nearest day stays: on 6 January, 12月27日 is last December's.
        #expect(entities("12月27日举行了会议。", .date).map(\.normalized) == ["1997-12-27"])
        #expect(entities("代表团曾于12月27日抵达，将于1月9日离开。", .date).map(\.normalized) == ["1997-12-27", "1998-01-09"])
    }
}

/// Latin names keep the spaces between their words in `normalized` (spaces inside Chinese
/// names, 崔 治 in a spaced byline, are still dropped).
@Suite struct LatinNameSpacesTests {
    @Test func aSpaceBetweenLatinWordsIsKept() {
        #expect(EntityRecognizer.normalizedName(original: Array("International Monetary Fund".unicodeScalars.map(\.value))[...],
                                                folded: Array("international monetary fund".unicodeScalars.map(\.value))[...])
                == "International Monetary Fund")
        #expect(EntityRecognizer.normalizedName(original: Array("Goldman  Sachs公司".unicodeScalars.map(\.value))[...],
                                                folded: Array("goldman  sachs公司".unicodeScalars.map(\.value))[...])
                == "Goldman Sachs公司")
        #expect(EntityRecognizer.normalizedName(original: Array("崔 治".unicodeScalars.map(\.value))[...],
                                                folded: Array("崔 治".unicodeScalars.map(\.value))[...]) == "崔治")
        #expect(EntityRecognizer.normalizedName(original: Array("IBM 公司".unicodeScalars.map(\.value))[...],
                                                folded: Array("ibm 公司".unicodeScalars.map(\.value))[...]) == "IBM公司")
    }

    @Test func bylinesKeepTheSpaceOfALatinName() {
        let people = EntityRecognizer.rules.addingPeople(["Michael  Smith", "崔 治"], to: [])
        #expect(people.map(\.normalized) == ["Michael Smith", "崔治"])
        #expect(people.map(\.text) == ["Michael Smith", "崔治"])
    }
}

/// English inside a Chinese article: a quoted sentence, a span cut inside a word, a.m. are no
/// names; an English organization name stays one.
@Suite struct LatinFragmentsTests {
    func names(_ text: String) -> [String] {
        EntityRecognizer.shared.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: "1998-01-06")
            .filter { [.person, .place, .organization].contains($0.type) }.map(\.text)
    }

    @Test func sentencesAndWordPiecesAreNoNames() {
        let found = names("克林顿说：“We must build a bridge to the 21st century”，他上午10:30 a.m.抵达。"
            + "英文谚语：A journey of a thousand miles begins with a single step. 他认为The program is strong enough to restore confidence in the Korean economy.")
        for name in found {
            let words = name.split { !$0.isLetter || $0.unicodeScalars.first!.value >= 0x3400 }
            #expect(words.count < 5, "\(name)")
            #expect(!name.hasPrefix("a.m"), "\(name)")
        }
    }

    @Test func cutsInsideAWordAreRefused() {
        let text = "The program is strong enough"
        let scalars = Array(text.unicodeScalars.map(\.value)).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        scalars.withUnsafeBufferPointer { s in
            #expect(LatinFragments.namesNothing(s, Candidate(type: .organization, start: 0, end: 10, rank: 0)))   // "The progra"
            #expect(!LatinFragments.namesNothing(s, Candidate(type: .organization, start: 4, end: 11, rank: 0)))  // "program"
        }
    }
}

@Suite struct NumericDateTests {
    func dates(_ text: String) -> [String] {
        EntityRecognizer.rules.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: "1998-01-06")
            .filter { $0.type == .date }.map(\.normalized)
    }

    @Test func datesInFiguresAreDates() {
        #expect(dates("协议于1998-01-20生效，1998.1.15签署，1998/2/5公布。") == ["1998-01-20", "1998-01-15", "1998-02-05"])
        #expect(dates("１９９８－０１－２０起施行。") == ["1998-01-20"])
        // No date: a month or day the calendar lacks, another figure glued on, a version number.
        #expect(dates("编号1998-13-40的文件") == [])
        #expect(dates("软件版本2000.1.15.3发布") == [])
        #expect(dates("电话1998-1234") == [])
    }

    @Test func datesWithEnglishMonthNames() {
        #expect(dates("声明（January 10, 1998）指出") == ["1998-01-10"])
        #expect(dates("会议定于Jan. 20举行，报告发表于12 December 1997。") == ["1998-01-20", "1997-12-12"])
        // No month name, or a word only starting like one: no date.
        #expect(dates("Marchers 10人") == [])
        #expect(dates("May 45") == [])
    }
}

@Suite struct CurrencySignTests {
    func money(_ text: String) -> [String] {
        EntityRecognizer.rules.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: "1998-01-06")
            .filter { $0.type == .quantity }.map(\.normalized)
    }

    @Test func aCurrencySignBeforeAFigureIsItsUnit() {
        #expect(money("售价￥3,000，港币HK$2,800。") == ["3000 元", "2800 港元"])
        #expect(money("亏损US$57 billion，另有$1.5 million。") == ["57000000000 美元", "1500000 美元"])
        #expect(money("收入€200和£35。") == ["200 欧元", "35 英镑"])
        // A unit after the figure wins; a sign glued to a word is none.
        #expect(money("约$5亿美元") == ["500000000 美元"])
        #expect(money("变量a$5的值") == [])
    }
}

/// A name's Latin form in brackets after it (世界贸易组织（WTO）) is a mention of that name, and so
/// is the Latin form alone elsewhere in the article; never a piece of a longer Latin word.
@Suite struct LatinAliasTests {
    @Test func aBracketedLatinFormIsAMentionOfTheName() {
        let fields = [
            EntityField(field: .block, index: 0, text: "美国国际商用机器公司（IBM）昨天宣布，将在华扩大投资。"),
            EntityField(field: .block, index: 1, text: "IBM董事长郭士纳说，IBMX系列不在此列。世界贸易组织（WTO）秘书处发表声明。"),
        ]
        let entities = EntityRecognizer.shared.recognize(fields: fields, pageDate: "1998-01-06")
        let ibm = entities.first { $0.normalized == "美国国际商用机器公司" }
        #expect(ibm?.type == .organization)
        #expect(ibm?.mentions.count == 3, "\(entities.map { ($0.text, $0.mentions.count) })")
        let texts = (ibm?.mentions ?? []).map { m in
            String(String.UnicodeScalarView(Array(fields[Int(m.block)].text.unicodeScalars)[Int(m.start)..<Int(m.end)]))
        }
        #expect(texts == ["美国国际商用机器公司", "IBM", "IBM"])
    }
}

/// Traditional words whose Simplified form is another phrase (彷彿 → 仿佛) are read as that word:
/// the per-character fold's 彷佛 was tagged a place.
@Suite struct PhraseFoldTests {
    @Test func traditionalPhrasesAreReadInTheirSimplifiedForm() {
        let text = "音樂會在雄壯的管絃樂《紅旗頌》中拉開帷幕，舒展、優美的樂曲聲使人們彷彿看到：五星紅旗在天安門城樓上冉冉升起；彷彿聽到：在紅旗的指引下中國人民向現代化新徵程邁進的腳步聲。"
        let entities = EntityRecognizer.shared.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: "1998-01-01")
        #expect(!entities.contains { $0.normalized.contains("佛") }, "\(entities.map(\.normalized))")
        // Offsets are into the original text.
        let gate = entities.first { $0.normalized == "天安门城楼" }?.mentions.first
        #expect(gate.map { Array(text.unicodeScalars)[Int($0.start)..<Int($0.end)].map(Character.init) } == Array("天安門城樓"),
                "\(entities.map(\.normalized))")
    }

    @Test func theFoldKeepsLengthAndLeavesOtherTextAlone() {
        let fold = PhraseFold(fold: (0..<UInt32(0x10000)).map { UInt16($0) }, pairs: [
            PhraseForms.Pair(other: Array("彷彿".unicodeScalars), simplified: Array("仿佛".unicodeScalars)),
            PhraseForms.Pair(other: Array("巨集".unicodeScalars), simplified: Array("宏".unicodeScalars)),
        ])
        var text = Array("他彷彿看到巨集彷".unicodeScalars.map(\.value))
        fold.apply(to: &text)
        #expect(String(String.UnicodeScalarView(text.compactMap(Unicode.Scalar.init))) == "他仿佛看到巨集彷")
    }
}
