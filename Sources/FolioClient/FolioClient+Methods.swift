import FolioModel
import FolioWire
import Foundation

/// Typed methods of service folio.v1.Folio. Each throws `FolioError`.
extension FolioClient {
    public func serverInfo(options: FolioCallOptions = .init()) async throws -> Folio_V1_ServerInfoResponse {
        try await call(.serverInfo, Folio_V1_ServerInfoRequest(), options: options)
    }

    public func health(options: FolioCallOptions = .init()) async throws -> Folio_V1_HealthResponse {
        try await call(.health, Folio_V1_HealthRequest(), options: options)
    }

    public func listMethods(options: FolioCallOptions = .init()) async throws -> Folio_V1_ListMethodsResponse {
        try await call(.listMethods, Folio_V1_ListMethodsRequest(), options: options)
    }

    public func parse(_ request: Folio_V1_ParseRequest,
                      options: FolioCallOptions = .init()) async throws -> Folio_V1_ParseResponse {
        try await call(.parse, request, options: options)
    }

    /// Stores a page durably; foliod answers only once it is on disk.
    public func ingest(_ request: Folio_V1_IngestRequest,
                       options: FolioCallOptions = .init()) async throws -> Folio_V1_IngestResponse {
        try await call(.ingest, request, options: options)
    }

    public func deletePage(id: String, options: FolioCallOptions = .init()) async throws -> Folio_V1_DeletePageResponse {
        var request = Folio_V1_DeletePageRequest()
        request.pageID = id
        return try await call(.deletePage, request, options: options)
    }

    public func getPage(id: String, script: Folio_V1_OutputScript = .original,
                        options: FolioCallOptions = .init()) async throws -> Folio_V1_Page {
        var request = Folio_V1_GetPageRequest()
        request.pageID = id
        request.script = script
        return try await call(.getPage, request, options: options)
    }

    public func listPages(_ request: Folio_V1_ListPagesRequest = .init(),
                          options: FolioCallOptions = .init()) async throws -> Folio_V1_ListPagesResponse {
        try await call(.listPages, request, options: options)
    }

    public func getArticle(id: String, script: Folio_V1_OutputScript = .original,
                           options: FolioCallOptions = .init()) async throws -> Folio_V1_Article {
        var request = Folio_V1_GetArticleRequest()
        request.articleID = id
        request.script = script
        let body = try await call(method: FolioMethod.getArticle.rawValue, body: Self.encode(request), options: options)
        return try Self.decodeArticle(body)
    }

    /// Decodes a serialized `Folio_V1_Article` (e.g. the bytes `call` returned for GetArticle):
    /// a hand-written decoder for what foliod sends, swift-protobuf for anything else.
    public static func decodeArticle(_ body: Data) throws -> Folio_V1_Article {
        try ArticleDecoder.decode(body) ?? decode(Folio_V1_Article.self, body)
    }

    public func listArticles(_ request: Folio_V1_ListArticlesRequest = .init(),
                             options: FolioCallOptions = .init()) async throws -> Folio_V1_ListArticlesResponse {
        try await call(.listArticles, request, options: options)
    }

    public func search(_ request: Folio_V1_SearchRequest,
                       options: FolioCallOptions = .init()) async throws -> Folio_V1_SearchResponse {
        try await call(.search, request, options: options)
    }

    public func search(_ query: String, limit: UInt32 = 10,
                       options: FolioCallOptions = .init()) async throws -> Folio_V1_SearchResponse {
        var request = Folio_V1_SearchRequest()
        request.query = query
        request.limit = limit
        return try await search(request, options: options)
    }

    /// The articles `request.filter` selects (all by default), whole, in ListArticles' order:
    /// one call for the whole archive; stopping the iteration cancels it.
    public func exportArticles(_ request: Folio_V1_ExportArticlesRequest = .init(),
                               options: FolioCallOptions = .init()) -> FolioStream<Folio_V1_Article> {
        serverStream(.exportArticles, request, of: Folio_V1_Article.self, options: options)
    }

    /// Hits one by one as foliod finds them; stopping the iteration cancels the search.
    public func searchStream(_ request: Folio_V1_SearchRequest,
                             options: FolioCallOptions = .init()) -> FolioStream<Folio_V1_SearchHit> {
        serverStream(.searchStream, request, of: Folio_V1_SearchHit.self, options: options)
    }

    public func listEntities(_ request: Folio_V1_ListEntitiesRequest = .init(),
                             options: FolioCallOptions = .init()) async throws -> Folio_V1_ListEntitiesResponse {
        try await call(.listEntities, request, options: options)
    }

    public func getEntity(_ request: Folio_V1_GetEntityRequest,
                          options: FolioCallOptions = .init()) async throws -> Folio_V1_GetEntityResponse {
        try await call(.getEntity, request, options: options)
    }

    public func convert(_ text: String, to script: Folio_V1_OutputScript,
                        options: FolioCallOptions = .init()) async throws -> String {
        var request = Folio_V1_ConvertRequest()
        request.text = text
        request.script = script
        let response: Folio_V1_ConvertResponse = try await call(.convert, request, options: options)
        return response.text
    }

    public func stats(options: FolioCallOptions = .init()) async throws -> Folio_V1_StatsResponse {
        try await call(.stats, Folio_V1_StatsRequest(), options: options)
    }

    /// Re-reads the data directory; the old model keeps serving if the new one is broken.
    public func reload(options: FolioCallOptions = .init()) async throws -> Folio_V1_ReloadResponse {
        try await call(.reload, Folio_V1_ReloadRequest(), options: options)
    }
}
