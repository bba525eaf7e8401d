import FolioIndex
import FolioModel
import FolioStore
import FolioTestSupport
import Foundation
import Testing

/// The daemon's snapshot file (pages, search index and records in one file): FolioStore's format.
@Suite struct ArchiveSnapshotTests {
    static func path(_ name: String) -> String { NSTemporaryDirectory() + "folio-\(name)-\(getpid()).snap" }

    static func article(id: String, page: String, headline: String, body: [String]) -> Folio_V1_Article {
        var article = Folio_V1_Article()
        article.id = id
        article.pageID = page
        article.headline = headline
        article.date = "2022-10-01"
        article.body = body.map { text in
            var block = Folio_V1_Block()
            block.text = text
            return block
        }
        return article
    }

    @Test func pagesAndIndexComeBackTogether() throws {
        var page = Folio_V1_Page()
        page.id = "a1"
        page.articles = [Self.article(id: "a1-01", page: "a1", headline: "錦州港", body: ["吞吐量創新高"])]
        let index = SearchIndex()
        index.add(articles: page.articles)
        let path = Self.path("archive")
        defer { unlink(path) }
        try ArchiveSnapshot.write(index: index, pages: [page], to: path, key: "files:1")
        let restored = SearchIndex()
        let pages = try ArchiveSnapshot.read(into: restored, from: path, key: "files:1")
        #expect(pages == [page])
        #expect(try restored.matchingArticleIDs("锦州港") == ["a1-01"])
        let untouched = SearchIndex()
        #expect(throws: SnapshotError.stale) { try ArchiveSnapshot.read(into: untouched, from: path, key: "files:2") }
        #expect(untouched.articleCount == 0)
    }

    /// Records larger than the write buffer, of odd sizes (the first empty), read back in both
    /// orders after the load dropped the mapping's parts it had passed.
    @Test func recordsReadInAnyOrderAfterPartsWereDropped() throws {
        var random = SplitMix64(seed: 7)
        let records = (0..<24).map { number in
            (0..<((number * 977_331) % (3 << 19))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        }
        let index = SearchIndex()
        index.add(articles: (0..<10).map { n in
            Self.article(id: "p\(n)-01", page: "p\(n)", headline: "第\(n)版 錦州港", body: ["吞吐量創新高 \(n)"])
        })
        let path = Self.path("records")
        defer { unlink(path) }
        try ArchiveSnapshot.write(index: index, recordCount: records.count, to: path, key: "k") { number throws(SnapshotError) in
            records[number]
        }
        let restored = SearchIndex()
        let (forward, backward) = try ArchiveSnapshot.read(into: restored, from: path, key: "k") { found throws(SnapshotError) in
            (found.map { Array($0) }, found.reversed().map { Array($0) })
        }
        #expect(forward == records)
        #expect(backward == records.reversed())
        #expect(restored.articleCount == index.articleCount)
        #expect(try restored.matchingArticleIDs("锦州港").count == 10)
    }
}
