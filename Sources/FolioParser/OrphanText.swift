/// Body text left without a story on extractor output goes on in the story read before it.
///
/// `pdftotext` reads a story's columns out of order, so text whose start the re-flow could not
/// place (a paragraph opening a column, no headline, dateline or author above it) came out as
/// an article of its own with no headline. On a newspaper page every text is some story's, and
/// a story's columns are read after its start: the nearest story before it is the best guess
/// (on the PDF bed's dev split, text-only articles are the commonest leftover of default mode).
/// Kept apart: text with subheadings (a long story whose headline was lost), text that reads
/// like a caption (it would swell a story's body with a picture's words).
enum OrphanText {
    static func attach(_ articles: [DraftArticle]) -> [DraftArticle] {
        var kept: [DraftArticle] = []
        kept.reserveCapacity(articles.count)
        for a in articles {
            if let owner = kept.last, !owner.headline.isEmpty, isOrphan(a) {
                for block in a.body { owner.appendBody(block) }
                owner.touch(a.firstLine)
                owner.touch(a.lastLine)
                owner.diagnostics += a.diagnostics
                continue
            }
            kept.append(a)
        }
        return kept
    }

    /// Paragraphs only, and nothing of a story's own: no headline, kicker, subtitle, author,
    /// dateline, lead or caption.
    static func isOrphan(_ a: DraftArticle) -> Bool {
        guard CutParagraphs.isBareText(a), !a.body.isEmpty else { return false }
        return a.body.allSatisfy { $0.kind == .paragraph && !readsLikeCaption($0.scalars) }
    }

    /// A photo's credit or source at the end (`（某某摄）`, `（传真照片）`), or words saying what a
    /// picture shows (`图为…`).
    static func readsLikeCaption(_ s: [Unicode.Scalar]) -> Bool {
        if PageFurniture.endsWithPhotoSource(s) || PictureCaptions.showsPicture(s) || PageFurniture.isPictureOnlyTitle(s) { return true }
        guard let last = s.last, last == "）" || last == ")" else { return false }
        return s.suffix(24).contains { $0 == "摄" || $0 == "攝" }
    }
}
