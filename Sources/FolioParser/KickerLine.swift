import FolioText

/// A kicker (引题) read right under the text above it (`-raw` reads modules one after the
/// other): a bare title ending in a dash pair (`某某研究所副所长某某——`) is never the rest of
/// that text. Prose broken at a dash keeps its punctuation, so it does not look like this.
extension Reflow {
    static func bareKicker(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 6, s[s.count - 1] == "—", s[s.count - 2] == "—", s[0] != "—" else { return false }
        let text = s.prefix { $0 != "—" }
        guard text.count >= 4, text.count + 3 >= s.count - 1 else { return false }
        return !text.contains { CharacterClass.isPunctuation($0) && !allowedInTitleOverText.contains($0) }
    }
}
