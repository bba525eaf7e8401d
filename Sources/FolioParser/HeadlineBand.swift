/// Headlines read in a band before the texts under them (`pdftotext`'s default order).
///
/// The extractor reads the headlines of modules set side by side one after another, each a
/// block of its own, and then the text under the first of them: on the dev split of the PDF
/// bed, the text read right after such a band was the first headline's every time (the other
/// headlines' texts come later and open with their own datelines). Without this the text went
/// to the band's last headline and the first kept none.
enum HeadlineBand {
    /// Most headlines weighed in one band.
    static let maxBand = 4

    /// The band's first story when `current` is a later headline of a band still waiting for
    /// its text; nil otherwise.
    static func first(of articles: [DraftArticle], current: DraftArticle?) -> DraftArticle? {
        guard let current, articles.last === current, isBare(current) else { return nil }
        var k = articles.count - 1
        while k > 0, articles.count - k < maxBand, isBare(articles[k - 1]),
              articles[k - 1].sectionIndex == current.sectionIndex {
            k -= 1
        }
        return k < articles.count - 1 ? articles[k] : nil
    }

    /// A headline and nothing else: no text, dateline, subtitle, author, caption or lead box.
    static func isBare(_ a: DraftArticle) -> Bool {
        !a.headline.isEmpty && !a.hasText && a.dateline == nil && a.subtitle.isEmpty && a.bylines.isEmpty
            && a.captions.isEmpty && !a.closed && !a.inLead && a.body.isEmpty
    }
}
