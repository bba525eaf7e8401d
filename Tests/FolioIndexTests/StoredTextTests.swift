import FolioModel
import FolioTestSupport
import Foundation
import Testing
@testable import FolioIndex

/// An index that reads its text from the stored articles (foliod's) answers exactly as one that
/// keeps its own copy: hits, totals, snippets, highlights, phrase checks, entity mentions, after
/// merges and through a snapshot.
@Suite(.enabled(if: SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) struct StoredTextTests {
    static let articles = TestCorpus.mixedScript
    static let stored = Dictionary(articles.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
    static let lookup: ArticleLookup = { stored[$0] }

    /// The same articles in the same batches (several segments, merged on the way).
    static func built(readingStore: Bool) -> SearchIndex {
        let index = SearchIndex()
        if readingStore { index.readTexts(from: lookup) }
        let batch = max(1, articles.count / 5)
        for start in stride(from: 0, to: articles.count, by: batch) {
            index.add(articles: Array(articles[start..<min(start + batch, articles.count)]))
        }
        return index
    }

    static let keeping = built(readingStore: false)
    static let reading = built(readingStore: true)

    /// 1–4 character runs, two terms, phrases and mixed word + character phrases (verified on text).
    static func queries() -> [String] {
        var random = SplitMix64(seed: 7)
        var queries = ["A股", "1998年", "\"中国 人民\"", "12月", "的", "经济 发展", "\"中华人民共和国\""]
        for _ in 0..<150 {
            let article = articles[Int.random(in: 0..<articles.count, using: &random)]
            guard let block = article.body.randomElement(using: &random) else { continue }
            let scalars = Array(block.text.unicodeScalars)
            guard scalars.count > 6 else { continue }
            let length = Int.random(in: 1...4, using: &random)
            let start = Int.random(in: 0...(scalars.count - length), using: &random)
            let run = scalars[start..<(start + length)]
            guard run.contains(where: { IndexFold.isHan($0.value) }) else { continue }
            queries.append(String(String.UnicodeScalarView(run)))
        }
        return queries
    }

    static func answer(_ index: SearchIndex, _ query: String) throws -> Folio_V1_SearchResponse {
        var request = Folio_V1_SearchRequest()
        request.query = query
        request.limit = 20
        var response = try index.search(request)
        response.tookMicros = 0
        response.nextPageToken = ""  // names its own index's generation
        return response
    }

    @Test func segmentsKeepNoText() {
        #expect(Self.reading.state.segments.allSatisfy { !$0.storesText && $0.textBytes.isEmpty })
        #expect(Self.keeping.state.segments.allSatisfy { $0.storesText && !$0.textBytes.isEmpty })
        #expect(Self.reading.state.segments.count == Self.keeping.state.segments.count)
    }

    @Test func searchAnswersAreIdentical() throws {
        var hits = 0
        for query in Self.queries() {
            let kept = try Self.answer(Self.keeping, query), read = try Self.answer(Self.reading, query)
            #expect(kept == read, "query \(query)")
            hits += kept.hits.count
        }
        #expect(hits > 1000)
    }

    @Test func entityMentionsAreIdentical() throws {
        let people = Self.articles.lazy.flatMap(\.entities).filter { $0.type == .person }.prefix(20)
        #expect(people.count == 20)
        for person in people {
            var request = Folio_V1_GetEntityRequest()
            request.text = person.text
            var kept = try Self.keeping.getEntity(request), read = try Self.reading.getEntity(request)
            kept?.nextPageToken = ""  // each names its own index's generation
            read?.nextPageToken = ""
            #expect(kept == read, "\(person.text)")
        }
    }

    @Test func aSnapshotOfATextlessIndexNeedsTheStore() throws {
        let path = NSTemporaryDirectory() + "folio-stored-text-\(getpid()).snap"
        defer { unlink(path) }
        try Self.reading.writeSnapshot(to: path, key: "k", payload: [])
        let restored = SearchIndex()
        restored.readTexts(from: Self.lookup)
        _ = try restored.loadSnapshot(from: path, expectedKey: "k")
        for query in Self.queries().prefix(40) {
            #expect(try Self.answer(restored, query) == Self.answer(Self.keeping, query), "query \(query)")
        }
        #expect(throws: SnapshotError.corrupt("a segment without text and no store to read it from")) {
            try SearchIndex().loadSnapshot(from: path, expectedKey: "k")
        }
    }

    @Test func aHitWhoseArticleIsGoneFromTheStoreIsStillAnswered() throws {
        let index = SearchIndex()
        let gone = Self.articles[0]
        index.readTexts { id in id == gone.id ? nil : Self.lookup(id) }
        index.add(articles: Array(Self.articles.prefix(30)))
        var request = Folio_V1_SearchRequest()
        request.query = "page:\(gone.pageID)"
        request.limit = 100
        let response = try index.search(request)
        let hit = try #require(response.hits.first { $0.articleID == gone.id })
        #expect(hit.headline.isEmpty && hit.snippet.isEmpty && hit.highlights.isEmpty)
    }
}
