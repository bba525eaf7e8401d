/// A dateline read inside a story that has its own dateline already opens another story.
///
/// Extractors read a module's columns down the page before the column beside it, so a story's
/// text may come out after the next story's has begun; its headline was read earlier, with at
/// most a few fragments of other columns under it. A second wire dateline is seldom the same
/// story (a combined report quotes both, but then no headline is left waiting nearby): the
/// dateline and what follows it go to the most recent story left without a dateline.
enum SecondDateline {
    /// How many stories back the headline waiting for its text is looked for.
    static let lookBack = 6
    /// Most paragraphs (fragments read under it) a waiting story may hold already.
    static let maxParagraphs = 3

    /// The story whose text a dateline read inside `current` opens, if any.
    static func owner(in articles: [DraftArticle], current: DraftArticle?) -> DraftArticle? {
        guard let current, current.dateline != nil else { return nil }
        for a in articles.suffix(lookBack).reversed() where a !== current {
            guard !a.headline.isEmpty, a.dateline == nil, !a.closed, a.captions.isEmpty,
                  a.paragraphCount <= maxParagraphs, a.lead.isEmpty else { continue }
            return a
        }
        return nil
    }
}
