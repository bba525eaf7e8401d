import FolioText
import Foundation
import Testing

/// Characters that look like an ordinary ideograph but are other code points — Kangxi radicals and
/// radical supplement forms from PDF text layers, compatibility ideographs from Big5/HKSCS round
/// trips — and Simplified/Traditional pairs with a side outside the BMP fold with that ideograph,
/// one scalar for one scalar.
@Suite struct IdeographVariantFoldTests {
    let fold = CharacterFold.shared

    func folded(_ text: String) -> String { fold.fold(text) }

    @Test func kangxiRadicalsFoldToTheirIdeographs() {
        // ⾹ U+2FB9 = 香, ⽇ U+2F47 = 日, ⼈ U+2F08 = 人 (NFKC); ⾨ U+2FA8 = 門, then on to 门.
        #expect(folded("\u{2FB9}港特別行政區\u{2F47}前\u{2F08}民") == folded("香港特別行政區日前人民"))
        #expect(fold.fold(Unicode.Scalar(0x2FA8)!) == "门")
        // Every Kangxi radical folds to an ideograph, never to itself.
        for v in UInt32(0x2F00)...0x2FD5 {
            let to = fold.fold(value: v)
            #expect(to != v && ((0x3400...0x9FFF).contains(to) || to >= 0x20000), "U+\(String(v, radix: 16))")
        }
    }

    @Test func radicalSupplementFormsWithAPlainIdeographFoldToIt() {
        #expect(folded("\u{2EC4}\u{2EE5}") == folded("西魚"))  // ⻄ ⻥
        #expect(folded("\u{2E9F}") == folded("母"))  // NFKC
        #expect(folded("\u{2EF3}") == folded("龜"))  // ⻳ = 龟 (NFKC)
        #expect(fold.fold(value: 0x2E80) == 0x2E80)  // ⺀: no single ideograph, kept
    }

    @Test func compatibilityIdeographsFoldToTheirCanonicalForm() {
        #expect(folded("\u{F9DC}重") == folded("隆重"))  // U+F9DC ≡ 隆 U+9686
        #expect(folded("\u{F907}") == folded("龜"))  // U+F907 ≡ 龜, and on to 龟
        // Outside the BMP: U+2F80F ≡ 兔 (U+5154).
        #expect(fold.fold(value: 0x2F80F) == fold.fold(value: 0x5154))
        // Every one NFC maps to a single scalar folds with it.
        for v in UInt32(0xF900)...0xFAFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let canonical = String(s).precomposedStringWithCanonicalMapping.unicodeScalars
            guard canonical.count == 1, let to = canonical.first, to.value != v else { continue }
            #expect(fold.fold(value: v) == fold.fold(value: to.value), "U+\(String(v, radix: 16))")
        }
    }

    @Test func pairsWithASideOutsideTheBMPFoldTogether() {
        #expect(folded("趙孟頫") == folded("赵孟\u{2B5AF}"))  // 𫖯
        #expect(folded("鰊魚") == folded("\u{2CDA0}鱼"))  // 𬶠
        #expect(folded("\u{282E2}") == folded("䢂"))  // 𨋢, Hong Kong's "lift"
        // A BMP member is the folded form: BMP text keeps the 16-bit table and its UTF-8 length.
        for text in ["赵孟\u{2B5AF}", "\u{2CDA0}鱼", "\u{282E2}"] {
            #expect(folded(text).unicodeScalars.allSatisfy { $0.value < 0x10000 }, "\(text)")
            #expect(folded(text).unicodeScalars.count == text.unicodeScalars.count)
        }
        #expect(fold.widePairs.count > 500)
    }

    /// Scalars that no table maps still fold to themselves, in and out of the BMP.
    @Test func unmappedScalarsFoldToThemselves() {
        for v: UInt32 in [0x20000, 0x1F600, 0x10FFFF, 0xE0100, 0x4E2D] {
            #expect(fold.fold(value: v) == v)
        }
    }
}
