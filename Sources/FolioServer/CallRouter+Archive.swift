import FolioIndex
import FolioModel
import FolioStore
import FolioWire
import Foundation

/// Archive methods: reads (GetArticle, GetPage, ListPages, ListArticles) and writes
/// (Ingest, DeletePage, Reload; access is checked before they are reached).
extension CallRouter {
    static let defaultPageSize = 50
    static let maxPageSize = 1000

    func getArticle(_ context: CallContext) throws -> CallReply {
        let request = try context.decode(Folio_V1_GetArticleRequest.self)
        try Self.known(request.script, "output script")
        guard let stored = store.article(request.articleID) else {
            throw StatusError(.notFound, "no article \(StatusError.quoting(request.articleID))")
        }
        if request.script == .original { return .encoded(stored.body) }
        let text = self.text, limits = config.limits
        return .offload { .message(try text.converting(stored.body.article(limits: limits), to: request.script)) }
    }

    func getPage(_ context: CallContext) throws -> CallReply {
        let request = try context.decode(Folio_V1_GetPageRequest.self)
        try Self.known(request.script, "output script")
        let store = self.store, text = self.text
        // Assembling decodes every article of the page: worker pool, not the event loop.
        return .offload {
            guard let page = try store.page(request.pageID) else { throw StatusError(.notFound, "no page \(StatusError.quoting(request.pageID))") }
            return .message(try text.converting(page, to: request.script))
        }
    }

    func listPages(_ context: CallContext) throws -> CallReply {
        let request = try context.decode(Folio_V1_ListPagesRequest.self)
        let size = try Self.pageSize(request.pageSize)
        let (order, corpus) = store.snapshotForListing()
        var start = 0
        if !request.pageToken.isEmpty {
            let after = try PageToken.decode(request.pageToken, kind: "p").key
            start = Self.firstIndex(in: order, after: after)
        }
        var response = Folio_V1_ListPagesResponse()
        response.total = UInt32(order.count)
        let end = min(order.count, start + size)
        response.pages = order[start..<end].map { corpus.pages[$0]!.summary }
        if end < order.count, let last = order[safe: end - 1] {
            response.nextPageToken = PageToken(kind: "p", key: last, index: 0).encoded
        }
        return .message(response)
    }

    func listArticles(_ context: CallContext) throws -> CallReply {
        let request = try context.decode(Folio_V1_ListArticlesRequest.self)
        let size = try Self.pageSize(request.pageSize)
        let (order, corpus) = store.snapshotForListing()
        let filter = try ArticleFilter(request, text: text, keys: corpus.keys, search: search)
        let resume: ArticleCursor? = request.pageToken.isEmpty ? nil
            : try ArticleCursor.decode(request.pageToken) { corpus.pages[$0]?.articleIDs }

        var response = Folio_V1_ListArticlesResponse()
        var total = 0
        /// Where the next token resumes: the page of the last article taken and every article of
        /// that page given so far (by this call and, on the resume page, the calls before it).
        var cursor = resume
        var lastIndex = 0
        var more = false
        /// Takes an article that matched; false once the page of results is full and one more is seen.
        func take(_ stored: StoredArticle, _ pageID: String, _ index: Int, _ articleID: String) throws -> Bool {
            if let resume, resume.hasGiven(articleID, on: pageID) { return true }
            guard response.articles.count < size else {
                more = true
                return false
            }
            response.articles.append(try stored.summary())
            if cursor?.pageID != pageID { cursor = ArticleCursor(pageID: pageID) }
            cursor?.give(articleID)
            lastIndex = index
            return true
        }
        if filter.isEmpty {
            // The whole archive in page order: the total is a count, and the results are read from
            // the resume point on (a scan of every article per call made paging through 100,000
            // articles take 0.1 s a page).
            total = order.reduce(0) { $0 + (corpus.pages[$1]?.articleIDs.count ?? 0) }
            let first = resume.map { Self.lowerBound(of: $0.pageID, in: order) } ?? 0
            pages: for pageID in order[first...] {
                guard let page = corpus.pages[pageID] else { continue }
                for (index, articleID) in page.articleIDs.enumerated() {
                    guard let stored = corpus.articles[articleID] else { continue }
                    if try !take(stored, pageID, index, articleID) { break pages }
                }
            }
        } else {
            let pageIDs = filter.pageID.map { id in order.contains(id) ? [id] : [] } ?? order
            for pageID in pageIDs {
                guard let page = corpus.pages[pageID] else { continue }
                for (index, articleID) in page.articleIDs.enumerated() {
                    guard let stored = corpus.articles[articleID], filter.matches(stored) else { continue }
                    total += 1
                    if !more { _ = try take(stored, pageID, index, articleID) }
                }
            }
        }
        response.total = UInt32(total)
        if more, let cursor { response.nextPageToken = cursor.encoded(lastIndex: lastIndex) }
        if request.script != .original {
            response.articles = try response.articles.map { try text.converting($0, to: request.script) }
        }
        return .message(response)
    }

    /// The first index of `sorted` whose value is not below `key`.
    static func lowerBound(of key: String, in sorted: [String]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func ingest(_ context: CallContext) throws -> CallReply {
        let request = try context.decode(Folio_V1_IngestRequest.self)
        guard !request.text.isEmpty else { throw StatusError(.invalidArgument, "empty page text") }
        let outcome = try store.ingest(text: request.text, source: request.source,
                                       info: try checkedInfo(request.hasInfo ? request.info : nil),
                                       pageID: request.pageID.isEmpty ? nil : request.pageID,
                                       replace: request.replace, commit: context.beginCommit)
        var response = Folio_V1_IngestResponse()
        response.pageID = outcome.page.id
        response.articleIds = outcome.page.articles.map(\.id)
        response.replaced = outcome.replaced
        response.diagnostics = UInt32(outcome.page.diagnostics.count
                                      + outcome.page.articles.reduce(0) { $0 + $1.diagnostics.count })
        return .message(response)
    }

    func deletePage(_ context: CallContext) throws -> CallReply {
        let request = try context.decode(Folio_V1_DeletePageRequest.self)
        var response = Folio_V1_DeletePageResponse()
        response.articlesRemoved = UInt32(try store.delete(pageID: request.pageID, commit: context.beginCommit))
        response.pageID = request.pageID
        return .message(response)
    }

    func reload(_ context: CallContext) throws -> CallReply {
        _ = try context.decode(Folio_V1_ReloadRequest.self)
        let report = try reloadAction()
        var response = Folio_V1_ReloadResponse()
        response.pages = UInt32(report.pages)
        response.articles = UInt32(report.articles)
        response.tookMs = report.tookMs
        return .message(response)
    }

    static func pageSize(_ requested: UInt32) throws -> Int {
        if requested == 0 { return defaultPageSize }
        guard requested <= maxPageSize else {
            throw StatusError(.invalidArgument, "page_size \(requested) is above the maximum of \(maxPageSize)")
        }
        return Int(requested)
    }

    /// Index of the first id strictly after `key` in a sorted array.
    static func firstIndex(in sorted: [String], after key: String) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// ListArticles filters, folded once per request (either script matches either script) and
/// looked up in the corpus' key table: a key no article has matches nothing.
struct ArticleFilter {
    /// A filter on a folded key: absent, or the key's id (nil id: no article has that key).
    enum KeyFilter {
        case any
        case key(UInt32?)

        /// `asked`: the request's field as sent. Only an empty one is no filter: a text that folds
        /// to nothing (spaces alone) names no key and selects no article.
        init(_ value: String, asked: String, text: TextServices, keys: KeyTable) {
            if asked.isEmpty { self = .any } else { self = .key(value.isEmpty ? nil : keys.id(of: text.fold(value))) }
        }

        func accepts(_ id: UInt32) -> Bool {
            switch self {
            case .any: true
            case .key(let wanted): wanted == id
            }
        }

        func accepts(anyOf ids: some Sequence<UInt32>) -> Bool {
            switch self {
            case .any: true
            case .key(let wanted): wanted.map(ids.contains) ?? false
            }
        }
    }

    let section: KeyFilter
    let author: KeyFilter
    let dateFrom: String?
    let dateTo: String?
    let pageID: String?
    let entity: KeyFilter

    init(_ request: Folio_V1_ListArticlesRequest, text: TextServices, keys: KeyTable, search: SearchProvider) throws {
        section = KeyFilter(request.section, asked: request.section, text: text, keys: keys)
        author = KeyFilter(request.author.replacingOccurrences(of: " ", with: ""), asked: request.author, text: text, keys: keys)
        dateFrom = try checkedDay(request.dateFrom, "date_from")
        dateTo = try checkedDay(request.dateTo, "date_to")
        pageID = request.pageID.isEmpty ? nil : request.pageID
        // The entity's key when the text names one by any form (as GetEntity and `entity:` read it).
        let entity = request.entity.isEmpty ? "" : search.entityKey(for: request.entity) ?? request.entity
        self.entity = KeyFilter(withoutWhitespace(entity), asked: request.entity, text: text, keys: keys)
    }

    /// No condition at all: every article matches.
    var isEmpty: Bool {
        if case .any = section, case .any = author, case .any = entity { return dateFrom == nil && dateTo == nil && pageID == nil }
        return false
    }

    func matches(_ stored: StoredArticle) -> Bool {
        guard section.accepts(stored.keys.section), author.accepts(anyOf: stored.keys.authors) else { return false }
        let date = stored.date
        if let dateFrom, date.isEmpty || date < dateFrom { return false }
        if let dateTo, date.isEmpty || date > dateTo { return false }
        return entity.accepts(anyOf: stored.keys.entities)
    }
}

/// A date field of a request: nil when empty, INVALID_ARGUMENT unless a calendar day `YYYY-MM-DD`.
func checkedDay(_ value: String, _ field: String) throws -> String? {
    guard !value.isEmpty else { return nil }
    guard CalendarDay.isValid(value) else { throw StatusError(.invalidArgument, "\(field) must be a day YYYY-MM-DD, got '\(value)'") }
    return value
}

/// A request's page info, refused (INVALID_ARGUMENT) when its date is not a calendar day.
func checkedInfo(_ info: Folio_V1_PageInfo?) throws -> Folio_V1_PageInfo? {
    if let info { _ = try checkedDay(info.date, "info.date") }
    return info
}

/// An opaque resume point for listings: the last key returned (and its index within a page).
struct PageToken {
    let kind: String
    let key: String
    let index: Int

    var encoded: String {
        Data("\(kind)\u{1F}\(key)\u{1F}\(index)".utf8).base64EncodedString()
    }

    static func decode(_ token: String, kind: String) throws -> PageToken {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else {
            throw StatusError(.invalidArgument, "malformed page_token")
        }
        let parts = text.split(separator: "\u{1F}", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == kind, let index = Int(parts[2]) else {
            throw StatusError(.invalidArgument, "page_token does not belong to this listing")
        }
        return PageToken(kind: kind, key: String(parts[1]), index: index)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
