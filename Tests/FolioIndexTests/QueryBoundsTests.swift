import FolioModel
import FolioTestSupport
import Synchronization
import Testing
@testable import FolioIndex

/// No query holds a worker for long: over-long queries are refused, long ORs cost their postings,
/// and a search whose caller went away stops between its steps.
@Suite struct QueryBoundsTests {
    static func request(_ query: String) -> Folio_V1_SearchRequest {
        var request = Folio_V1_SearchRequest()
        request.query = query
        return request
    }

    /// The query error `body` throws (nil: none).
    static func code(_ body: () throws -> Void) -> QueryError.Code? {
        do { try body() } catch let error as QueryError { return error.code } catch { Issue.record("\(error)") }
        return nil
    }

    @Test func overLongQueriesAreRefused() {
        let index = SearchBehaviourTests.smallIndex()
        let longest = String(repeating: "港", count: ParsedQuery.maxScalars)
        #expect(Self.code { _ = try index.search(Self.request(longest)) } == nil)
        #expect(Self.code { _ = try index.search(Self.request(longest + "口")) } == .queryTooLong)
        // Counted in characters, not bytes: four-byte scalars up to the same bound pass.
        #expect(Self.code { _ = try index.search(Self.request(String(repeating: "𠀀", count: ParsedQuery.maxScalars))) } == nil)
        #expect(Self.code { _ = try index.search(Self.request(String(repeating: "港", count: 5_000_000))) } == .queryTooLong)
    }

    @Test func tooManyTermsAreRefusedAndOperatorsDoNotCount() {
        let index = SearchBehaviourTests.smallIndex()
        // Distinct one-character terms, so that the bound on terms is met before the bound on length.
        let terms = (0..<ParsedQuery.maxItems).map { String(UnicodeScalar(0x4E00 + $0)!) }
        #expect(Self.code { _ = try index.search(Self.request(terms.joined(separator: " ") + "   ")) } == nil)
        #expect(Self.code { _ = try index.search(Self.request(terms.prefix(800).joined(separator: " OR "))) } == nil)
        #expect(Self.code { _ = try index.search(Self.request((terms + ["港"]).joined(separator: " "))) } == .tooManyTerms)
        #expect(Self.code { _ = try index.search(Self.request((terms + ["-港"]).joined(separator: " "))) } == .tooManyTerms)
    }

    /// An OR of many phrases (summed in one table) finds what the pairwise merge of few finds, with
    /// the same scores, and a query of many clauses intersects them all.
    @Test func longOrsMatchTheirParts() throws {
        let index = SearchIndex()
        let words = ["港口", "工程", "天气", "风大", "锦州", "开放", "高地", "通道", "安全", "建设"]
        index.add(articles: (0..<60).map { number in
            let body = words.indices.filter { (number >> ($0 % 6)) & 1 == 1 || $0 == number % 10 }.map { words[$0] }
            return TestCorpus.article(id: String(format: "or-%02d", number), page: "or\(number % 3)",
                                      headline: "第\(number)号", body: [body.joined(separator: "，") + "。"])
        })
        let separately = try Set(words.flatMap { try index.matchingArticleIDs($0) })
        let long = words.joined(separator: " OR ")
        #expect(Set(try index.matchingArticleIDs(long)) == separately)
        // Scores of the table equal those of merging the lists one by one (four phrases or fewer).
        var merged: [String: Double] = [:]
        for first in stride(from: 0, to: words.count, by: 2) {
            let pair = words[first..<min(first + 2, words.count)].joined(separator: " OR ")
            for hit in try index.search(Self.request(pair).with(limit: 1000)).hits { merged[hit.articleID, default: 0] += hit.score }
        }
        let table = try index.search(Self.request(long).with(limit: 1000)).hits
        #expect(table.count == separately.count)
        for hit in table { #expect(abs(hit.score - merged[hit.articleID, default: -1]) < 1e-9, "\(hit.articleID)") }
        // Many clauses, each an OR: every clause must match.
        let clauses = "港口 OR 工程 天气 OR 风大 锦州 OR 开放 OR 高地 OR 通道 OR 安全"
        let expected = try Set(index.matchingArticleIDs("港口 OR 工程")).intersection(try index.matchingArticleIDs("天气 OR 风大"))
            .intersection(try index.matchingArticleIDs("锦州 OR 开放 OR 高地 OR 通道 OR 安全"))
        #expect(Set(try index.matchingArticleIDs(clauses)) == expected)
        #expect(!expected.isEmpty)
    }

    @Test func aStoppedSearchEndsWithStopped() {
        let index = SearchBehaviourTests.smallIndex()
        let stopped = SearchStop { true }
        for query in ["港", "锦州港", "港 OR 天气 OR 工程 OR 风大 OR 安全", "\"风大 注意\"", "港 -工程"] {
            #expect(Self.code { _ = try index.search(Self.request(query), stop: stopped) } == .stopped, "\(query)")
        }
        var entity = Folio_V1_GetEntityRequest()
        entity.text = "崔治"
        #expect(Self.code { _ = try index.getEntity(entity, stop: stopped) } == .stopped)
    }

    /// A stop that comes in the middle (after some steps) ends the search there.
    @Test func aSearchStopsBetweenItsSteps() {
        let index = SearchBehaviourTests.smallIndex()
        let asked = Atomic(0)
        let later = SearchStop { asked.add(1, ordering: .relaxed).newValue > 3 }
        let query = (0..<40).map { "港\($0 % 10)" }.joined(separator: " OR ")
        #expect(Self.code { _ = try index.search(Self.request(query), stop: later) } == .stopped)
        #expect(asked.load(ordering: .relaxed) < 10)  // well before its forty phrases
    }

    /// Rendering the snippets reads each hit's text (seconds for a huge article): a call that ends
    /// meanwhile stops it there too. The last check of a search is the one before its last snippet.
    @Test func aSearchStopsWhileRenderingItsSnippets() throws {
        let index = SearchBehaviourTests.smallIndex()
        let counted = Atomic(0)
        let hits = try index.search(Self.request("港"), stop: SearchStop { counted.add(1, ordering: .relaxed); return false }).hits
        #expect(hits.count >= 2)
        let checks = counted.load(ordering: .relaxed)
        let asked = Atomic(0)
        let atTheLast = SearchStop { asked.add(1, ordering: .relaxed).newValue >= checks }
        #expect(Self.code { _ = try index.search(Self.request("港"), stop: atTheLast) } == .stopped)
    }
}

extension Folio_V1_SearchRequest {
    fileprivate func with(limit: UInt32) -> Self {
        var copy = self
        copy.limit = limit
        return copy
    }
}
