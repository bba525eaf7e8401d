import FolioBuildInfo
import FolioModel
import FolioStore
import FolioWire
import Foundation
import Logging
import SwiftProtobuf

/// The method table of service folio.v1.Folio: which handler answers which method.
/// Transport concerns (ids, deadlines, cancellation, access) stay in ConnectionHandler.
// @unchecked: `table` is filled once in init (its handlers capture self) and only read after that.
final class CallRouter: @unchecked Sendable {
    let store: ArchiveStore
    let text: TextServices
    let search: SearchProvider
    let stats = ServerStats()
    let config: ServerConfig
    let registry: ConnectionRegistry
    let logger: Logger
    let startedUnixMs = UInt64(Date().timeIntervalSince1970 * 1000)
    let startedUptime = DispatchTime.now()
    let reloadAction: @Sendable () throws -> ArchiveStore.LoadReport
    private var table: [FolioMethod: MethodHandler] = [:]

    init(store: ArchiveStore, text: TextServices, search: SearchProvider, config: ServerConfig,
         registry: ConnectionRegistry, logger: Logger, reload: @escaping @Sendable () throws -> ArchiveStore.LoadReport) {
        self.store = store
        self.text = text
        self.search = search
        self.config = config
        self.registry = registry
        self.logger = logger
        self.reloadAction = reload
        table = makeTable()
    }

    func handler(for method: FolioMethod) -> MethodHandler {
        table[method]!
    }

    private func makeTable() -> [FolioMethod: MethodHandler] {
        var table: [FolioMethod: MethodHandler] = [:]
        for method in FolioMethod.allCases {
            switch method {
            case .serverInfo: table[method] = .inline { [unowned self] _ in .message(serverInfo()) }
            case .health: table[method] = .inline { [unowned self] _ in .message(health()) }
            case .listMethods: table[method] = .inline { _ in .message(Self.listMethods()) }
            case .stats: table[method] = .blocking { [unowned self] _ in .message(statsResponse()) }
            case .getArticle: table[method] = .inline { [unowned self] in try getArticle($0) }
            case .getPage: table[method] = .inline { [unowned self] in try getPage($0) }
            case .parse: table[method] = .blocking { [unowned self] in try parse($0) }
            case .ingest: table[method] = .blocking { [unowned self] in try ingest($0) }
            case .deletePage: table[method] = .blocking { [unowned self] in try deletePage($0) }
            case .reload: table[method] = .blocking { [unowned self] in try reload($0) }
            case .listPages: table[method] = .blocking { [unowned self] in try listPages($0) }
            case .listArticles: table[method] = .blocking { [unowned self] in try listArticles($0) }
            case .exportArticles: table[method] = .blocking { [unowned self] in try exportArticles($0) }
            case .convert: table[method] = .blocking { [unowned self] in try convert($0) }
            // Queries take the daemon's bounded queue like every long call (a query's body and its
            // lists are held only while admitted) and stop when their call ends.
            case .search: table[method] = .query { [unowned self] in
                .message(try search.search(Self.checked($0.decode(Folio_V1_SearchRequest.self)), stop: $0.searchStop))
            }
            case .searchStream: table[method] = .query { [unowned self] context in
                try search.searchStream(Self.checked(context.decode(Folio_V1_SearchRequest.self)), stop: context.searchStop) {
                    try context.stream($0)
                }
                return .endOfStream
            }
            case .listEntities: table[method] = .query { [unowned self] in
                let request = try Self.checked($0.decode(Folio_V1_ListEntitiesRequest.self))
                let response = try search.listEntities(request, stop: $0.searchStop)
                return .message(request.script == .original ? response : try response.mappingReadableText { try text.convert($0, to: request.script) })
            }
            case .getEntity: table[method] = .query { [unowned self] in
                let request = try Self.checked($0.decode(Folio_V1_GetEntityRequest.self))
                let response = try search.getEntity(request, stop: $0.searchStop)
                return .message(request.script == .original ? response : try response.mappingReadableText { try text.convert($0, to: request.script) })
            }
            }
        }
        return table
    }

    // MARK: enum values this daemon does not know

    /// One rule for every method: a request enum value this daemon does not know (a newer client's)
    /// is INVALID_ARGUMENT, never quietly read as the default.
    static func known<E: SwiftProtobuf.Enum & CaseIterable>(_ value: E, _ what: String) throws {
        if !E.allCases.contains(value) {  // allCases leaves out UNRECOGNIZED
            throw StatusError(.invalidArgument, "unknown \(what) \(value.rawValue)")
        }
    }

    static func checked(_ request: Folio_V1_SearchRequest) throws -> Folio_V1_SearchRequest {
        try known(request.script, "output script")
        return request
    }

    static func checked(_ request: Folio_V1_ListEntitiesRequest) throws -> Folio_V1_ListEntitiesRequest {
        try known(request.script, "output script")
        try known(request.type, "entity type")
        try known(request.order, "entity order")
        return request
    }

    static func checked(_ request: Folio_V1_GetEntityRequest) throws -> Folio_V1_GetEntityRequest {
        try known(request.script, "output script")
        try known(request.type, "entity type")
        return request
    }

    // MARK: information

    func serverInfo() -> Folio_V1_ServerInfoResponse {
        var info = Folio_V1_ServerInfoResponse()
        info.name = "foliod"
        info.version = FolioServerVersion.string + (config.buildCommit.isEmpty ? "" : "+" + config.buildCommit)
        info.protocolVersion = FolioWire.protocolVersion
        info.dataDir = config.dataDirectory ?? ""
        info.sample = config.dataDirectory == nil
        info.startedUnixMs = startedUnixMs
        info.maxFrameBytes = UInt32(clamping: config.limits.maxFrameBytes)
        info.maxInflatedBytes = UInt32(clamping: config.limits.maxInflatedBytes)
        info.maxCallsInFlight = UInt32(clamping: config.maxCallsPerConnection)
        info.pid = UInt32(getpid())
        return info
    }

    func health() -> Folio_V1_HealthResponse {
        var response = Folio_V1_HealthResponse()
        // Loading: the store is being filled; say so without waiting for it.
        if registry.isLoading {
            response.status = .notServing
            return response
        }
        response.status = registry.isDraining ? .draining : .serving
        let counts = store.counts()
        response.pages = UInt32(counts.pages)
        response.articles = UInt32(counts.articles)
        return response
    }

    static func listMethods() -> Folio_V1_ListMethodsResponse {
        var response = Folio_V1_ListMethodsResponse()
        response.methods = FolioMethod.allCases.map { method in
            var info = Folio_V1_MethodInfo()
            info.name = method.rawValue
            info.requestType = method.requestType
            info.responseType = method.responseType
            info.serverStreaming = method.isServerStreaming
            info.write = method.isWrite
            return info
        }
        return response
    }

    func statsResponse() -> Folio_V1_StatsResponse {
        var response = Folio_V1_StatsResponse()
        let counts = store.counts()
        response.pages = UInt32(counts.pages)
        response.articles = UInt32(counts.articles)
        response.entities = UInt32(clamping: search.entityCount)
        response.corpusBytes = UInt64(counts.textBytes)
        response.residentBytes = ProcessMemory.residentBytes()
        response.uptimeMs = (DispatchTime.now().uptimeNanoseconds - startedUptime.uptimeNanoseconds) / 1_000_000
        response.connections = UInt32(registry.connectionCount)
        response.methods = stats.snapshot()
        response.indexTerms = UInt64(search.indexTerms)
        return response
    }

    // MARK: text

    func convert(_ context: CallContext) throws -> CallReply {
        let request = try context.decode(Folio_V1_ConvertRequest.self)
        var response = Folio_V1_ConvertResponse()
        response.text = try text.convert(request.text, to: request.script)
        return .message(response)
    }

    func parse(_ context: CallContext) throws -> CallReply {
        let request = try context.decode(Folio_V1_ParseRequest.self)
        let page = store.parser.parsePage(text: request.text, source: request.source,
                                          info: try checkedInfo(request.hasInfo ? request.info : nil), pageID: nil)
        try context.checkNotCancelled()
        var response = Folio_V1_ParseResponse()
        response.page = try text.converting(page, to: request.script)
        return .message(response)
    }
}

public enum FolioServerVersion {
    public static let string = FolioBuildInfo.packageVersion
}
