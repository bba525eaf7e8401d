import FolioText

/// A kicker (引题) read right under the text above it (`-raw` reads modules one after the
/// other): a bare title ending in a dash pair (`某某研究所副所长某某——`) is never the rest of
/// that text. Prose broken at a dash keeps its punctuation, so it does not look like this.
extension Reflow {
    static func bareKicker(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 6, s[s.count - 1].mark == "—", s[s.count - 2].mark == "—", s[0].mark != "—" else { return false }
        let text = s.prefix { $0.mark != "—" }
        guard text.count >= 4, text.count + 3 >= s.count - 1 else { return false }
        return !text.contains { CharacterClass.isPunctuation($0) && !allowedInTitleOverText.contains($0.mark) }
    }
}

extension Reflow {
    /// Glyphs at the start of the next line searched for a comma or a full stop.
    static let proseAfterDashReach = 12

    /// A line ending in a dash, then a line that goes on with a clause (`某某的明珠———` over
    /// `科威特，其富庶…`, `享誉世界的体操王子；…`): prose broken after a dash, not a kicker (a
    /// kicker stands over a headline, which has no comma, stop or semicolon).
    static let clauseMarks: Set<Unicode.Scalar> = ["，", "。", "；", "！", "？"]
    static func proseAfterDash(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        guard a.count >= 6, a[a.count - 1] == "—", a[a.count - 2] == "—", a[0] != "—",
              let first = b.first, !CharacterClass.isPunctuation(first) else { return false }
        return b.prefix(proseAfterDashReach).contains { clauseMarks.contains($0.mark) || $0 == "," }
    }
}
