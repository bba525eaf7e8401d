import FolioText

extension Unicode.Scalar {
    /// The punctuation mark this scalar stands for: a vertical or small presentation form
    /// (︰ ﹁ ﹂ ︵ ︶ ︽ ︾ ﹐ …) as the mark it is a form of (： 「 」 （ ） 《 》 ，), any other scalar as
    /// itself. The parser compares marks through it and keeps the text as printed: offsets never move.
    @inline(__always)
    var mark: Unicode.Scalar { CharacterClass.horizontalForm(self) }
}
