import FolioIndex
import FolioModel
import Foundation

/// Reads articles in the layout of `corpus/pfr1998/articles-01-20.jsonl` into `Folio_V1_Article`
/// values, for tests and benchmarks (the corpus itself never ships). `replica` > 0 gives every id a
/// suffix so that copies of the corpus are distinct articles.
public enum PFRCorpus {
    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func articles(jsonl path: String, replica: Int = 0) throws -> [Folio_V1_Article] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "cannot read \(path)")
        }
        var result: [Folio_V1_Article] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            result.append(article(from: object, replica: replica))
        }
        return result
    }

    /// Copies of `articles` with ids changed (`-r<replica>` suffix on article and page ids).
    public static func replicate(_ articles: [Folio_V1_Article], replica: Int) -> [Folio_V1_Article] {
        guard replica > 0 else { return articles }
        return articles.map { article in
            var copy = article
            copy.id = "\(article.id)-r\(replica)"
            copy.pageID = "\(article.pageID)-r\(replica)"
            return copy
        }
    }

    static func article(from object: [String: Any], replica: Int) -> Folio_V1_Article {
        let id = object["id"] as? String ?? ""
        let date = object["date"] as? String ?? ""
        let page = object["page"] as? Int ?? 0
        var paragraphs = object["paragraphs"] as? [String] ?? []
        var article = Folio_V1_Article()
        article.id = id
        article.pageID = "\(date.replacingOccurrences(of: "-", with: ""))-\(page < 10 ? "0" : "")\(page)"
        article.date = date
        article.section = "第\(page)版"
        var paragraphOffset = 0
        if let headline = object["headline_guess"] as? String, paragraphs.first == headline {
            article.headline = headline
            paragraphs.removeFirst()
            paragraphOffset = 1
        }
        article.body = paragraphs.map { text in
            var block = Folio_V1_Block()
            block.kind = .paragraph
            block.text = text
            return block
        }
        var entities: [String: Folio_V1_Entity] = [:]
        var order: [String] = []
        for case let span as [String: Any] in object["entities"] as? [Any] ?? [] {
            guard let text = span["text"] as? String, let para = span["para"] as? Int,
                  let start = span["start"] as? Int, let end = span["end"] as? Int else { continue }
            let type: Folio_V1_EntityType
            switch span["type"] as? String {
            case "PER": type = .person
            case "LOC": type = .place
            case "ORG": type = .organization
            default: continue
            }
            var mention = Folio_V1_Mention()
            if para < paragraphOffset {
                mention.field = .headline
                mention.block = 0
            } else {
                mention.block = UInt32(para - paragraphOffset)
            }
            mention.start = UInt32(start)
            mention.end = UInt32(end)
            let key = "\(type.rawValue)|\(text)"
            if entities[key] == nil {
                var entity = Folio_V1_Entity()
                entity.type = type
                entity.text = text
                entity.normalized = IndexFold.shared.simplify(text)
                entities[key] = entity
                order.append(key)
            }
            entities[key]!.mentions.append(mention)
        }
        article.entities = order.map { entities[$0]! }
        // The corpus has no byline structure; its first tagged person stands in as the author so that
        // `author:` filters have data to work on in tests and benchmarks.
        if let person = article.entities.first(where: { $0.type == .person }) {
            var byline = Folio_V1_Byline()
            byline.name = person.text
            article.bylines = [byline]
        }
        return replicate([article], replica: replica)[0]
    }
}
