import Testing
import FolioModel
import FolioEntities

/// 兆 as Taiwan and Hong Kong print it: 10^12 (新台幣2兆1000億元 is 2.1 trillion), read as a
/// multiplier only where it is a number; 兆瓦, 兆赫, 兆帕, 兆字节 (mega-) are units, no figures.
@Suite struct TrillionTests {
    func quantities(_ text: String) -> [(text: String, normalized: String, value: Double)] {
        EntityRecognizer.rules.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: "2024-01-05")
            .filter { $0.type == .quantity }.map { ($0.text, $0.normalized, $0.quantity.value) }
    }

    @Test func trillionsWithBillionsAreOneFigure() {
        let q = quantities("總預算案總額達新台幣2兆1000億元，另有兩兆元特別預算，共3兆元。")
        #expect(q.map(\.text) == ["2兆1000億元", "兩兆元", "3兆元"])
        #expect(q.map(\.value) == [2.1e12, 2e12, 3e12])
        #expect(q.map(\.normalized) == ["2100000000000 元", "2000000000000 元", "3000000000000 元"])
        #expect(quantities("总额达2兆1000亿元。").map(\.normalized) == ["2100000000000 元"])
        #expect(quantities("規模達兩兆五千億元。").map(\.value) == [2.5e12])
        #expect(quantities("全年虧損1.5兆美元，外資買超2兆多元。").map(\.value) == [1.5e12, 2e12])
    }

    @Test func megaUnitsAreNoTrillions() {
        for text in ["装机容量达3兆瓦。", "频率为5兆赫。", "压力为100兆帕。", "文件大小为2兆字节。", "两兆瓦的机组", "一兆赫"] {
            #expect(!quantities(text).contains { $0.value >= 1e12 }, "\(text)")
        }
        // The figure stops before 兆 where 兆 is no number: no mention is cut inside a figure.
        #expect(!quantities("3兆5千瓦").contains { $0.value >= 1e12 })
    }

    @Test func hugeTrillionFiguresStayExact() {
        // Beyond a double: the printed digits, no trap.
        let q = quantities("共1兆亿亿亿亿元。")
        #expect(q.map(\.normalized) == ["1" + String(repeating: "0", count: 44) + " 元"])
        _ = quantities(String(repeating: "9兆", count: 2000) + "元")
        _ = quantities("九兆" + String(repeating: "亿", count: 600) + "元")
    }
}
