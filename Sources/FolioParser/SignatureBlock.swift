import FolioText

/// The signature under a decree or a letter: the signer (`总理某某`) over a bare date
/// (`１９９８年１月７日`). It closes the text above; the text goes on under it (the decree's body),
/// so neither line is a headline.
enum SignatureBlock {
    static let signerMax = 12

    /// `１９９８年１月７日`, `一九九八年一月七日`: a date and nothing else.
    static func isBareDate(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 6, s.count <= 12, s.last == "日" else { return false }
        var part = 0, digits = 0
        for c in s {
            if isNumeral(c) { digits += 1; continue }
            let mark: Unicode.Scalar = part == 0 ? "年" : part == 1 ? "月" : "日"
            guard c == mark, digits >= (part == 0 ? 2 : 1), digits <= 4 else { return false }
            part += 1
            digits = 0
        }
        return part == 3
    }

    /// A short line of glyphs only (the signer) right over a bare date, or the date itself.
    static func belongs(_ s: [Unicode.Scalar], next: [Unicode.Scalar]?) -> Bool {
        if isBareDate(s) { return true }
        guard s.count >= 3, s.count <= signerMax, s.allSatisfy({ CharacterClass.isHan($0) || CharacterClass.isNameDot($0) }),
              let next else { return false }
        return isBareDate(next)
    }

    private static func isNumeral(_ c: Unicode.Scalar) -> Bool {
        CharacterClass.isDigit(c) || "〇零一二三四五六七八九十".unicodeScalars.contains(c)
    }
}
