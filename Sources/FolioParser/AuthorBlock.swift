import FolioText

/// A line of bare names standing in an extractor block of its own, with prose after it, is a
/// story's author line: it is never a headline.
///
/// `pdftotext`'s default order gives a byline set apart from its headline (under a headline that
/// spans the columns, over the first column of text) a block of its own, and may read the headline
/// much earlier, with other stories between. Read as a title, the name (`某某某`) became the
/// headline of the story's text and its real headline was left bare. A headline is no person's
/// name alone; the text under the name is the story of a headline still waiting for its text,
/// or one the pairing of headlines with texts (`OrphanHeadlines`) gives it.
///
/// A place's name reads like a person's (`安徽省`, `德国`: the labels of a photo series read away
/// from their caption): a name with a province in it, an administrative suffix, or two glyphs
/// ending in 国 (a country) is no author.
enum AuthorBlock {
    static func opensText(_ names: SourceBlock, next: SourceBlock, nextIsProse: Bool) -> Bool {
        names.gapBefore > 0 && next.gapBefore > 0 && nextIsProse && !namesPlace(names.scalars)
    }

    static let country = Folded.scalars("国")[0]

    /// Whether any of the line's words is a place's name rather than a person's.
    static func namesPlace(_ s: [Unicode.Scalar]) -> Bool {
        let words = s.split { CharacterClass.isSpace($0) || $0 == "、" }.map { Folded.of(Array($0)) }
        // 崔 治: glyphs spaced out are one name.
        if words.count >= 2 && words.allSatisfy({ $0.count == 1 }) { return false }
        return words.contains { w in
            guard let last = w.last else { return false }
            return PeopleLines.placeEnds.contains(last) || (w.count == 2 && last == country)
                || PeopleLines.provinces.contains { Folded.has(w, $0) }
        }
    }
}
