import FolioText

/// A subtitle (`——…`) set over two lines: its rest is a bare title, clearly shorter (a title's
/// last line is the short one; the first line of the text under it is as wide as the text's
/// column), with a word across the break (a Han glyph on each side: a closed title or quote
/// ends the subtitle). (The caller rules out a name under it, its author,
/// and lines that stand alone.)
extension Reflow {
    /// The rest of a wrapped subtitle is at most this share of its first line's width.
    static let subtitleRestShare = 0.75

    static func wrappedSubtitle(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], width wa: Double, next wb: Double,
                                model: BigramModel) -> Bool {
        guard a.count >= 4, a[0] == "—", a[1] == "—", let last = a.last, CharacterClass.isHan(last),
              b.count >= 2, b.first?.mark != "—", wb <= wa * subtitleRestShare else { return false }
        guard !a.contains(where: { CharacterClass.isSentenceEnd($0) }),
              !b.contains(where: { CharacterClass.isPunctuation($0) && !allowedInTitleOverText.contains($0.mark) && !ListItems.bullets.contains($0) })
        else { return false }
        return model.joinScore(tail: a[...], head: b[...]) >= titleJoinFloor
    }
}
