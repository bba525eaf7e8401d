import Foundation
import FolioModel

/// The in-memory search index over every article of the archive.
///
/// Thread safety: queries read one immutable `IndexState`, taken under a lock held only long enough
/// to copy a reference; writers (serialized among themselves) build a new state off to the side and
/// swap it in. Queries therefore never wait for ingest, delete or reload.
// @unchecked: `current` is read and swapped only under `stateLock`; writers are serialized by `writeLock`.
public final class SearchIndex: @unchecked Sendable {
    private var current: IndexState = .empty
    /// Changes with every write (random start: a token of another run is not taken for ours). Page
    /// tokens carry it: after an ingest, delete or reload the ranks and offsets they point at moved.
    private var generation = UInt64.random(in: 0...UInt64.max)
    private var lookup: ArticleLookup?
    private var termCountCache: (generation: UInt64, count: Int)?
    private let stateLock = NSLock()
    private let writeLock = NSLock()

    public init() {}

    /// Segments built from now on keep no text and read it from `articles` (call before indexing).
    public func readTexts(from articles: @escaping ArticleLookup) {
        stateLock.withLock { lookup = articles }
    }

    /// Where this index's segments read their text; nil when they keep it.
    package var articleLookup: ArticleLookup? { stateLock.withLock { lookup } }

    /// A builder of start-up shards for this index.
    public func makeShardBuilder() -> IndexShardBuilder { IndexShardBuilder(articles: articleLookup) }

    package var state: IndexState {
        stateLock.lock()
        defer { stateLock.unlock() }
        return current
    }

    /// The current state and its generation, read together.
    public var pinned: Pinned {
        stateLock.withLock { Pinned(state: current, generation: generation) }
    }

    private func write(_ change: (IndexState) -> IndexState) {
        writeLock.lock()
        defer { writeLock.unlock() }
        let next = change(state)
        stateLock.lock()
        current = next
        generation &+= 1
        stateLock.unlock()
    }

    package func replaceState(with next: IndexState) {
        write { _ in next }
    }

    /// Adds (or replaces, by article id) one article.
    public func add(article: Folio_V1_Article) {
        add(articles: [article])
    }

    /// Adds (or replaces, by article id) articles as one batch: one new segment.
    public func add(articles: [Folio_V1_Article]) {
        let sources = articles.map { DocSource(article: $0) }
        write { $0.applying(adding: sources, removingPages: [], articles: articleLookup) }
    }

    /// Replaces every article of a page by `articles` in one step (ingest of a changed page);
    /// `pageSection` is the page header's section (what `section:` matches where no rubric is).
    public func replace(pageID: String, with articles: [Folio_V1_Article], pageSection: String = "") {
        let sources = articles.map { DocSource(article: $0, pageSection: pageSection) }
        write { $0.applying(adding: sources, removingPages: [pageID], articles: articleLookup) }
    }

    /// The articles of several pages as one segment (pages read again over a start-up snapshot),
    /// each with its page header's section. Neither this nor `remove(pageIDs:)` rebuilds the
    /// segments the change left with many deletions: a start does not wait for that (rebuilding a
    /// 25,000-document segment cost more than the pages' parse); the next write does it.
    public func add(pages: [(articles: [Folio_V1_Article], pageSection: String)]) {
        let sources = pages.flatMap { page in page.articles.map { DocSource(article: $0, pageSection: page.pageSection) } }
        write { $0.applying(adding: sources, removingPages: [], articles: articleLookup, expunging: false) }
    }

    /// Removes every article of these pages in one step.
    public func remove(pageIDs: [String]) {
        write { $0.applying(adding: [], removingPages: pageIDs, articles: articleLookup, expunging: false) }
    }

    /// Removes every article of a page; returns how many were removed.
    @discardableResult
    public func remove(pageID: String) -> Int {
        var removed = 0
        write { state in
            removed = state.pages[pageID]?.count ?? 0
            return state.applying(adding: [], removingPages: [pageID], articles: articleLookup)
        }
        return removed
    }

    /// Replaces the whole content (reload): built off to the side, swapped in at once.
    public func reset(articles: [Folio_V1_Article]) {
        let sources = articles.map { DocSource(article: $0) }
        write { _ in IndexState.empty.applying(adding: sources, removingPages: [], articles: articleLookup) }
    }

    public var articleCount: Int { state.liveDocuments }
    public var pageCount: Int { state.pages.count }
    public var entityCount: Int { state.entities.count }
    public var segmentCount: Int { state.segments.count }

    /// Distinct terms of the live documents: one figure for one archive, however it was written
    /// and cut into segments. Counted once per write, when first asked.
    public var termCount: Int {
        let pinned = self.pinned
        if let cached = stateLock.withLock({ termCountCache?.generation == pinned.generation ? termCountCache?.count : nil }) {
            return cached
        }
        let count = pinned.state.liveTermCount()
        stateLock.withLock { termCountCache = (pinned.generation, count) }
        return count
    }

    /// Bytes held by the segments: stored text, postings and tables (for Stats and benchmarks).
    public var indexBytes: Int {
        state.segments.reduce(0) { $0 + $1.approximateBytes }
    }

    /// Bytes of stored text and of postings alone (benchmark breakdown).
    public var storedTextBytes: Int { state.segments.reduce(0) { $0 + $1.textBytes.count } }
    public var postingBytes: Int { state.segments.reduce(0) { $0 + $1.postings.count } }

    /// Bytes per part of the index, summed over segments (benchmark breakdown).
    public var memoryBreakdown: [(part: String, bytes: Int)] {
        var totals: [(part: String, bytes: Int)] = []
        for segment in state.segments {
            for (index, entry) in segment.memoryBreakdown.enumerated() {
                if index < totals.count { totals[index].bytes += entry.bytes } else { totals.append(entry) }
            }
        }
        return totals
    }

    public func search(_ request: Folio_V1_SearchRequest, stop: SearchStop = .never) throws(QueryError) -> Folio_V1_SearchResponse {
        try search(request, in: pinned, stop: stop)
    }

    /// A search of one pinned state: the pages of one stream come from the same archive.
    public func search(_ request: Folio_V1_SearchRequest, in pinned: Pinned,
                       stop: SearchStop = .never) throws(QueryError) -> Folio_V1_SearchResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        var response = try SearchExecution(state: pinned.state, request: request, generation: pinned.generation,
                                           stop: stop).run()
        response.tookMicros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
        return response
    }

    /// The first `limit` article ids in ranking order and the exact number of matches, without
    /// snippets: the work an id-only engine does (benchmark comparisons).
    public func topArticleIDs(_ query: String, limit: Int = 10) throws(QueryError)
        -> (ids: [String], total: Int) {
        var request = Folio_V1_SearchRequest()
        request.query = query
        request.limit = UInt32(clamping: limit)
        let execution = try SearchExecution(state: state, request: request)
        let (hits, total) = try execution.topHits()
        return (hits.prefix(limit).map(\.articleID), total)
    }

    /// Article ids matching a query, in ranking order, without snippets (tests, streaming).
    public func matchingArticleIDs(_ query: String) throws(QueryError) -> [String] {
        let execution = try SearchExecution(state: state, request: Folio_V1_SearchRequest.with { $0.query = query })
        return try execution.allHits().map(\.articleID)
    }
}

extension SearchIndex {
    /// One state of the index with its generation (`pinned`), for a stream of pages over it.
    public struct Pinned: Sendable {
        let state: IndexState
        let generation: UInt64
    }
}
