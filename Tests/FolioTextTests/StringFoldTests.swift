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

/// Hong Kong standard forms fold like the Traditional and Simplified forms they stand for, so
/// that a query or a name in one script finds the others.
@Suite struct RegionalFormFoldTests {
    @Test func hongKongAndTaiwanFormsFoldToSimplified() {
        let fold = CharacterFold.shared
        #expect(fold.fold("聶衞平") == fold.fold("聂卫平"))
        #expect(fold.fold("衞生局") == fold.fold("衛生局"))
        #expect(fold.fold("敍述") == fold.fold("叙述"))
        // Taiwan's 著 for the particle 着: offered to search, not folded for the name tagger.
        #expect(fold.fold("著名") == "著名")
        #expect(fold.searchOnlyPairs.contains { $0 == ("著" as Unicode.Scalar).value && $1 == ("着" as Unicode.Scalar).value })
    }

    /// Every character folds to a fixed point of the fold: a form OpenCC's regional tables
    /// write back (抬 → 擡 in hk2s) never leaves two spellings that fold apart.
    @Test func foldIsIdempotent() {
        let fold = CharacterFold.shared
        for v in UInt32(0x3400)...0x9FFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let once = fold.fold(s)
            #expect(fold.fold(once) == once, "\(s) → \(once) → \(fold.fold(once))")
        }
        #expect(fold.fold("抬") == fold.fold("擡"))
    }
}
