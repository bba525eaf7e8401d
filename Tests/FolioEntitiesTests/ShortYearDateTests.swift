import Testing
import FolioModel
import FolioEntities

/// A year of two or three digits before a month (１１３年３月１日, 八十七年二月一日): Taiwan prints
/// Republic years so, without 民國. The printed year is the date's: read as a Republic year where
/// that is safe, else left without an ISO form; never the page's year, never a quantity of 年.
@Suite struct ShortYearDateTests {
    func found(_ text: String, page: String?) -> [Folio_V1_Entity] {
        EntityRecognizer.rules.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: page)
    }

    func dates(_ text: String, page: String?) -> [String: String] {
        Dictionary(found(text, page: page).filter { $0.type == .date }.map { ($0.text, $0.normalized) }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether a date's normalized form is an ISO date (an unresolved one keeps its printed text).
    static func isISO(_ n: String?) -> Bool { n.map { $0.count >= 4 && $0.prefix(4).allSatisfy { $0.isASCII && $0.isNumber } } ?? false }

    static let taiwan = "本報台北１月５日訊 立法院定於１１３年３月１日復會，該法於民國112年12月1日公布，前身法律則在八十七年二月一日施行。"

    @Test func taiwanYearsWithoutTheEraAreRepublicYears() {
        let d = dates(Self.taiwan, page: "2024-01-05")
        #expect(d["１１３年３月１日"] == "2024-03-01")
        #expect(d["民國112年12月1日"] == "2023-12-01")
        #expect(d["八十七年二月一日"] == "1998-02-01")
        #expect(d["３月１日"] == nil && d["二月一日"] == nil)
        #expect(!found(Self.taiwan, page: "2024-01-05").contains { $0.type == .quantity && $0.text.contains("年") })
        // The page's year does not move a printed year.
        #expect(dates(Self.taiwan, page: "1998-01-05")["１１３年３月１日"] != "1998-03-01")
        #expect(dates("立法院於八十七年二月一日三讀通過該條例。", page: nil)["八十七年二月一日"] == "1998-02-01")
        // Hong Kong's 97年7月1日 is 1997, not the Republic's 97 (2008): two Arabic digits stay unresolved.
        #expect(!Self.isISO(dates("香港於97年7月1日回歸祖國，特區政府正式成立。", page: "2024-01-05")["97年7月1日"]))
    }

    @Test func simplifiedPagesReadOnlyThreeDigitYearsNearThePage() {
        #expect(dates("会议定于113年3月1日召开。", page: "2024-01-05") == ["113年3月1日": "2024-03-01"])
        // Two digits may be a Gregorian year cut short (87年 is also 1987): no ISO form, not the page's year.
        for (text, page, date) in [("该法于87年2月1日施行。", "1998-01-05", "87年2月1日"), ("该法于87年2月1日施行。", "2024-01-05", "87年2月1日"),
                                   ("１１３年３月１日", "1998-01-05", "１１３年３月１日"), ("九七年七月一日香港回归。", "2024-01-05", "九七年七月一日")] {
            let d = dates(text, page: page)
            #expect(Array(d.keys) == [date], "\(text)")
            #expect(!Self.isISO(d[date]), "\(text) \(page)")
        }
        #expect(!found("该法于87年2月1日施行。", page: "1998-01-05").contains { $0.type == .quantity })
    }

    @Test func otherErasAreNoRepublicYears() {
        let ad = dates("公元113年3月1日", page: "2024-01-05")
        #expect(Array(ad.keys) == ["113年3月1日"] && !Self.isISO(ad["113年3月1日"]))
        let showa = dates("昭和20年8月15日，日本天皇廣播宣佈無條件投降。", page: "1995-08-15")
        #expect(Array(showa.keys) == ["20年8月15日"] && !Self.isISO(showa["20年8月15日"]))
    }

    @Test func yearsCountedAreUnchanged() {
        for (text, figure) in [("五年来，成绩显著。", "5 年"), ("２０年来，变化巨大。", "20 年"), ("工程历时20年，3月完工。", "20 年")] {
            let entities = found(text, page: "1998-01-05")
            #expect(entities.filter { $0.type == .quantity }.map(\.normalized) == [figure], "\(text)")
        }
        #expect(dates("1998年2月1日", page: "2024-01-05") == ["1998年2月1日": "1998-02-01"])
        #expect(dates("2月1日", page: "2024-01-05") == ["2月1日": "2024-02-01"])
    }
}
