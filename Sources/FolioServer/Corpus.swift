import FolioModel
import FolioWire

/// An article as the store keeps it: only bytes and what listings filter on. Its response body
/// (see `ArticleBody`), its summary, and its folded filter keys as ids into the corpus' `KeyTable`.
/// No parsed `Folio_V1_Article` is kept: GetArticle sends the bytes, other readers decode on demand.
struct StoredArticle {
    let body: ArticleBody
    let summary: Folio_V1_ArticleSummary
    let sectionKey: UInt32
    let authorKeys: [UInt32]
    let entityKeys: [UInt32]
}

/// A page: its message without articles, serialized (GetPage decodes and assembles it on demand),
/// its article ids in page order, its summary, and the size of its raw text.
struct StoredPage {
    let id: String
    let shell: [UInt8]
    let articleIDs: [String]
    let summary: Folio_V1_PageSummary
    let textBytes: Int
}

/// A page ready to be stored: built outside the corpus lock (parse, serialize, deflate, fold) or
/// read from the snapshot; its keys are still strings, interned when it is stored.
struct PreparedPage {
    struct Article {
        let body: ArticleBody
        let summary: Folio_V1_ArticleSummary
        let section: String
        let authors: [String]
        let entities: [String]
    }

    let page: StoredPage
    let articles: [Article]

    /// Builds the stored form of a parsed page (serialization and compression happen here,
    /// once, not per request).
    init(_ page: Folio_V1_Page, textBytes: Int, limits: WireLimits, text: TextServices) throws {
        var summary = Folio_V1_PageSummary()
        summary.id = page.id
        summary.source = page.source
        summary.info = page.info
        summary.articles = UInt32(page.articles.count)
        summary.diagnostics = UInt32(page.diagnostics.count + page.articles.reduce(0) { $0 + $1.diagnostics.count })
        summary.bytes = UInt64(textBytes)
        var shell = page
        shell.articles = []
        self.page = StoredPage(id: page.id, shell: try shell.serializedBytes(), articleIDs: page.articles.map(\.id),
                               summary: summary, textBytes: textBytes)
        articles = try page.articles.map { try Self.prepare($0, page: page, limits: limits, text: text) }
    }

    init(page: StoredPage, articles: [Article]) {
        self.page = page
        self.articles = articles
    }

    private static func prepare(_ article: Folio_V1_Article, page: Folio_V1_Page, limits: WireLimits,
                                text: TextServices) throws -> Article {
        var summary = Folio_V1_ArticleSummary()
        summary.id = article.id
        summary.pageID = article.pageID
        summary.section = article.section
        summary.headline = article.headline
        summary.date = article.date.isEmpty ? page.info.date : article.date
        var authors = article.bylines.map(\.name)
        for reporter in article.dateline.reporters where !authors.contains(reporter) { authors.append(reporter) }
        summary.authors = authors
        summary.paragraphs = UInt32(article.lead.count + article.body.count)
        summary.chars = UInt32((article.lead + article.body).reduce(0) { $0 + $1.text.unicodeScalars.count })
        var entities = Set<String>()
        for entity in article.entities {
            entities.insert(text.fold(entity.text))
            if !entity.normalized.isEmpty { entities.insert(text.fold(entity.normalized)) }
        }
        return Article(body: ArticleBody(serialized: try article.serializedBytes(), limits: limits), summary: summary,
                       section: text.fold(article.section), authors: authors.map(text.fold), entities: entities.sorted())
    }
}

/// Folded filter keys (sections, authors, entities) interned as small ids, so an archive's
/// thousands of repeated names are held once.
struct KeyTable {
    private var ids: [String: UInt32] = [:]
    private var strings: [String] = []

    mutating func intern(_ key: String) -> UInt32 {
        if let id = ids[key] { return id }
        let id = UInt32(strings.count)
        strings.append(key)
        ids[key] = id
        return id
    }

    func id(of key: String) -> UInt32? { ids[key] }
    func key(_ id: UInt32) -> String { strings[Int(id)] }
}

/// The in-memory model of the whole archive. A value type: the store mutates it under a lock
/// and reload builds a fresh one beside it.
struct Corpus {
    private(set) var pages: [String: StoredPage] = [:]
    private(set) var articles: [String: StoredArticle] = [:]
    private(set) var textBytes = 0
    private(set) var keys = KeyTable()
    /// Page ids in order; rebuilt lazily after a change.
    private var orderCache: [String]?

    var pageCount: Int { pages.count }
    var articleCount: Int { articles.count }
    var entityCount: Int {
        var seen = Set<UInt32>()
        for stored in articles.values { seen.formUnion(stored.entityKeys) }
        return seen.count
    }

    /// Bytes of the article bodies held, and what they would take serialized (for the load log).
    var bodyBytes: (stored: Int, plain: Int) {
        articles.values.reduce((0, 0)) { ($0.0 + $1.body.storedBytes, $0.1 + $1.body.plainCount) }
    }

    /// Adds or replaces a page; returns the page it replaced.
    @discardableResult
    mutating func upsert(_ prepared: PreparedPage) -> StoredPage? {
        let page = prepared.page
        let old = remove(page.id)
        pages[page.id] = page
        for (id, article) in zip(page.articleIDs, prepared.articles) {
            articles[id] = StoredArticle(body: article.body, summary: article.summary,
                                         sectionKey: keys.intern(article.section),
                                         authorKeys: article.authors.map { keys.intern($0) },
                                         entityKeys: article.entities.map { keys.intern($0) })
        }
        textBytes += page.textBytes
        if old == nil { orderCache = nil }
        return old
    }

    @discardableResult
    mutating func remove(_ pageID: String) -> StoredPage? {
        guard let old = pages.removeValue(forKey: pageID) else { return nil }
        for id in old.articleIDs { articles.removeValue(forKey: id) }
        textBytes -= old.textBytes
        orderCache = nil
        return old
    }

    mutating func orderedPageIDs() -> [String] {
        if let orderCache { return orderCache }
        let order = pages.keys.sorted()
        orderCache = order
        return order
    }

    /// Every page in the form the snapshot stores (keys as strings again), in page id order.
    mutating func preparedPages() -> [PreparedPage] {
        orderedPageIDs().map { id in
            let page = pages[id]!
            return PreparedPage(page: page, articles: page.articleIDs.map { articleID in
                let stored = articles[articleID]!
                return PreparedPage.Article(body: stored.body, summary: stored.summary, section: keys.key(stored.sectionKey),
                                            authors: stored.authorKeys.map(keys.key), entities: stored.entityKeys.map(keys.key))
            })
        }
    }
}

extension StoredPage {
    /// The whole page message: the stored shell with its articles decoded back in, in page order.
    func assembled(articles: [String: StoredArticle], limits: WireLimits) throws -> Folio_V1_Page {
        var page = try Folio_V1_Page(serializedBytes: shell)
        page.articles = try articleIDs.map { id in
            guard let stored = articles[id] else { throw StatusError(.internal, "article \(id) of page \(self.id) is missing") }
            return try stored.body.article(limits: limits)
        }
        return page
    }
}
