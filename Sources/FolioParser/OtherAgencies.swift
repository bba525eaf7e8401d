import FolioText

/// Datelines of the other news agencies and news sites a paper prints copy from (`路透社伦敦１月５日电`,
/// `法新社巴黎`, `共同社东京`, `俄通社—塔斯社莫斯科`, `中新网北京`, `据美联社华盛顿…电`): a name of
/// 2–7 Han glyphs ending in 社 or 网, then a place and a date before 电 or 讯. Unlike 新华社 and
/// 本报, whose bare `新华社电` and `本报讯` are datelines too, these need the date: a line such as
/// `合作社社员…` opens no dateline.
enum OtherAgencies {
    static let longestName = 7
    /// Glyphs after 电 that make it a word, not a wire's sign (电话, 电视, 电力 …), and after 讯 (讯问).
    static let wordAfterWire: Set<Unicode.Scalar> = Set("话视脑影力台子厂网器源报缆梯池站机线费压流气车码邮讯问息".unicodeScalars)

    /// Scalars of the agency's name at the start of `s` (with a leading 据), nil when none opens it.
    static func nameLength(_ s: [Unicode.Scalar]) -> Int? {
        var k = 0
        if let first = s.first, Folded.fold.fold(first) == "据" { k = 1 }
        guard let end = name(s, from: k) else { return nil }
        // Two agencies' joint copy: 俄通社—塔斯社.
        if end + 1 < s.count, isDash(s[end]), let second = name(s, from: end + 1) { return second }
        return end
    }

    /// The end of a 2–7 glyph Han name ending in 社 or 网 from `start`.
    private static func name(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var k = start
        while k < s.count, k - start < longestName {
            let c = Folded.fold.fold(s[k])
            if k > start, c == "社" || c == "网" { return k + 1 }  // asked of every text line: no hashing
            guard CharacterClass.isHan(c) else { return nil }
            k += 1
        }
        return nil
    }

    private static func isDash(_ c: Unicode.Scalar) -> Bool {
        c == "—" || c == "-" || c == "－" || c == "―" || c == "–"
    }

    /// Folded `f[i..<j]` holds a date (a place may stand before it) and `f[j]` (电 or 讯) is no
    /// word's first glyph.
    static func placeAndDate(_ f: [Unicode.Scalar], _ i: Int, _ j: Int) -> Bool {
        guard j > i, (i..<j).contains(where: { DatelineParser.opensDate(f, at: $0) }) else { return false }
        return j + 1 >= f.count || !wordAfterWire.contains(f[j + 1])
    }
}
