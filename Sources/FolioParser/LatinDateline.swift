import FolioModel
import FolioText

/// Datelines of English wire copy on a bilingual page: `BEIJING, Jan. 5 (Xinhua) -- China will…`,
/// `LONDON, January 5 (Reuters) - `, `WASHINGTON (AP) — `, `GUANGZHOU, Jan 6 -- `. The place in
/// capitals, then a date, an agency in brackets or both, then a dash.
enum LatinDateline {
    static let placeMax = 30

    /// A dateline at the start of `s`, or nil. Asked of every line that opens with a capital.
    static func parse(_ s: [Unicode.Scalar], line: UInt32, pageDate: String?) -> DatelineParser.Match? {
        var k = 0
        // The place: capitals, spaces, dots, hyphens and apostrophes (`ST. PETERSBURG`, `N'DJAMENA`).
        while k < s.count, k < placeMax, isPlaceGlyph(s[k]) { k += 1 }
        var placeEnd = k
        while placeEnd > 0, s[placeEnd - 1] == " " { placeEnd -= 1 }
        guard placeEnd >= 2, s[0..<placeEnd].filter(LatinNames.isUpper).count >= 2 else { return nil }
        var d = Folio_V1_Dateline()
        d.line = line
        d.place = String(String.UnicodeScalarView(s[0..<placeEnd]))
        if k < s.count, s[k] == "," {
            guard let (month, day, end) = date(s, from: k + 1) else { return nil }
            d.date = String(String.UnicodeScalarView(SourceLines.trim(Array(s[(k + 1)..<end]))))
            if let iso = DatelineParser.resolve(month: month, day: day, pageDate: pageDate) { d.normalizedDate = iso }
            k = end
        }
        while k < s.count, s[k] == " " { k += 1 }
        if k < s.count, s[k] == "(", let close = s[k...].prefix(24).firstIndex(of: ")"),
           close > k + 1, s[(k + 1)..<close].allSatisfy({ LatinNames.isLetter($0) || $0 == " " || $0 == "-" }) {
            d.agency = String(String.UnicodeScalarView(s[(k + 1)..<close]))
            k = close + 1
        }
        guard !d.date.isEmpty || !d.agency.isEmpty else { return nil }
        while k < s.count, s[k] == " " { k += 1 }
        // The dash: `--`, `-`, an en or em dash, and the text after a space.
        let dashStart = k
        while k < s.count, k - dashStart < 2, s[k] == "-" || s[k] == "—" || s[k] == "–" { k += 1 }
        guard k > dashStart, k < s.count, s[k] == " " else { return nil }
        while k < s.count, CharacterClass.isSpace(s[k]) { k += 1 }
        guard k < s.count else { return nil }
        d.text = String(String.UnicodeScalarView(SourceLines.trim(Array(s[0..<k]))))
        return DatelineParser.Match(dateline: d, length: k)
    }

    private static func isPlaceGlyph(_ c: Unicode.Scalar) -> Bool {
        LatinNames.isUpper(c) || c == " " || c == "." || c == "-" || c == "'"
    }

    /// ` Jan. 5`, ` January 5`, ` Sept 30` from `i`: month (1…12), day, and where it ends.
    private static func date(_ s: [Unicode.Scalar], from i: Int) -> (Int, Int, Int)? {
        var k = i
        while k < s.count, s[k] == " " { k += 1 }
        let wordStart = k
        while k < s.count, LatinNames.isLetter(s[k]), k - wordStart < 9 { k += 1 }
        guard let month = EnglishMonths.number(of: String(String.UnicodeScalarView(s[wordStart..<k]))) else { return nil }
        if k < s.count, s[k] == "." { k += 1 }
        guard k < s.count, s[k] == " " else { return nil }
        k += 1
        var day = 0, digits = 0
        while k < s.count, digits < 2, let v = CharacterClass.digitValue(s[k]), s[k].isASCII { day = day * 10 + v; digits += 1; k += 1 }
        guard digits > 0, (1...31).contains(day), k >= s.count || !LatinNames.isLetter(s[k]) && CharacterClass.digitValue(s[k]) == nil else { return nil }
        return (month, day, k)
    }
}
