import Testing
@testable import FolioParser

/// A page header reads its date in any of the forms papers print: Arabic digits, Chinese numerals
/// (二〇〇九年/十月/二十一日), or a year of the Republic of China era (中華民國98年, 民国九十八年: the
/// era's year + 1911), in either script; a page label printed without 第 (`C3版`) is still one.
@Suite struct MastheadDateFormTests {
    func header(_ line: String) -> Masthead? { Masthead.find(lines: [Array(line.unicodeScalars)]) }

    @Test func chineseNumeralDate() {
        let p = parse(page("西山晚報/二〇〇九年/十月/二十一日/第B07版文化", "城東公園迎來遊客高峰", "今年秋季，城東公園迎來遊客高峰，園方增設了步行線路。"))
        #expect(p.info.publication == "西山晚報")
        #expect(p.info.date == "2009-10-21")
        #expect(p.info.pageLabel == "B07")
        #expect(p.info.section == "文化")
        #expect(p.articles.map(\.headline) == ["城東公園迎來遊客高峰"])
    }

    @Test func republicEraDateAndALabelWithoutOrdinal() {
        let p = parse(page("南港報/中華民國98年10月21日/星期三/C3版/地方", "城東公園迎來遊客高峰", "今年秋季，城東公園迎來遊客高峰，園方增設了步行線路。"))
        #expect(p.info.publication == "南港報")
        #expect(p.info.date == "2009-10-21")
        #expect(p.info.pageLabel == "C3")
        #expect(p.info.section == "地方")
        #expect(p.articles.map(\.headline) == ["城東公園迎來遊客高峰"])
    }

    @Test func republicEraInChineseNumeralsAndSimplified() {
        #expect(header("南港报　民国九十八年十月二十一日　星期三　第3版")?.date == "2009-10-21")
        #expect(header("南港報　民國一百零二年一月五日　第3版")?.date == "2013-01-05")
        #expect(header("南港報　民國元年一月一日　第1版")?.date == "1912-01-01")
        #expect(header("南港報　中华民国９８年１０月２１日　第３版")?.date == "2009-10-21")
    }

    @Test func chineseNumeralsNeedAFourDigitYear() {
        // 九八年 is no header year: only the page label and the weekday are read.
        #expect(header("南山日报　九八年十月二十一日　星期三　第3版") == nil)
    }

    @Test func anImpossibleDayIsNoDate() {
        #expect(header("西山晚報/二〇〇九年/二月/三十日/第B07版")?.date == "")
    }

    @Test func proseWithAChineseDateIsNoHeader() {
        #expect(header("二〇〇九年十月二十一日，城東公園迎來了今年第一批遊客，園方為此做了充分準備。") == nil)
    }
}
