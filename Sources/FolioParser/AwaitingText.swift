/// On extractor output, an author line read right after an item that is closed (a picture item,
/// a story that jumps to another page) belongs to a story read shortly before whose text has not
/// come yet, not to the closed item.
///
/// `pdftotext`'s default order reads a headline (and its 核心提示 box) set across a module, then
/// what stands beside it (picture items), then the byline and text under the headline. The byline
/// went to the picture item read last, and the text under it opened a story of its own.
enum AwaitingText {
    /// The latest of `recent` with a headline and nothing of its body yet: no paragraph, dateline,
    /// author or caption, not closed. A lead box under the headline is allowed.
    static func story<Recent: BidirectionalCollection<DraftArticle>>(in recent: Recent) -> DraftArticle? {
        recent.last { a in
            !a.headline.isEmpty && a.body.isEmpty && a.dateline == nil && a.bylines.isEmpty
                && a.captions.isEmpty && !a.closed
        }
    }
}
