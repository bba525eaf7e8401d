import Foundation
import Testing
@testable import FolioIndex

@Suite struct StringInternerTests {
    @Test func idsFollowFirstAppearance() {
        var interner = StringInterner()
        #expect(interner.intern("经济") == 0)
        #expect(interner.intern("page-7") == 1)
        #expect(interner.intern("经济") == 0)
        #expect(interner.intern("") == 2)
        #expect(interner.strings == ["经济", "page-7", ""])
        #expect(interner.id(of: "page-7") == 1)
        #expect(interner.id(of: "文化") == nil)
        #expect(interner.string(0) == "经济")
    }

    /// One id per string that `String` calls equal, whichever normalization form comes first.
    @Test func canonicallyEquivalentStringsShareAnId() {
        var interner = StringInterner()
        let decomposed = "Jose\u{301} 与张三"
        let composed = "Jos\u{E9} 与张三"
        #expect(decomposed == composed)
        let id = interner.intern(decomposed)
        #expect(interner.intern(composed) == id)
        #expect(interner.id(of: composed) == id)
        #expect(interner.strings == [decomposed])
        // Hangul written as jamo and as a syllable; a compatibility ideograph and its unified form.
        #expect(interner.intern("\u{1112}\u{1161}\u{11AB}") == interner.intern("\u{D55C}"))
        #expect(interner.intern("\u{F900}") == interner.intern("\u{8C48}"))
        #expect(interner.count == 3)
    }

    @Test func stringsThatDifferStayApart() {
        var interner = StringInterner()
        let texts = ["北京", "北京市", "北", "Beijing", "beijing", "ＡＢＣ", "ABC", "——", "一·二", "e\u{301}", "e"]
        let ids = texts.map { interner.intern($0) }
        #expect(ids == (0..<UInt32(texts.count)).map { $0 })
        for (text, id) in zip(texts, ids) { #expect(interner.id(of: text) == id) }
    }

    @Test func quickCheckAgreesWithNormalization() {
        let samples = ["锦州港", "Ｆｏｌｉｏ", "“引号”——", "ABC 123", "ü", "u\u{308}", "が", "か\u{3099}", "한", "\u{2000}",
                       "\u{F900}", "𠀀", "〇〡\u{302A}", "Ω", "\u{2126}"]
        for sample in samples where NFCQuickCheck.isNFC(sample) {
            #expect(Array(sample.utf8) == Array(sample.precomposedStringWithCanonicalMapping.utf8), "\(sample)")
        }
        #expect(NFCQuickCheck.isNFC("锦州港与“Ｆｏｌｉｏ”——2024年"))
        #expect(!NFCQuickCheck.isNFC("u\u{308}"))
        #expect(!NFCQuickCheck.isNFC("\u{2126}"))
    }

    @Test func indexingKeepsEachStringsPlace() {
        let interner = StringInterner(indexing: ["甲", "乙", "丙"])
        #expect(interner.id(of: "乙") == 1)
        #expect(interner.id(of: "丁") == nil)
        #expect(interner.strings == ["甲", "乙", "丙"])
    }

    @Test func manyStringsKeepTheirIds() {
        var interner = StringInterner()
        let texts = (0..<50_000).map { "记者\($0)号" + String(repeating: "京", count: $0 % 7) }
        for (index, text) in texts.enumerated() { #expect(interner.intern(text) == UInt32(index)) }
        var mismatches = 0
        for (index, text) in texts.enumerated() where interner.id(of: text) != UInt32(index) || interner.intern(text) != UInt32(index) {
            mismatches += 1
        }
        #expect(mismatches == 0)
        #expect(interner.count == texts.count)
        #expect(interner.id(of: "记者50000号") == nil)
    }

    @Test func indexingFindsTheLastOfEqualStrings() {
        let interner = StringInterner(indexing: ["e\u{301}", "甲", "\u{E9}"])
        #expect(interner.id(of: "\u{E9}") == 2)
        #expect(interner.id(of: "甲") == 1)
    }
}
