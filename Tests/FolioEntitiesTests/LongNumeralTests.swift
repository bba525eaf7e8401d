import FolioModel
import Testing
@testable import FolioEntities

/// A numeral longer than a double holds exactly keeps its printed figure in the normalized form
/// (never a rounded one, never "inf"), and its quantity value stays a finite number.
@Suite struct LongNumeralTests {
    let recognizer = EntityRecognizer.rules

    func quantities(_ text: String) -> [Folio_V1_Entity] {
        recognizer.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: "2003-06-10")
            .filter { $0.type == .quantity }
    }

    @Test func aTwentyDigitCountKeepsItsDigits() throws {
        let q = try #require(quantities("全市共有98765432109876543210户。").first)
        #expect(q.normalized == "98765432109876543210 户")
        #expect(q.quantity.value.isFinite)
    }

    @Test func fullWidthDigitsBeyondADoubleKeepTheirDigitsAndAFiniteValue() throws {
        let digits = String(repeating: "8", count: 350)
        let wide = String(digits.unicodeScalars.map { Character(Unicode.Scalar($0.value - 0x30 + 0xFF10)!) })
        let q = try #require(quantities("账面上写着\(wide)元。").first)
        #expect(q.normalized == digits + " 元")
        #expect(q.quantity.value.isFinite && q.quantity.value > 0)
    }

    @Test func multipliersAndDecimalsAfterALongNumeralShiftItsDigits() throws {
        #expect(quantities("投资１２３４５６７８９０１２３４５６７８万元").first?.normalized == "1234567890123456780000 元")
        #expect(quantities("投资１２３４５６７８９０１２３４５６.７８亿元").first?.normalized == "123456789012345678000000 元")
        #expect(quantities("共1,234,567,890,123,456,789吨").first?.normalized == "1234567890123456789 吨")
    }

    @Test func chineseNumeralsBeyondADoubleAreExactAndFinite() throws {
        let q = try #require(quantities("号称九亿亿亿人").first)
        #expect(q.normalized == "9" + String(repeating: "0", count: 24) + " 人")
        #expect(quantities("号称一千二百三十四亿亿零五人").first?.normalized == "12340000000000000005 人")
        let huge = try #require(quantities("号称一" + String(repeating: "亿", count: 50) + "人").first)
        #expect(huge.normalized == "1" + String(repeating: "0", count: 400) + " 人")
        #expect(huge.quantity.value.isFinite)
    }

    @Test func spansAndFractionsOfLongNumeralsStayFinite() {
        let long = String(repeating: "9", count: 400)
        for text in ["\(long)分之\(long)", "５—\(long)万元", "百分之\(long)"] {
            for q in quantities(text) {
                #expect(q.quantity.value.isFinite && q.quantity.upTo.isFinite, "\(text.prefix(20))")
                #expect(!q.normalized.contains("inf") && !q.normalized.contains("nan"), "\(text.prefix(20))")
            }
        }
    }

    @Test func ordinaryFiguresAreUnchanged() {
        #expect(quantities("面积１７.２万平方米").first?.normalized == "172000 平方米")
        #expect(quantities("共９００７１９９２５４７４０９９３人").first?.normalized == "9007199254740993 人")
        #expect(quantities("增长２.５%").first?.normalized == "2.5 %")
    }
}
