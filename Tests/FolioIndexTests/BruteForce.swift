import FolioModel
@testable import FolioIndex

/// The reference the index is checked against: a linear scan of each article's folded text with
/// plain substring search (letters and digits are matched inside longer runs too, as a scan does).
struct BruteForce {
    struct Doc {
        var id: String
        var pageID: String
        var text: String  // folded fields joined by "\n"
        var section: String
        var date: String
        var authors: [String]
        var entities: Set<String>
    }

    let docs: [Doc]

    init(_ articles: [Folio_V1_Article]) {
        docs = articles.map { article in
            let fields = [article.headline, article.subtitle] + (article.lead + article.body).map(\.text)
                + article.captions.map(\.text) + [article.bylines.map(\.name).joined(separator: " "), article.kicker,
                                                    ([article.dateline.text] + article.dateline.reporters).joined(separator: " ")]
                + article.captions.map(\.credit)
            let text = fields.map { IndexFold.shared.fold($0) }.joined(separator: "\n")
            return Doc(id: article.id, pageID: article.pageID, text: text,
                       section: IndexFold.shared.fold(article.section), date: article.date,
                       authors: article.bylines.map { IndexFold.shared.fold($0.name) },
                       entities: Set(article.entities.map { IndexFold.shared.fold($0.normalized.isEmpty ? $0.text : $0.normalized) }))
        }
    }

    /// One query atom: a run of text, found anywhere (substring).
    enum Atom {
        case run(String)

        func matches(_ doc: Doc) -> Bool {
            switch self {
            case .run(let text): return doc.text.contains(IndexFold.shared.fold(text))
            }
        }
    }

    func ids(where predicate: (Doc) -> Bool) -> Set<String> {
        Set(docs.filter(predicate).map(\.id))
    }
}
