import FolioModel
import Foundation
@testable import FolioIndex

/// Test corpora built from pfr1998 (../shared relative to the package root); some articles are
/// converted to Traditional through OpenCC so that both scripts are in the index.
enum TestCorpus {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let pfrPath = packageRoot.appendingPathComponent("../shared/corpus/pfr1998/articles-01-20.jsonl")
        .standardizedFileURL.path

    /// `count` articles spread over the corpus; every third converted to Traditional.
    static let mixedScript: [Folio_V1_Article] = {
        let all = (try? PFRCorpus.articles(jsonl: pfrPath)) ?? []
        let stride = max(1, all.count / 300)
        return Swift.stride(from: 0, to: all.count, by: stride).prefix(300).enumerated().map { index, position in
            index % 3 == 0 ? traditional(all[position]) : all[position]
        }
    }()

    static func traditional(_ article: Folio_V1_Article) -> Folio_V1_Article {
        var copy = article
        copy.headline = SnippetScript.convert(article.headline, to: .traditional)
        copy.body = article.body.map { block in
            var converted = block
            converted.text = SnippetScript.convert(block.text, to: .traditional)
            return converted
        }
        return copy
    }

    static func article(id: String, page: String, headline: String, body: [String], section: String = "",
                        date: String = "2022-10-01", author: String = "") -> Folio_V1_Article {
        var article = Folio_V1_Article()
        article.id = id
        article.pageID = page
        article.headline = headline
        article.section = section
        article.date = date
        article.body = body.map { text in
            var block = Folio_V1_Block()
            block.text = text
            return block
        }
        if !author.isEmpty {
            var byline = Folio_V1_Byline()
            byline.name = author
            article.bylines = [byline]
        }
        return article
    }
}

/// A deterministic generator (tests must not depend on the run).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
