import Testing
import FolioModel
import FolioEntities

/// Years of the Republic of China era (民国 / 民國, 中华民国 / 中華民國): the year is the era's
/// year + 1911, whatever the page's date, in Arabic, full-width or Chinese numerals, in either
/// script; the year is part of the date, never a quantity of 年.
@Suite struct RepublicYearTests {
    func found(_ text: String, page: String = "2030-06-15") -> [Folio_V1_Entity] {
        EntityRecognizer.rules.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: page)
    }

    func dates(_ text: String, page: String = "2030-06-15") -> [String: String] {
        Dictionary(found(text, page: page).filter { $0.type == .date }.map { ($0.text, $0.normalized) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func republicYearsAreThatManyYearsAfter1911() {
        #expect(dates("民國99年7月8日，新規上路。") == ["民國99年7月8日": "2010-07-08"])
        #expect(dates("民国９９年７月８日，新规上路。") == ["民国９９年７月８日": "2010-07-08"])
        #expect(dates("民國九十九年七月八日起施行。") == ["民國九十九年七月八日": "2010-07-08"])
        #expect(dates("民國一百零二年十二月三十一日截止。") == ["民國一百零二年十二月三十一日": "2013-12-31"])
        #expect(dates("民国一〇二年春，工程完工。") == ["民国一〇二年": "2013"])
        #expect(dates("自民國元年起算。") == ["民國元年": "1912"])
        #expect(dates("民國76年11月，首批返鄉。") == ["民國76年11月": "1987-11"])
    }

    @Test func theFullNameOfTheEraBelongsToTheDate() {
        #expect(dates("中華民國105年2月3日公布。") == ["中華民國105年2月3日": "2016-02-03"])
        #expect(dates("中华民国六十年，岛内推行新政。") == ["中华民国六十年": "1971"])
    }

    @Test func theYearIsNotAQuantity() {
        let entities = found("民國88年9月21日凌晨，大地震。")
        #expect(!entities.contains { $0.type == .quantity })
        #expect(entities.filter { $0.type == .date }.map(\.normalized) == ["1999-09-21"])
    }

    @Test func aDecadeOrTheEraAloneIsNoDate() {
        #expect(dates("民國四十年代的老照片。").isEmpty)
        #expect(dates("民國時期的建築。").isEmpty)
        #expect(dates("民国风格的服饰").isEmpty)
    }

    @Test func otherYearsStillFollowTheirRules() {
        #expect(dates("2011年3月5日") == ["2011年3月5日": "2011-03-05"])
        #expect(dates("3月5日開幕", page: "2024-03-06") == ["3月5日": "2024-03-05"])
    }
}
