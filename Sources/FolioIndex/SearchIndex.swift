import Foundation
import FolioModel

/// The in-memory search index over every article of the archive.
///
/// Thread safety: queries read one immutable `IndexState`, taken under a lock held only long enough
/// to copy a reference; writers (serialized among themselves) build a new state off to the side and
/// swap it in. Queries therefore never wait for ingest, delete or reload, and writes never wait for
/// a merge's build (`Merging`).
// @unchecked: `current` is read and swapped only under `stateLock`; writers are serialized by
// `writeLock`; the merge flags are read and written under `stateLock`.
public final class SearchIndex: @unchecked Sendable {
    /// Where the merges a write calls for run.
    public enum Merging: Sendable {
        /// In the writing thread, once its write is in (a library building an index in one go).
        case afterEachWrite
        /// On a background queue, one merge at a time (foliod: a write answers without waiting
        /// for the rebuild of a segment of the whole archive).
        case background
        /// Only when asked (`planMerge` / `install`): tests that interleave writes with a merge.
        case manual
    }

    var current: IndexState = .empty
    /// Changes with every write and merge (random start: a token of another run is not taken for
    /// ours). Page tokens carry it: after an ingest, delete, merge or reload the ranks and offsets
    /// they point at may have moved.
    var generation = UInt64.random(in: 0...UInt64.max)
    private var lookup: ArticleLookup?
    var frozenTexts: (@Sendable () -> ArticleLookup)?
    private var termCountCache: (generation: UInt64, count: Int)?
    let stateLock = NSLock()
    let writeLock = NSLock()
    let merging: Merging
    var mergeRunning = false
    var mergeWanted = false
    let mergeQueue = DispatchQueue(label: "folio.index.merge", qos: .utility)

    public init(merging: Merging = .afterEachWrite) {
        self.merging = merging
    }

    /// Segments built from now on keep no text and read it from `articles` (call before indexing).
    /// `frozen` gives a lookup over the archive as it is when called (taken while no write is
    /// between its index and its store changes): merges read the text their segments indexed
    /// from it, not a newer version of a replaced article.
    public func readTexts(from articles: @escaping ArticleLookup, frozen: (@Sendable () -> ArticleLookup)? = nil) {
        stateLock.withLock {
            lookup = articles
            frozenTexts = frozen
        }
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

    /// Applies a change; `merges` false for whole new states (start-up, reload, snapshot), which
    /// are laid out as they should stay.
    /// `beforeInstall` runs between the new state's build and its install, with no merge planned
    /// meanwhile (see `replace(pages:with:beforeInstall:)`).
    private func write(merges: Bool = true, _ change: (IndexState) -> IndexState) {
        write(merges: merges, beforeInstall: {}, change)
    }

    /// When `change` or `beforeInstall` throws, nothing is installed.
    private func write(merges: Bool = true, beforeInstall: () throws -> Void,
                       _ change: (IndexState) throws -> IndexState) rethrows {
        writeLock.lock()
        let next: IndexState
        do {
            next = try change(state)
            try beforeInstall()
        } catch {
            writeLock.unlock()
            throw error
        }
        stateLock.lock()
        current = next
        generation &+= 1
        stateLock.unlock()
        writeLock.unlock()
        if merges { mergesWanted() }
    }

    package func replaceState(with next: IndexState) {
        write(merges: false) { _ in next }
    }

    /// Adds (or replaces, by article id) one article.
    public func add(article: Folio_V1_Article) {
        add(articles: [article])
    }

    /// Adds (or replaces, by article id) articles as one batch: one new segment.
    public func add(articles: [Folio_V1_Article]) {
        let sources = articles.map { DocSource(article: $0) }
        write { state in Self.orFail { try state.applying(adding: sources, removingPages: [], articles: articleLookup) } }
    }

    /// Replaces every article of a page by `articles` in one step (ingest of a changed page);
    /// `pageSection` is the page header's section (what `section:` matches where no rubric is).
    public func replace(pageID: String, with articles: [Folio_V1_Article], pageSection: String = "") {
        let sources = articles.map { DocSource(article: $0, pageSection: pageSection) }
        write { state in Self.orFail { try state.applying(adding: sources, removingPages: [pageID], articles: articleLookup) } }
    }

    /// Replaces every article of `removed` pages by the articles of `pages` in one step that searches
    /// see whole: never a moment with neither version of a page. The state is built while the
    /// caller's store still holds the replaced texts (what they took from the statistics is read
    /// from them); `beforeInstall` then puts the new texts in the store, and the state goes in.
    /// Throws `IndexMemoryError` (the memory to index the pages cannot be mapped) before
    /// `beforeInstall` runs, or what `beforeInstall` throws; either way nothing changes.
    public func replace(pages removed: [String], with pages: [(articles: [Folio_V1_Article], pageSection: String)],
                        beforeInstall: () throws -> Void) throws {
        let sources = pages.flatMap { page in page.articles.map { DocSource(article: $0, pageSection: page.pageSection) } }
        try write(beforeInstall: beforeInstall) { try $0.applying(adding: sources, removingPages: removed, articles: articleLookup) }
    }

    /// The articles of several pages as one segment (pages read again over a start-up snapshot),
    /// each with its page header's section.
    public func add(pages: [(articles: [Folio_V1_Article], pageSection: String)]) {
        let sources = pages.flatMap { page in page.articles.map { DocSource(article: $0, pageSection: page.pageSection) } }
        write { state in Self.orFail { try state.applying(adding: sources, removingPages: [], articles: articleLookup) } }
    }

    /// Removes every article of these pages in one step.
    public func remove(pageIDs: [String]) {
        write { state in Self.orFail { try state.applying(adding: [], removingPages: pageIDs, articles: articleLookup) } }
    }

    /// Removes every article of a page; returns how many were removed.
    @discardableResult
    public func remove(pageID: String) -> Int {
        var removed = 0
        write { state in
            removed = state.pages[pageID]?.count ?? 0
            return Self.orFail { try state.applying(adding: [], removingPages: [pageID], articles: articleLookup) }
        }
        return removed
    }

    /// Replaces the whole content (reload): built off to the side, swapped in at once.
    public func reset(articles: [Folio_V1_Article]) {
        let sources = articles.map { DocSource(article: $0) }
        write(merges: false) { _ in Self.orFail { try IndexState.empty.applying(adding: sources, removingPages: [], articles: articleLookup) } }
    }

    /// For the writes no client call makes (a library's adds, start-up): a removal maps nothing
    /// and cannot fail; an add that cannot get its memory stops the process as it always did.
    private static func orFail(_ change: () throws -> IndexState) -> IndexState {
        do { return try change() } catch { fatalError("out of memory for the index build: \(error)") }
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
