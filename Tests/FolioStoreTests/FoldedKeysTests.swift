import FolioIndex
import Testing
@testable import FolioStore

/// `FoldedKeys.sortedUnique` gives exactly what `Set(keys).sorted()` gives: the same keys, in the
/// same order, each with the same bytes (of canonically equal keys, the first given).
struct FoldedKeysTests {
    /// Keys of every kind: ASCII, ideographs (plain), and keys Swift compares through their NFC
    /// form: a compatibility ideograph equal to a plain one (U+F900 = U+8C48), a decomposed and a
    /// precomposed é, kana with a combining voiced mark, full-width letters, Hangul, emoji.
    static let pool: [String] = [
        "a", "ab", "abc", "B", "中国", "中国人", "中", "国", "李鹏", "北京市", "㐀", "䶵", "鿿", "一",
        "\u{F900}", "\u{8C48}", "\u{8C48}国", "\u{F900}国", "e\u{301}", "\u{E9}", "cafe\u{301}", "caf\u{E9}",
        "\u{304B}\u{3099}", "\u{304C}", "ＡＢ", "AB", "한국", "\u{1100}\u{1161}", "\u{AC00}", "😀", "中😀",
        "", " ", "新华社", "新华", "z", "〇", "、", "·",
    ]

    /// Whether String's order is a total order on `keys`: it is not on some decomposed strings
    /// (\u{304B}\u{3099} and \u{304C}\u{3400} are neither equal nor ordered either way; 가AB sorts
    /// before \u{1100}\u{1161}, which equals 가), and there `Set(keys).sorted()` itself depends on
    /// the set's order, which changes from run to run.
    static func isOrdered(_ keys: [String]) -> Bool {
        func atMost(_ a: String, _ b: String) -> Bool { a < b || a == b }
        for a in keys {
            for b in keys {
                guard (a < b ? 1 : 0) + (b < a ? 1 : 0) + (a == b ? 1 : 0) == 1 else { return false }
                for c in keys where atMost(a, b) && atMost(b, c) && !atMost(a, c) || a == b && b == c && a != c { return false }
            }
        }
        return true
    }

    @Test func matchesASortedSet() {
        var generator = SystemRandomNumberGenerator()
        var compared = 0
        for round in 0..<500 {
            let count = round % 30
            let keys = (0..<count).map { _ in
                let a = Self.pool.randomElement(using: &generator)!
                return Bool.random(using: &generator) ? a : a + Self.pool.randomElement(using: &generator)!
            }
            guard Self.isOrdered(keys) else { continue }
            compared += 1
            let expected = Set(keys).sorted()
            let got = FoldedKeys.sortedUnique(keys)
            #expect(got.map { Array($0.utf8) } == expected.map { Array($0.utf8) }, "keys \(keys)")
        }
        #expect(compared > 150)
    }

    /// Keys of ASCII and ideographs only (the byte path), with many repeats.
    @Test func plainKeysMatchASortedSet() {
        let plain = Self.pool.filter { NFCQuickCheck.isNFC($0) }
        #expect(plain.count > 15)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<2000 {
            let keys = (0..<(round % 60)).map { _ in
                plain.randomElement(using: &generator)! + (Bool.random(using: &generator) ? "" : plain.randomElement(using: &generator)!)
            }
            #expect(FoldedKeys.sortedUnique(keys).map { Array($0.utf8) } == Set(keys).sorted().map { Array($0.utf8) }, "keys \(keys)")
        }
    }

    @Test func canonicallyEqualKeysKeepTheFirstGiven() {
        #expect(FoldedKeys.sortedUnique(["\u{F900}", "\u{8C48}"]).map { Array($0.utf8) } == [Array("\u{F900}".utf8)])
        #expect(FoldedKeys.sortedUnique(["\u{8C48}", "\u{F900}"]).map { Array($0.utf8) } == [Array("\u{8C48}".utf8)])
    }

    @Test func plainKeys() {
        #expect(NFCQuickCheck.isNFC("abc中国㐀鿿、（）é"))
        #expect(!NFCQuickCheck.isNFC("\u{F900}"))
        #expect(!NFCQuickCheck.isNFC("\u{2126}"))
        #expect(!NFCQuickCheck.isNFC("e\u{301}"))
        #expect(!NFCQuickCheck.isNFC("😀"))
    }
}
