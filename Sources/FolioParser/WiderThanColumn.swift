import FolioText

/// A line clearly wider than the column it follows is set in another measure: a caption set
/// across the columns, or a headline spanning its module. A paragraph's lines are never wider
/// than its column, so such a line neither continues a finished sentence nor, set as a bare
/// title over an indented first line, runs on into the text under it.
extension Reflow {
    /// Wider than the column by this much (full-width characters): another measure.
    static let otherMeasure = 2.0
    /// A bare title this much wider than the column spans it (a hanging stop never reaches it).
    static let titleOverColumn = 1.0

    /// After a full line ending a sentence: the next line is wider than the column.
    static func widerAfterSentence(nextWidth wb: Double, column: Double) -> Bool {
        wb >= column + otherMeasure
    }

    /// A bare title wider than the column over a line short by an indent: the headline over the
    /// first line of its text.
    static func titleWiderThanColumn(_ a: [Unicode.Scalar], width wa: Double, next wb: Double, column: Double) -> Bool {
        guard wa >= column + titleOverColumn, wa <= titleMaxWidth, a.count >= 4,
              wb <= column - 1.3, wb >= column - indentSlack else { return false }
        return !PageFurniture.withoutPictureNote(a).contains { CharacterClass.isPunctuation($0) && !allowedInTitleOverText.contains($0.mark) }
    }
}

extension Reflow {
    /// `…１９８５年的１．` over `２５億…`: a full stop after a digit at the line end is a decimal
    /// point cut by the line break, not a sentence end. (`in 1998.` ends an English sentence.)
    static func endsWithDecimalPoint(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 2, s[s.count - 1] == "．" || s[s.count - 1] == "." else { return false }
        return CharacterClass.isDigit(s[s.count - 2]) && !(s[s.count - 1] == "." && CharacterClass.endsLatinSentence(s))
    }
}
