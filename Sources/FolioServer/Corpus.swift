import FolioModel
import FolioWire

/// An article as the store keeps it: the message, its serialized (and maybe deflated) bytes
/// for the GetArticle hot path, its summary, and folded keys for filters.
struct StoredArticle {
    let article: Folio_V1_Article
    let encoded: ArticleBytes
    let summary: Folio_V1_ArticleSummary
    let foldedSection: String
    let foldedAuthors: [String]
    let foldedEntities: Set<String>
}

/// A page: GetPage is not a hot path, so its message is serialized per call rather than
/// kept a second time as bytes.
struct StoredPage {
    let page: Folio_V1_Page
    let summary: Folio_V1_PageSummary
    let textBytes: Int
}

/// The in-memory model of the whole archive. A value type: the store mutates it under a lock
/// and reload builds a fresh one beside it.
struct Corpus {
    private(set) var pages: [String: StoredPage] = [:]
    private(set) var articles: [String: StoredArticle] = [:]
    private(set) var textBytes = 0
    /// Page ids in order; rebuilt lazily after a change.
    private var orderCache: [String]?

    var pageCount: Int { pages.count }
    var articleCount: Int { articles.count }
    var entityCount: Int {
        var seen = Set<String>()
        for stored in articles.values { seen.formUnion(stored.foldedEntities) }
        return seen.count
    }

    /// Builds the stored form of a parsed page (serialization and compression happen here,
    /// once, not per request).
    static func makeStoredPage(_ page: Folio_V1_Page, textBytes: Int, limits: WireLimits,
                               text: TextServices) throws -> (StoredPage, [StoredArticle]) {
        var summary = Folio_V1_PageSummary()
        summary.id = page.id
        summary.source = page.source
        summary.info = page.info
        summary.articles = UInt32(page.articles.count)
        summary.diagnostics = UInt32(page.diagnostics.count + page.articles.reduce(0) { $0 + $1.diagnostics.count })
        summary.bytes = UInt64(textBytes)
        let stored = StoredPage(page: page, summary: summary, textBytes: textBytes)
        let articles = try page.articles.map { try makeStoredArticle($0, page: page, limits: limits, text: text) }
        return (stored, articles)
    }

    static func makeStoredArticle(_ article: Folio_V1_Article, page: Folio_V1_Page, limits: WireLimits,
                                  text: TextServices) throws -> StoredArticle {
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
        return StoredArticle(article: article, encoded: ArticleBytes(serialized: try article.serializedBytes(), limits: limits),
                             summary: summary, foldedSection: text.fold(article.section),
                             foldedAuthors: authors.map(text.fold), foldedEntities: entities)
    }

    /// Adds or replaces a page; returns the page it replaced.
    @discardableResult
    mutating func upsert(_ page: StoredPage, articles newArticles: [StoredArticle]) -> StoredPage? {
        let old = remove(page.page.id)
        pages[page.page.id] = page
        for stored in newArticles { articles[stored.article.id] = stored }
        textBytes += page.textBytes
        if old == nil { orderCache = nil }
        return old
    }

    @discardableResult
    mutating func remove(_ pageID: String) -> StoredPage? {
        guard let old = pages.removeValue(forKey: pageID) else { return nil }
        for article in old.page.articles { articles.removeValue(forKey: article.id) }
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
}

/// An article's serialized bytes, kept from ingest on, and its deflated form, made on the first
/// request that accepts zlib and kept: no response re-encodes or re-compresses an article.
final class ArticleBytes: @unchecked Sendable {
    let plain: PrecompressedBody
    private let limits: WireLimits
    private let compressed = Locked<PrecompressedBody?>(nil)

    init(serialized: [UInt8], limits: WireLimits) {
        plain = PrecompressedBody(serialized: serialized, limits: limits, deflate: false)
        self.limits = limits
    }

    func body(compressing: Bool) -> PrecompressedBody {
        guard compressing, plain.plain.count >= limits.compressionThreshold else { return plain }
        if let cached = compressed.withLock({ $0 }) { return cached }
        let made = PrecompressedBody(serialized: plain.plain, limits: limits)
        compressed.withLock { $0 = made }
        return made
    }
}
