import Foundation
import Testing
@testable import FolioIndex

/// The cold start's shortcuts answer as the general paths they stand in for.
struct ColdStartShortcutTests {
    @Test func foldAndClassIsTheFoldThenItsClass() {
        let fold = IndexFold.shared
        let wide: [UInt32] = [0x1_0000, 0x1_F600, 0x2_0000, 0x2_A6D6, 0x2_F800, 0x2_FA1D, 0xE_0100, 0xE_01EF, 0x10_FFFF]
        let mismatches = (UInt32(0)..<0x1_0000).filter { value in
            let (folded, charClass) = fold.foldAndClass(value)
            return folded != fold.foldValue(value) || charClass != fold.charClass(ofFolded: fold.foldValue(value))
        } + wide.filter { value in
            let (folded, charClass) = fold.foldAndClass(value)
            return folded != fold.foldValue(value) || charClass != fold.charClass(ofFolded: fold.foldValue(value))
        }
        #expect(mismatches.isEmpty)
    }

    @Test func containsAnswersAsFoundation() {
        let texts = ["新华社北京１月５日电 记者 张三", "本报记者李四、王五", "（记者 赵六）", "abc def", "", "café",
                     "cafe\u{301}", "e\u{301}", "한국 기자", "が", "か\u{3099}", "Ａ·Ｂ", "國家", "a\u{200D}b"]
        let parts = ["张三", "李四", "王五王", "记者", "赵六", "abc", "c d", "", "é", "e", "e\u{301}", "café", "기자",
                     "か", "が", "·", "国家", "a", "ab", "新华社北京１月５日电 记者 张三 "]
        for text in texts {
            for part in parts {
                #expect(foundationContains(text, part) == text.contains(part), "\(text) ⊃ \(part)")
            }
        }
    }

    @Test func scalarCountIsTheScalars() {
        for text in ["", "a", "江泽民", "Ａ·Ｂ", "𠀀𠀁", "e\u{301}", "新华社北京１月５日电"] {
            #expect(scalarCount(text) == text.unicodeScalars.count)
        }
    }

    @Test func foldedNameAnswersAsTheScalarWalk() {
        func walked(_ text: String) -> String {
            var out = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                let folded = IndexFold.shared.fold(scalar)
                if !isWhitespace(folded) && !IndexFold.isIgnorable(folded.value) { out.append(folded) }
            }
            return String(out)
        }
        for text in ["江泽民", "江 泽民", "ＡＢＣ", "國家", "邊\u{E0101}國雄", "", "Müller", "新华社", "2 个"] {
            #expect(foldedName(text) == walked(text), "\(text)")
        }
        #expect(foldedName("江 泽民") == "江泽民")
    }
}
