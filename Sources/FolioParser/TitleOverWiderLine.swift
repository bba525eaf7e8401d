import FolioText

/// A bare title (no punctuation but quotes, 、 and ·) right over a clearly wider line: the
/// title of a picture item over its caption, or a headline over its text. A paragraph's inner
/// lines are its widest (only its first line is short, by the indent), so the title is not a
/// paragraph line running on, whatever the column width around it says.
extension Reflow {
    /// More than an indent wider: the next line is not the rest of a paragraph opened here.
    static let widerThanTitle = 3.6

    static func titleOverWiderLine(_ a: [Unicode.Scalar], width wa: Double, next wb: Double) -> Bool {
        guard wb > wa + widerThanTitle, wa <= titleMaxWidth, a.count >= 2 else { return false }
        return !a.contains { CharacterClass.isPunctuation($0) && !allowedInTitleOverText.contains($0.mark) }
    }

    static let allowedInTitleOverText: Set<Unicode.Scalar> = ["“", "”", "『", "』", "《", "》", "、", "·", "．", "％"]
}
