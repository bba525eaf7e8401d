import FolioIndex
import FolioModel
import FolioStore
import FolioText
import FolioWire

/// Plugs the search index (FolioIndex) into the daemon through `SearchProvider`: stored pages feed
/// the index, query mistakes become INVALID_ARGUMENT, unknown entities NOT_FOUND.
public final class IndexSearchProvider: SearchProvider {
    public let index: SearchIndex
    /// Hits per internal page while streaming (SearchStream sends every hit).
    static let streamBatch: UInt32 = 500

    /// Merges run in the background: a write answers without waiting for one.
    public init(index: SearchIndex = SearchIndex(merging: .background)) {
        self.index = index
    }

    /// The start-up snapshot carries this index, so a warm start neither parses nor indexes.
    public var snapshotIndex: SearchIndex? { index }

    public func search(_ request: Folio_V1_SearchRequest, stop: SearchStop) throws -> Folio_V1_SearchResponse {
        try mapped { () throws(QueryError) in try index.search(request, stop: stop) }
    }

    public func searchStream(_ request: Folio_V1_SearchRequest, stop: SearchStop, send: (Folio_V1_SearchHit) throws -> Void) throws {
        var page = request
        let wanted = request.limit == 0 ? Int.max : Int(request.limit)
        page.limit = min(Self.streamBatch, request.limit == 0 ? Self.streamBatch : request.limit)
        var sent = 0
        // Every page from one state: a write during the stream neither repeats nor skips a hit.
        let pinned = index.pinned
        while true {
            let current = page
            let response = try mapped { () throws(QueryError) in try index.search(current, in: pinned, stop: stop) }
            for hit in response.hits where sent < wanted {
                try send(hit)
                sent += 1
            }
            guard sent < wanted, !response.nextPageToken.isEmpty else { return }
            page.pageToken = response.nextPageToken
        }
    }

    /// A prefix as `--script taiwan` prints names lists them too, when it lists nothing as given (a
    /// token issued for it is then read with it).
    public func listEntities(_ request: Folio_V1_ListEntitiesRequest, stop: SearchStop) throws -> Folio_V1_ListEntitiesResponse {
        let asked = Result { try mapped { () throws(QueryError) in try index.listEntities(request) } }
        guard let simplified = ScriptConverter.shared.simplifiedFromTaiwan(request.prefix),
              (try? asked.get())?.entities.isEmpty ?? true else { return try asked.get() }
        var asSimplified = request
        asSimplified.prefix = simplified
        if let answer = try? mapped({ () throws(QueryError) in try index.listEntities(asSimplified) }) { return answer }
        return try asked.get()
    }

    /// A name as `--script taiwan` prints it is found too (see `ScriptConverter.simplifiedFromTaiwan`).
    public func entityKey(for text: String) -> String? {
        index.entityKey(for: text) ?? ScriptConverter.shared.simplifiedFromTaiwan(text).flatMap(index.entityKey)
    }

    public func getEntity(_ request: Folio_V1_GetEntityRequest, stop: SearchStop) throws -> Folio_V1_GetEntityResponse {
        var found = try mapped { () throws(QueryError) in try index.getEntity(request, stop: stop) }
        if found == nil, let simplified = ScriptConverter.shared.simplifiedFromTaiwan(request.text) {
            var asSimplified = request
            asSimplified.text = simplified
            found = try mapped { () throws(QueryError) in try index.getEntity(asSimplified, stop: stop) }
        }
        guard let found else { throw StatusError(.notFound, Self.notFound(request)) }
        return found
    }

    /// What GetEntity says when no entity answers to the text: what was looked for, and how.
    static func notFound(_ request: Folio_V1_GetEntityRequest) -> String {
        let kind = switch request.type {
        case .person: "person"
        case .organization: "organization"
        case .place: "place"
        case .quantity: "quantity"
        case .date: "date"
        default: "entity"
        }
        return "no \(kind) '\(StatusError.quoting(request.text))' in the archive: it is no entity's key and no form an entity is printed in (either script)"
    }

    public func pageStored(_ page: Folio_V1_Page) {
        index.replace(pageID: page.id, with: Self.articles(of: page), pageSection: page.info.section)
    }

    public func pageRemoved(id: String) {
        index.remove(pageID: id)
    }

    /// One index write for all of them (a write per page rebuilds and merges a segment each time).
    public func pagesRemoved(ids: [String]) {
        if !ids.isEmpty { index.remove(pageIDs: ids) }
    }

    public func pagesStored(_ pages: [Folio_V1_Page]) {
        if !pages.isEmpty { index.add(pages: pages.map { (Self.articles(of: $0), $0.info.section) }) }
    }

    public func pagesReplaced(removed: [String], by pages: [Folio_V1_Page], storeTexts: () throws -> Void) throws {
        guard !removed.isEmpty || !pages.isEmpty else { return try storeTexts() }  // no new generation for nothing
        try index.replace(pages: removed, with: pages.map { (Self.articles(of: $0), $0.info.section) }, beforeInstall: storeTexts)
    }

    public var indexesPages: Bool { true }

    public func readTexts(from articles: @escaping ArticleLookup, frozen: @escaping @Sendable () -> ArticleLookup) {
        index.readTexts(from: articles, frozen: frozen)
    }

    public func makeShardBuilder() -> IndexShardBuilder { index.makeShardBuilder() }

    public func corpusReplaced(shards: [IndexShard], entities: ShardEntities) {
        index.reset(shards: shards, entities: entities)
    }

    /// Articles carry their page id (the index removes pages by it) and, for date filters, the page date.
    static func articles(of page: Folio_V1_Page) -> [Folio_V1_Article] {
        page.articles.map { article in
            var copy = article
            if copy.pageID.isEmpty { copy.pageID = page.id }
            if copy.date.isEmpty { copy.date = page.info.date }
            return copy
        }
    }

    private func mapped<T>(_ body: () throws(QueryError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            switch error.code {
            case .stopped: throw StatusError(.cancelled, error.message)
            case .stalePageToken: throw StatusError(.aborted, error.message)
            default: throw StatusError(.invalidArgument, error.message)
            }
        }
    }
}
