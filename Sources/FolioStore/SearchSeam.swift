import FolioIndex
import FolioModel
import FolioWire

/// The seam the search index (FolioIndex) plugs into. The server owns transport, limits and
/// access; an implementation owns the query language and ranking. Query methods run on the
/// server's bounded worker pool and stop early when `stop` says their call ended; corpus
/// notifications come from the store's writer.
public protocol SearchProvider: Sendable {
    func search(_ request: Folio_V1_SearchRequest, stop: SearchStop) throws -> Folio_V1_SearchResponse
    /// Streams hits one by one through `send`; returns when the last hit was sent.
    func searchStream(_ request: Folio_V1_SearchRequest, stop: SearchStop, send: (Folio_V1_SearchHit) throws -> Void) throws
    func listEntities(_ request: Folio_V1_ListEntitiesRequest, stop: SearchStop) throws -> Folio_V1_ListEntitiesResponse
    func getEntity(_ request: Folio_V1_GetEntityRequest, stop: SearchStop) throws -> Folio_V1_GetEntityResponse
    /// Corpus changes, in the order the store applied them: a page ingested (or replaced),
    /// a page deleted, and the whole corpus replaced (start-up and reload) by shards the store's
    /// parsing workers built, with their entities counted (only when `indexesPages`).
    func pageStored(_ page: Folio_V1_Page)
    func pageRemoved(id: String)
    /// Many pages at once (read again over a start-up snapshot), in the order an ingest keeps:
    /// removed while the corpus still holds them, stored once it holds the new ones.
    func pagesRemoved(ids: [String])
    func pagesStored(_ pages: [Folio_V1_Page])
    /// Pages replaced (ingest over a stored page, pages read again): the `removed` pages' articles
    /// by those of `pages`, in one change searches see whole. Called while the corpus holds the
    /// removed texts; `storeTexts` puts the new ones in the corpus before the change is installed.
    /// Throws, changing nothing, when the index cannot be built (`IndexMemoryError`) or `storeTexts` throws.
    func pagesReplaced(removed: [String], by pages: [Folio_V1_Page], storeTexts: () throws -> Void) throws
    func corpusReplaced(shards: [IndexShard], entities: ShardEntities)
    var indexesPages: Bool { get }
    /// From now on the index reads its documents' text from `articles` instead of keeping a copy;
    /// `frozen` gives a lookup over the corpus as it is when called (what merges read).
    func readTexts(from articles: @escaping ArticleLookup, frozen: @escaping @Sendable () -> ArticleLookup)
    /// A builder for one start-up shard (only when `indexesPages`).
    func makeShardBuilder() -> IndexShardBuilder
    /// The key of the entity a text names (its key or one of its forms), for entity filters.
    func entityKey(for text: String) -> String?
    /// Distinct indexed terms, for Stats (0 when unknown).
    var indexTerms: Int { get }
    /// Entities `listEntities` lists (all types), for Stats (0 when unknown).
    var entityCount: Int { get }
    /// The index saved in (and restored from) the start-up snapshot; nil when there is none to save.
    var snapshotIndex: SearchIndex? { get }
}

extension SearchProvider {
    public func pagesRemoved(ids: [String]) { ids.forEach { pageRemoved(id: $0) } }
    public func pagesStored(_ pages: [Folio_V1_Page]) { pages.forEach(pageStored) }
    public func pagesReplaced(removed: [String], by pages: [Folio_V1_Page], storeTexts: () throws -> Void) throws {
        try storeTexts()
        pagesRemoved(ids: removed)
        pagesStored(pages)
    }
    public func entityKey(for text: String) -> String? { nil }
    public var indexTerms: Int { 0 }
    public var entityCount: Int { 0 }
    public var snapshotIndex: SearchIndex? { nil }
    public var indexesPages: Bool { false }
    public func readTexts(from articles: @escaping ArticleLookup, frozen: @escaping @Sendable () -> ArticleLookup) {}
    public func makeShardBuilder() -> IndexShardBuilder { IndexShardBuilder() }
}

/// A daemon without an index (the transport and store tests): every search method answers
/// UNIMPLEMENTED. foliod itself runs `IndexSearchProvider` (FolioIndex).
public struct NoSearchProvider: SearchProvider {
    public init() {}
    static let error = StatusError(.unimplemented, "search is not available in this build of foliod")
    public func search(_ request: Folio_V1_SearchRequest, stop: SearchStop) throws -> Folio_V1_SearchResponse { throw Self.error }
    public func searchStream(_ request: Folio_V1_SearchRequest, stop: SearchStop, send: (Folio_V1_SearchHit) throws -> Void) throws {
        throw Self.error
    }
    public func listEntities(_ request: Folio_V1_ListEntitiesRequest, stop: SearchStop) throws -> Folio_V1_ListEntitiesResponse {
        throw Self.error
    }
    public func getEntity(_ request: Folio_V1_GetEntityRequest, stop: SearchStop) throws -> Folio_V1_GetEntityResponse { throw Self.error }
    public func pageStored(_ page: Folio_V1_Page) {}
    public func pageRemoved(id: String) {}
    public func corpusReplaced(shards: [IndexShard], entities: ShardEntities) {}
}
