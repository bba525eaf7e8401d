import FolioText
import Testing

/// Vertical and small presentation forms of punctuation are classified as the marks they stand for.
@Suite struct PunctuationFormTests {
    @Test func formsStandForTheirMarks() {
        let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [("︰", "："), ("﹁", "「"), ("﹂", "」"), ("﹃", "『"), ("﹄", "』"),
                                                        ("︵", "（"), ("︶", "）"), ("︽", "《"), ("︾", "》"), ("︿", "〈"), ("﹀", "〉"),
                                                        ("︹", "〔"), ("︺", "〕"), ("︻", "【"), ("︼", "】"), ("︗", "〖"), ("︘", "〗"),
                                                        ("︐", "，"), ("︑", "、"), ("︒", "。"), ("︓", "："), ("︔", "；"), ("︕", "！"),
                                                        ("︖", "？"), ("︙", "…"), ("﹐", "，"), ("﹑", "、"), ("﹙", "（"), ("﹚", "）")]
        for (form, mark) in pairs {
            #expect(CharacterClass.horizontalForm(form) == mark, "\(form)")
            #expect(CharacterClass.isPunctuation(form), "\(form)")
            #expect(CharacterClass.isOpening(form) == CharacterClass.isOpening(mark), "\(form)")
            #expect(CharacterClass.isClosing(form) == CharacterClass.isClosing(mark), "\(form)")
            #expect(CharacterClass.isSentenceEnd(form) == CharacterClass.isSentenceEnd(mark), "\(form)")
            #expect(CharacterClass.cannotStartSentence(form) == CharacterClass.cannotStartSentence(mark), "\(form)")
        }
    }

    @Test func otherScalarsStayThemselves() {
        for s in ["林", "：", "a", "﹫", "︳", "\u{FE0F}"].map({ $0.unicodeScalars.first! }) {
            #expect(CharacterClass.horizontalForm(s) == s)
        }
        #expect(CharacterClass.endsSentence("我哋會繼續努力。﹂".unicodeScalars))
        #expect(CharacterClass.endsSentence("我哋會繼續努力︒﹂".unicodeScalars))
        #expect(!CharacterClass.endsSentence("他表示︰﹁".unicodeScalars))
    }
}
