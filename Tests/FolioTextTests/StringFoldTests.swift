import FolioText
import Testing

/// `CharacterFold.fold(String)` is the per-scalar fold of every scalar, whatever the string holds.
@Suite struct StringFoldTests {
    static func scalarByScalar(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars { out.append(CharacterFold.shared.fold(s)) }
        return String(out)
    }

    @Test func foldsEveryScalar() {
        let fold = CharacterFold.shared
        #expect(fold.fold("錦州ＡＢｃ　X") == "锦州abc x")
        #expect(fold.fold("") == "")
        // Every BMP scalar (surrogates aside) in runs, and scalars beyond the BMP.
        var scalars = (0..<0x10000).compactMap { Unicode.Scalar(UInt32($0)) }
        scalars += [Unicode.Scalar(0x1F600)!, Unicode.Scalar(0x20000)!, Unicode.Scalar(0x10FFFF)!]
        var start = 0
        while start < scalars.count {
            let run = String(String.UnicodeScalarView(scalars[start..<min(scalars.count, start + 97)]))
            let folded = fold.fold(run)
            #expect(Array(folded.utf8) == Array(Self.scalarByScalar(run).utf8))
            start += 97
        }
        for text in ["e\u{301}", "\u{304B}\u{3099}", "中😀Ａ", "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ", "體育館"] {
            #expect(Array(fold.fold(text).utf8) == Array(Self.scalarByScalar(text).utf8))
        }
    }
}
