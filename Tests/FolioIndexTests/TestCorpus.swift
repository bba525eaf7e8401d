import FolioModel
import FolioTestSupport
import Foundation
@testable import FolioIndex

/// Test corpora built from pfr1998 (`SharedCorpus`, beside the repository); some articles are
/// converted to Traditional through OpenCC so that both scripts are in the index. Suites that use
/// them are `.enabled(if: SharedCorpus.isPresent)`.
enum TestCorpus {
    /// `count` articles spread over the corpus; every third converted to Traditional.
    static let mixedScript: [Folio_V1_Article] = {
        let all = (try? PFRCorpus.articles(jsonl: SharedCorpus.pfrArticlesPath)) ?? []
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
