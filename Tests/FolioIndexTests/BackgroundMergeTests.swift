import FolioModel
import FolioTestSupport
import Foundation
import Synchronization
import Testing
@testable import FolioIndex

/// Merges run off the writer's path: a write only appends a segment and deletes documents, a merge
/// is planned on one state, built without a lock and installed in a later one. Whatever writes come
/// between plan and install, the index answers as one built afresh from the articles left: the same
/// hits, scores and term count, each article once.
@Suite(.enabled(if: SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) struct BackgroundMergeTests {
    /// The archive as foliod's store holds it: the index reads texts from it (live) and its merges
    /// from a copy taken when they are planned (frozen).
    final class Store: Sendable {
        let articles = Mutex([String: Folio_V1_Article]())

        func attach(to index: SearchIndex) {
            index.readTexts(from: { [self] id in articles.withLock { $0[id] } }, frozen: { [self] in
                let copy = articles.withLock { $0 }
                return { copy[$0] }
            })
        }

        /// In the order foliod's store keeps: the index lets the old articles go while the store still
        /// holds their text, then the store changes, then the index takes the new ones.
        func replace(page: String, with new: [Folio_V1_Article], in index: SearchIndex) {
            index.remove(pageID: page)
            articles.withLock { articles in
                articles = articles.filter { $0.value.pageID != page }
                for article in new { articles[article.id] = article }
            }
            if !new.isEmpty { index.add(articles: new) }
        }

        var live: [Folio_V1_Article] { articles.withLock { Array($0.values) }.sorted { $0.id < $1.id } }
    }

    static let articles = LiveStatisticsTests.articles

    /// An index of every article in batches of 60 (several segments), none merged yet.
    static func written(_ store: Store) -> SearchIndex {
        let index = SearchIndex(merging: .manual)
        store.attach(to: index)
        for start in stride(from: 0, to: articles.count, by: 60) {
            let batch = Array(articles[start..<min(start + 60, articles.count)])
            store.articles.withLock { for article in batch { $0[article.id] = article } }
            index.add(articles: batch)
        }
        return index
    }

    static func fresh(_ store: Store) -> SearchIndex {
        let index = SearchIndex()
        index.add(articles: store.live)
        return index
    }

    static func expectSameAnswers(_ index: SearchIndex, as store: Store) throws {
        let fresh = Self.fresh(store)
        #expect(try LiveStatisticsTests.results(index) == LiveStatisticsTests.results(fresh))
        #expect(index.termCount == fresh.termCount)
        #expect(index.articleCount == fresh.articleCount)
        let located = index.state.locator
        for (id, ref) in located {
            #expect(index.state.isLive(ref) && index.state.segments[ref.segment].articleIDs[ref.doc] == id)
        }
    }

    @Test func writesLeaveMergesToTheMerger() throws {
        let store = Store()
        let index = Self.written(store)
        let written = index.segmentCount
        #expect(written > 2, "a write merged")
        var merges = 0
        while let plan = index.planMerge() {
            #expect(try index.install(plan.build(articles: index.articleLookup), from: plan))
            merges += 1
        }
        #expect(merges > 0)
        #expect(index.segmentCount < written)
        try Self.expectSameAnswers(index, as: store)
    }

    @Test func pagesDeletedAndReplacedDuringAMergeStayAsWritten() throws {
        let store = Store()
        let index = Self.written(store)
        // The first segment loses more than a tenth: the merge rebuilds it (or merges the tail).
        for page in ["p1", "p3", "p5", "p7", "p9"] { store.replace(page: page, with: [], in: index) }
        let plan = try #require(index.planMerge())
        #expect(plan.range.contains(0) || plan.range.upperBound == index.segmentCount)
        // Between plan and install: a page of the merged range deleted, another replaced by other
        // text under the same article ids, and a new page.
        let inRange = plan.range.flatMap { index.state.segments[$0].articleIDs }
        let pages = Set(inRange.compactMap { id in store.articles.withLock { $0[id]?.pageID } }).sorted()
        try #require(pages.count >= 2)
        store.replace(page: pages[0], with: [], in: index)
        let replaced = store.articles.withLock { $0.values.filter { $0.pageID == pages[1] } }.map { article -> Folio_V1_Article in
            var copy = article
            copy.body = Array(article.body.reversed().prefix(1))
            copy.headline = "替换后的标题"
            return copy
        }
        store.replace(page: pages[1], with: replaced, in: index)
        var added = Self.articles[0]
        added.id = "new-01"
        added.pageID = "new"
        store.replace(page: "new", with: [added], in: index)
        // Built after those writes: from the texts as planned, not the replaced ones.
        #expect(try index.install(plan.build(articles: index.articleLookup), from: plan))
        try Self.expectSameAnswers(index, as: store)
        while let next = index.planMerge() { try index.install(next.build(articles: index.articleLookup), from: next) }
        try Self.expectSameAnswers(index, as: store)
    }

    /// A merge installed in the background changed the generation, so a search page token issued
    /// after the last write was refused "the archive changed" though nothing was written: the walk
    /// goes on over the merged index and gives what it gives without the merge.
    @Test func aSearchWalkGoesOnAcrossAMerge() throws {
        func walk(_ index: SearchIndex, merging: Bool) throws -> [String] {
            var request = Folio_V1_SearchRequest()
            request.query = "中国"
            request.limit = 7
            var ids: [String] = []
            repeat {
                let response = try index.search(request)
                ids += response.hits.map(\.articleID)
                request.pageToken = response.nextPageToken
                if merging, ids.count == 7 {
                    while let plan = index.planMerge() { #expect(try index.install(plan.build(articles: index.articleLookup), from: plan)) }
                }
            } while !request.pageToken.isEmpty
            return ids
        }
        let store = Store(), unmerged = Store()
        let index = Self.written(store), reference = Self.written(unmerged)
        for page in ["p1", "p3", "p5"] {
            store.replace(page: page, with: [], in: index)
            unmerged.replace(page: page, with: [], in: reference)
        }
        let segments = index.segmentCount
        let expected = try walk(reference, merging: false)
        #expect(expected.count > 14)
        #expect(try walk(index, merging: true) == expected)
        #expect(index.segmentCount < segments, "no merge ran")
    }

    @Test func aMergeOfAStateSinceReplacedIsDropped() throws {
        let store = Store()
        let index = Self.written(store)
        let plan = try #require(index.planMerge())
        index.reset(articles: Array(Self.articles.prefix(30)))
        let before = index.state
        #expect(try !index.install(plan.build(articles: index.articleLookup), from: plan))
        #expect(index.state === before)
    }

    @Test func backgroundMergesLeaveTheSameIndex() throws {
        let store = Store()
        let index = SearchIndex(merging: .background)
        store.attach(to: index)
        for (number, article) in Self.articles.prefix(240).enumerated() {
            store.replace(page: "w\(number)", with: [{ var copy = article; copy.pageID = "w\(number)"; return copy }()], in: index)
            if number % 7 == 0 { store.replace(page: "w\(number / 2)", with: [], in: index) }
        }
        index.waitForMerges()
        #expect(index.segmentCount <= 9)
        #expect(index.state.nextMerge() == nil)
        try Self.expectSameAnswers(index, as: store)
    }
}
