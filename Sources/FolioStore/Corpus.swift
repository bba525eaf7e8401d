import FolioIndex
import FolioModel
import FolioWire

/// A page: its message without articles, serialized (GetPage decodes and assembles it on demand),
/// its article ids in page order, its summary, the size of its raw text, and the anchors of the
/// stories earlier versions had and it dropped (retired; see ArticleAnchors).
package struct StoredPage {
    package let id: String
    let shell: [UInt8]
    package let articleIDs: [String]
    package let summary: Folio_V1_PageSummary
    let textBytes: Int
    /// Kept here, not only in the page file: a page file put back from an older backup lacks those
    /// later versions retired, and reading it must not give their ids to other stories.
    var retired: [ArticleAnchor] = []
}

/// A page ready to be stored: built outside the corpus lock (parse, serialize, deflate, fold);
/// its keys are still strings, interned when it is stored.
struct PreparedPage {
    struct Article {
        let body: PreparedBody
        let summaryBytes: [UInt8]
        let date: String
        let section: String
        let authors: [String]
        let entities: [String]
    }

    let page: StoredPage
    let articles: [Article]

    /// Builds the stored form of a parsed page (serialization and compression happen here,
    /// once, not per request).
    init(_ page: Folio_V1_Page, retired: [ArticleAnchor] = [], textBytes: Int, limits: WireLimits, text: TextServices) throws {
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
                               summary: summary, textBytes: textBytes, retired: retired)
        articles = try page.articles.map { try Self.prepare($0, page: page, limits: limits, text: text) }
    }

    private static func prepare(_ article: Folio_V1_Article, page: Folio_V1_Page, limits: WireLimits,
                                text: TextServices) throws -> Article {
        var summary = Folio_V1_ArticleSummary()
        summary.id = article.id
        summary.pageID = article.pageID
        summary.section = article.section
        summary.headline = article.headline
        summary.date = article.date.isEmpty ? page.info.date : article.date
        let authors = article.authors
        summary.authors = authors
        summary.paragraphs = UInt32(article.lead.count + article.body.count)
        summary.chars = UInt32(article.lead.reduce(0) { $0 + scalarCount($1.text) } + article.body.reduce(0) { $0 + scalarCount($1.text) })
        // Each entity's key (its normalized form, else its text), without white space as the index
        // keys them (a normalized 2 个 is listed as 2个): the filter resolves the text it is given
        // to a key as GetEntity does, so a text that is a key and another entity's first form
        // (今年, the key of an undated page's date and a form of 1998) selects the key's articles.
        let entities = article.entities.map { withoutWhitespace(text.fold($0.normalized.isEmpty ? $0.text : $0.normalized)) }
        return Article(body: PreparedBody(serialized: try ArticleBytes.serialized(article), limits: limits),
                       summaryBytes: try summary.serializedBytes(), date: summary.date,
                       section: text.fold(article.filterSection(pageSection: page.info.section)), authors: authors.map(text.fold), entities: FoldedKeys.sortedUnique(entities))
    }
}

/// Unicode scalars in `text`, counted on its UTF-8 (bytes that start a scalar).
private func scalarCount(_ text: String) -> Int {
    var text = text
    return text.withUTF8 { bytes in bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
}

extension PreparedPage {
    /// Refuses a page that GetPage could not answer whole: its reply over the frame limit, or
    /// inflating past the inflated limit. An acknowledged page can always be returned.
    func checkServable(_ parsed: Folio_V1_Page, limits: WireLimits) throws {
        // Per article at most a tag and a five-byte length; the envelope's id, tags and status.
        let framing = 6 * articles.count + 64
        let plain = page.shell.count + articles.reduce(0) { $0 + $1.body.plainCount } + framing
        // The articles compressed one by one: more than the reply's one stream, so a bound.
        let bound = page.shell.count + articles.reduce(0) { $0 + $1.body.bytes.count } + framing
        guard bound > limits.maxFrameBytes || plain > limits.maxInflatedBytes else { return }
        let reply = try parsed.serializedBytes() as [UInt8]
        let sent = reply.count < limits.compressionThreshold ? reply.count
            : reply.withUnsafeBytes { Zlib.compress($0, level: limits.compressionLevel).count }
        guard sent + 64 > limits.maxFrameBytes || reply.count + 64 > limits.maxInflatedBytes else { return }
        throw StatusError(.invalidArgument, "page \(page.id) is too large to be served whole: its parsed form is "
                          + "\(reply.count) bytes (\(sent) compressed), over the limits of \(limits.maxFrameBytes) bytes a "
                          + "frame and \(limits.maxInflatedBytes) inflated; split it into smaller pages")
    }
}

extension PreparedPage {
    /// The articles in stored form, their keys interned in `keys` (the corpus' table, or one
    /// shared by the workers of a load that hands it to the corpus it builds).
    func storedArticles(keys: inout KeyTable) -> [StoredArticle] {
        articles.map { article in
            for entity in article.entities { keys.prefetch(entity) }
            return StoredArticle(body: article.body, summary: article.summaryBytes, date: article.date,
                                 keys: FilterKeys(section: keys.intern(article.section), authors: article.authors.map { keys.intern($0) },
                                                  entities: article.entities.map { keys.intern($0) }))
        }
    }
}

/// Folded filter keys (sections, authors, entities) interned as small ids, so an archive's
/// thousands of repeated names are held once.
package struct KeyTable {
    private var keys = StringInterner()

    mutating func intern(_ key: String) -> UInt32 { keys.intern(key) }
    /// Before interning a batch of keys (see StringInterner.prefetch).
    func prefetch(_ key: String) { keys.prefetch(key) }
    package func id(of key: String) -> UInt32? { keys.id(of: key) }
    func key(_ id: UInt32) -> String { keys.string(id) }
}

/// The in-memory model of the whole archive. A value type: the store mutates it under a lock
/// and reload builds a fresh one beside it.
package struct Corpus {
    package private(set) var pages: [String: StoredPage] = [:]
    package private(set) var articles: [String: StoredArticle] = [:]
    private(set) var textBytes = 0
    package private(set) var keys: KeyTable
    /// The dictionary the bodies read from the snapshot are compressed with (nil after a parse:
    /// the next snapshot write builds one).
    var dictionary: ArticleDictionary?
    /// Page ids in order; rebuilt lazily after a change.
    private var orderCache: [String]?

    init(keys: KeyTable = KeyTable()) {
        self.keys = keys
    }

    var pageCount: Int { pages.count }
    var articleCount: Int { articles.count }

    /// Bytes of the article bodies held, and what they would take serialized (for the load log).
    var bodyBytes: (stored: Int, plain: Int) {
        articles.values.reduce((0, 0)) { ($0.0 + $1.bodyCount, $0.1 + $1.plainCount) }
    }

    mutating func intern(_ key: String) -> UInt32 { keys.intern(key) }

    mutating func reserveCapacity(pages pageCount: Int, articles articleCount: Int) {
        pages.reserveCapacity(pageCount)
        articles.reserveCapacity(articleCount)
    }

    /// Adds or replaces a page; returns the page it replaced.
    @discardableResult
    mutating func upsert(_ prepared: PreparedPage) -> StoredPage? {
        upsert(prepared.page, articles: prepared.storedArticles(keys: &keys))
    }

    /// Adds or replaces a page whose articles (in page order) are already in stored form.
    @discardableResult
    mutating func upsert(_ page: StoredPage, articles stored: [StoredArticle]) -> StoredPage? {
        let old = remove(page.id)
        pages[page.id] = page
        for (id, article) in zip(page.articleIDs, stored) { articles[id] = article }
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
