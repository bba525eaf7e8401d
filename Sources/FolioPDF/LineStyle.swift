/// What a line is, told from its type against the page's body type and from where it sits.
enum LineStyle: Equatable, Sendable {
    case headline      // display type
    case deck          // a size between body and headline: kicker (…——) or subtitle (——…)
    case rubric        // ■ column name
    case byline        // heavy type a little smaller than the body
    case subheading    // heavy type at body size
    case body
    case caption       // light type smaller than the body
    case pictureLabel  // heavy small type: a place label under a photo of a series
    case flushRight    // a body-size line set against the right edge: a trailing byline or a jump line

    /// Ratios of a line's size to the body size that separate the styles.
    static let headlineRatio = 1.25
    static let deckRatio = 1.08
    static let smallRatio = 0.975
    static let labelRatio = 0.925
    /// The longest reversed line read as a section bar (a name and its pinyin).
    static let rubricBarGlyphs = 24

    /// A section's name after a ■, or a few words reversed out of a dark bar over a module.
    static func isRubricBar(_ line: TextLine) -> Bool {
        let first = line.glyphs.first?.character
        return first == "■" || first == "□" || (line.light && line.glyphs.count <= rubricBarGlyphs)
    }

    static func of(_ placed: PlacedLine, bodySize pageBody: Double) -> LineStyle {
        let line = placed.line
        let bodySize = placed.textSize ?? pageBody
        let ratio = line.size / bodySize
        if isRubricBar(line) { return .rubric }
        if ratio >= headlineRatio { return .headline }
        if ratio >= deckRatio { return line.heavy ? .headline : .deck }
        if line.heavy {
            if ratio < labelRatio { return .pictureLabel }
            return ratio < smallRatio ? .byline : .subheading
        }
        if ratio < smallRatio { return .caption }
        let em = bodySize
        if line.x0 - placed.columnLeft > 2.5 * em, placed.columnRight - line.x1 < 0.5 * em { return .flushRight }
        return .body
    }
}
