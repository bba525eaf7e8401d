/// A picture's title set right under the headline of a story read elsewhere, its caption after it
/// (`災後第一頓熱飯` / `八達嶺隧道建成` / `…八達嶺隧道近日建成…（成海忠攝）`): the caption speaks of
/// the title and not of the line above, so the two lines are not one wrapped headline.
enum CaptionTitle {
    /// Visual lines read for the caption, up to its photo credit.
    static let captionLines = 6

    /// `title` shares at least two pairs of characters with `caption`, and `above` none.
    static func titles(_ title: [Unicode.Scalar], caption: [Unicode.Scalar], apartFrom above: [Unicode.Scalar]) -> Bool {
        let words = HanPairs.of(Folded.of(caption))
        return HanPairs.of(Folded.of(title)).intersection(words).count >= HanPairs.leastShared
            && HanPairs.of(Folded.of(above)).isDisjoint(with: words)
    }

    /// The first of `lines` (at most `captionLines`) up to the one that ends with a photo credit
    /// (`（新华社记者某某摄）`), joined; nil when none does.
    static func caption(_ lines: ArraySlice<[Unicode.Scalar]>) -> [Unicode.Scalar]? {
        var text: [Unicode.Scalar] = []
        for line in lines.prefix(captionLines) {
            text += line
            if PeopleLines.captionCreditStart(text) != nil { return text }
        }
        return nil
    }
}
