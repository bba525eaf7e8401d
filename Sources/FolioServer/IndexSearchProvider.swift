import FolioIndex
import FolioModel
import FolioWire

/// Search through FolioIndex's in-memory index, kept in step with the store's corpus.
public final class IndexSearchProvider: SearchProvider, @unchecked Sendable {
    let index: SearchIndex

    public init(index: SearchIndex = SearchIndex()) {
        self.index = index
    }

    public var indexTerms: Int { index.termCount }

    public func search(_ request: Folio_V1_SearchRequest) async throws -> Folio_V1_SearchResponse {
        do {
            return try index.search(request)
        } catch {
            throw StatusError(.invalidArgument, error.message)
        }
    }

    /// Hits of the requested page of results, one frame each.
    public func searchStream(_ request: Folio_V1_SearchRequest, send: (Folio_V1_SearchHit) throws -> Void) async throws {
        let response = try await search(request)
        for hit in response.hits {
            try Task.checkCancellation()
            try send(hit)
        }
    }

    public func listEntities(_ request: Folio_V1_ListEntitiesRequest) async throws -> Folio_V1_ListEntitiesResponse {
        do {
            return try index.listEntities(request)
        } catch {
            throw StatusError(.invalidArgument, error.message)
        }
    }

    public func getEntity(_ request: Folio_V1_GetEntityRequest) async throws -> Folio_V1_GetEntityResponse {
        let found: Folio_V1_GetEntityResponse?
        do {
            found = try index.getEntity(request)
        } catch {
            throw StatusError(.invalidArgument, error.message)
        }
        guard let found else { throw StatusError(.notFound, "no entity \"\(request.text)\"") }
        return found
    }

    public func pageStored(_ page: Folio_V1_Page) {
        index.replace(pageID: page.id, with: page.articles)
    }

    public func pageRemoved(id: String) {
        index.remove(pageID: id)
    }

    public func corpusReplaced(pages: [Folio_V1_Page]) {
        index.reset(articles: pages.flatMap(\.articles))
    }
}
