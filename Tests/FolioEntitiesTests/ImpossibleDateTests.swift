import FolioModel
import Testing
@testable import FolioEntities

/// A day the calendar does not have (the 30th of February, the 29th in a year that is not leap,
/// the 31st of a 30-day month) is still a date mention, but gets no ISO form: an ISO string
/// names a real day, or a reader's date parser fails on it.
@Suite struct ImpossibleDateTests {
    let recognizer = EntityRecognizer.rules

    func dates(_ text: String, page: String? = "2003-06-10") -> [Folio_V1_Entity] {
        recognizer.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: page)
            .filter { $0.type == .date }
    }

    static func isISODay(_ s: String) -> Bool { s.count == 10 && s.first != "-" }

    @Test func aDayPastTheEndOfItsMonthGetsNoISOForm() {
        for (text, printed) in [("展览在2003年2月30日开幕。", "2003年2月30日"), ("展览在2003年2月29日闭幕。", "2003年2月29日"),
                                ("工程于二〇〇三年四月三十一日完工。", "二〇〇三年四月三十一日"), ("民国九十二年二月三十日", "民国九十二年二月三十日")] {
            let found = dates(text)
            #expect(found.map(\.text) == [printed], "\(text)")
            #expect(found.allSatisfy { !$0.normalized.contains("-") }, "\(text): \(found.map(\.normalized))")
        }
    }

    @Test func aDayNoYearHasGetsNoISOFormWithoutItsYear() {
        for page in ["2003-06-10", nil] as [String?] {
            let found = dates("展览定于二月三十日开幕，六月三十一日闭幕。", page: page)
            #expect(found.count == 2)
            #expect(found.allSatisfy { !$0.normalized.contains("-") }, "\(found.map(\.normalized))")
        }
    }

    @Test func aRangeEndPastItsMonthGetsNoISOForm() {
        let found = dates("展览于2003年4月28日至31日举行。")
        #expect(found.map(\.normalized).first == "2003-04-28")
        #expect(found.dropFirst().allSatisfy { !$0.normalized.contains("-") })
    }

    @Test func realDaysAtTheEndOfAMonthKeepTheirISOForm() {
        #expect(dates("展览在2004年2月29日开幕。").map(\.normalized) == ["2004-02-29"])
        #expect(dates("展览在2003年4月30日闭幕。").map(\.normalized) == ["2003-04-30"])
        #expect(dates("展览定于二月二十九日开幕。", page: nil).map(\.normalized) == ["--02-29"])
        #expect(dates("展览在2003年2月28日开幕。").allSatisfy { Self.isISODay($0.normalized) })
    }
}

/// A month or day no calendar has (13月, 0月, 32日, 0日) makes the whole date one mention without
/// an ISO form: no fragment of it (5日, 12月, 1998年) is resolved against the page.
@Suite struct ImpossibleMonthAndDayTests {
    let recognizer = EntityRecognizer.rules

    @Test func noPartOfAnImpossibleDateIsResolved() {
        for (text, printed) in [("13月5日，全市召开动员大会。", "13月5日"), ("0月5日，全市召开动员大会。", "0月5日"),
                                ("这项工程1998年13月1日开工建设。", "1998年13月1日"), ("12月32日，全市召开动员大会。", "12月32日"),
                                ("这项工程1月0日开工建设。", "1月0日"), ("十三月五日，全市召开动员大会。", "十三月五日")] {
            let found = recognizer.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: "2024-04-01")
                .filter { $0.type == .date }
            #expect(found.map(\.text) == [printed], "\(text): \(found.map(\.text))")
            #expect(found.allSatisfy { !$0.normalized.contains("-") && Int($0.normalized) == nil }, "\(text): \(found.map(\.normalized))")
        }
    }

    @Test func aMonthPastTwelveAloneIsNoDate() {
        let found = recognizer.recognize(fields: [EntityField(field: .block, index: 0, text: "工期13月，共投资5亿元。")], pageDate: "2024-04-01")
        #expect(!found.contains { $0.type == .date })
    }
}
