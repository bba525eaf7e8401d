/// The methods of service folio.v1.Folio as they appear on the wire. Shared by the server's
/// dispatch, `ListMethods`, and every client so that names are spelled once.
public enum FolioMethod: String, CaseIterable, Sendable {
    case serverInfo = "/folio.v1.Folio/ServerInfo"
    case health = "/folio.v1.Folio/Health"
    case listMethods = "/folio.v1.Folio/ListMethods"
    case parse = "/folio.v1.Folio/Parse"
    case ingest = "/folio.v1.Folio/Ingest"
    case deletePage = "/folio.v1.Folio/DeletePage"
    case getPage = "/folio.v1.Folio/GetPage"
    case listPages = "/folio.v1.Folio/ListPages"
    case getArticle = "/folio.v1.Folio/GetArticle"
    case listArticles = "/folio.v1.Folio/ListArticles"
    case search = "/folio.v1.Folio/Search"
    case searchStream = "/folio.v1.Folio/SearchStream"
    case listEntities = "/folio.v1.Folio/ListEntities"
    case getEntity = "/folio.v1.Folio/GetEntity"
    case convert = "/folio.v1.Folio/Convert"
    case stats = "/folio.v1.Folio/Stats"
    case reload = "/folio.v1.Folio/Reload"
    case exportArticles = "/folio.v1.Folio/ExportArticles"

    public static let servicePrefix = "/folio.v1.Folio/"

    /// The bare method name, e.g. `Search`.
    public var shortName: String { String(rawValue.dropFirst(Self.servicePrefix.count)) }

    /// Fully qualified protobuf type names of the request and response messages.
    public var requestType: String {
        switch self {
        case .searchStream: "folio.v1.SearchRequest"
        default: "folio.v1.\(shortName)Request"
        }
    }

    public var responseType: String {
        switch self {
        case .getPage: "folio.v1.Page"
        case .getArticle: "folio.v1.Article"
        case .searchStream: "folio.v1.SearchHit"
        case .exportArticles: "folio.v1.Article"
        default: "folio.v1.\(shortName)Response"
        }
    }

    /// Position in `allCases`, found without hashing the name (per-call statistics index by it).
    public var ordinal: Int {
        switch self {
        case .serverInfo: 0
        case .health: 1
        case .listMethods: 2
        case .parse: 3
        case .ingest: 4
        case .deletePage: 5
        case .getPage: 6
        case .listPages: 7
        case .getArticle: 8
        case .listArticles: 9
        case .search: 10
        case .searchStream: 11
        case .listEntities: 12
        case .getEntity: 13
        case .convert: 14
        case .stats: 15
        case .reload: 16
        case .exportArticles: 17
        }
    }

    /// Several body frames, then the status.
    public var isServerStreaming: Bool { self == .searchStream || self == .exportArticles }

    /// Changes the store: allowed only to permitted peers (SO_PEERCRED).
    public var isWrite: Bool { self == .ingest || self == .deletePage || self == .reload }
}
