import FolioModel
@testable import FolioIndex

/// The reference the index is checked against: a linear scan of each article's folded text with
/// plain substring search (CJK runs) and a word scan written independently of the analyzer.
struct BruteForce {
    struct Doc {
        var id: String
        var pageID: String
        var text: String  // folded fields joined by "\n"
        var words: Set<String>
        var section: String
        var date: String
        var authors: [String]
        var entities: Set<String>
    }

    let docs: [Doc]

    init(_ articles: [Folio_V1_Article]) {
        docs = articles.map { article in
            let fields = [article.headline, article.subtitle] + (article.lead + article.body).map(\.text)
                + article.captions.map(\.text) + [article.bylines.map(\.name).joined(separator: " ")]
            let text = fields.map { IndexFold.shared.fold($0) }.joined(separator: "\n")
            return Doc(id: article.id, pageID: article.pageID, text: text, words: Self.words(text),
                       section: IndexFold.shared.fold(article.section), date: article.date,
                       authors: article.bylines.map { IndexFold.shared.fold($0.name) },
                       entities: Set(article.entities.map { IndexFold.shared.fold($0.normalized.isEmpty ? $0.text : $0.normalized) }))
        }
    }

    /// Maximal runs of letters and digits that are not CJK.
    static func words(_ text: String) -> Set<String> {
        var result: Set<String> = []
        var current = ""
        for character in text {
            let scalar = character.unicodeScalars.first!
            let cjk = IndexFold.isHan(scalar.value) || (0x3041...0x30FF).contains(scalar.value)
                || (0xAC00...0xD7AF).contains(scalar.value)
            if !cjk && (character.isLetter || character.isNumber) {
                current.append(character)
            } else if !current.isEmpty {
                result.insert(current)
                current = ""
            }
        }
        if !current.isEmpty { result.insert(current) }
        return result
    }

    /// One query atom: a CJK run (substring) or a word (whole word).
    enum Atom {
        case run(String)
        case word(String)

        func matches(_ doc: Doc) -> Bool {
            switch self {
            case .run(let text): return doc.text.contains(IndexFold.shared.fold(text))
            case .word(let word): return doc.words.contains(IndexFold.shared.fold(word))
            }
        }
    }

    func ids(where predicate: (Doc) -> Bool) -> Set<String> {
        Set(docs.filter(predicate).map(\.id))
    }
}
