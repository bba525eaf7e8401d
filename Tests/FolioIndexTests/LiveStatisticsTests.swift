import FolioModel
import FolioTestSupport
import Foundation
import Testing
@testable import FolioIndex

/// BM25 statistics are those of the live articles: after deletes and replacements (deleted
/// documents still in their segments' postings), and after a snapshot round trip, every score and
/// the term count equal those of an index built afresh from the articles left.
@Suite(.enabled(if: SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) struct LiveStatisticsTests {
    /// The mixed-script articles, three to a page.
    static let articles: [Folio_V1_Article] = TestCorpus.mixedScript.enumerated().map { index, article in
        var copy = article
        copy.id = "a\(index)"
        copy.pageID = "p\(index / 3)"
        return copy
    }

    static func queries() -> [String] {
        var random = SplitMix64(seed: 77)
        return (0..<120).map { _ in SearchPropertyTests.randomRun(&random) } + ["的", "北京", "中国", "经济"]
    }

    /// Every hit of every query: id and score, in rank order.
    static func results(_ index: SearchIndex) throws -> [[String]] {
        try queries().map { query in
            var request = Folio_V1_SearchRequest()
            request.query = query
            request.limit = 1000
            return try index.search(request).hits.map { "\($0.articleID) \(String(format: "%.9f", $0.score))" }
        }
    }

    @Test func scoresAfterDeletesAndReplacementsAreThoseOfAFreshIndex() throws {
        let written = SearchIndex()
        // Several segments, each then losing a page or two (well under the share that rebuilds one).
        let batch = 60
        for start in stride(from: 0, to: Self.articles.count, by: batch) {
            written.add(articles: Array(Self.articles[start..<min(start + batch, Self.articles.count)]))
        }
        var live = Self.articles
        for page in ["p1", "p25", "p41", "p77"] {
            written.remove(pageID: page)
            live.removeAll { $0.pageID == page }
        }
        // A page replaced by other text under the same article ids.
        let replaced = live.filter { $0.pageID == "p60" }.map { article -> Folio_V1_Article in
            var copy = article
            copy.body = Array(article.body.reversed().prefix(1))
            return copy
        }
        written.replace(pageID: "p60", with: replaced)
        live = live.filter { $0.pageID != "p60" } + replaced
        #expect(written.state.tombstones.contains { $0.count > 0 }, "deleted documents still in their segments")

        let fresh = SearchIndex()
        fresh.add(articles: live)
        let expected = try Self.results(fresh)
        #expect(expected.contains { !$0.isEmpty })
        #expect(try Self.results(written) == expected)
        #expect(try Self.results(written).allSatisfy { $0.allSatisfy { !$0.contains(" -") } }, "no negative score")
        #expect(written.termCount == fresh.termCount)
        #expect(written.articleCount == fresh.articleCount)

        // Read back from a snapshot, the deleted documents' frequencies are counted again.
        let path = NSTemporaryDirectory() + "folio-live-stats-\(getpid()).snap"
        defer { unlink(path) }
        try written.writeSnapshot(to: path, key: "k", payload: [])
        let restored = SearchIndex()
        _ = try restored.loadSnapshot(from: path, expectedKey: "k")
        #expect(try Self.results(restored) == expected)
        #expect(restored.termCount == fresh.termCount)
    }
}
