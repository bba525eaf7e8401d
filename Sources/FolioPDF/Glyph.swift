/// One character placed on a page, in PDF points with y growing downwards.
struct Glyph: Sendable {
    var character: Character
    var x0: Double
    var y0: Double
    var x1: Double
    var y1: Double
    /// The font size poppler reports for the glyph's text run.
    var size: Double
    /// A sans/gothic/bold face: headlines, bylines, subheadings and rubrics use one in print.
    var heavy: Bool
    /// Near-white: reversed out of a dark bar or box.
    var light = false
    /// Poppler's text put a word space (not a line break) right before the glyph: a gap inside
    /// the line, such as an ideographic space in a byline, not a gutter.
    var spaceBefore = false
    /// Poppler's text broke its line right before the glyph: on the row of the glyph before, a
    /// piece of one line it read apart (a caption's credit after an ideographic space), or a gutter.
    var breakBefore = false
    /// The face's weight class (`FontFace.weight`): 0 serif, 1 sans, 2 bold.
    var weight: UInt8 = 0

    var centerY: Double { (y0 + y1) / 2 }

    /// A full-width closing mark (，。、… ” 》) inks only the left half of its box.
    var isClosingMark: Bool { TextLine.closingMarks.contains(character) }

    /// The right edge of the glyph's ink: a closing mark's box is half white.
    var inkX1: Double { isClosingMark ? x1 - 0.5 * max(size, 1) : x1 }
}

/// A rectangle on the page (an image box), y growing downwards.
struct Box: Sendable {
    var x0: Double
    var y0: Double
    var x1: Double
    var y1: Double
}

/// What poppler gives for one page: its glyphs in content order, its image boxes and its label.
struct PDFPageContent: Sendable {
    var label: String
    var width: Double
    var height: Double
    var glyphs: [Glyph]
    var images: [Box]
}
