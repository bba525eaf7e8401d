import FolioModel
import FolioWire

/// An article as the store keeps it: one byte record (its response body, its summary serialized
/// — ListArticles decodes the ones it returns — and its date), its folded filter keys as ids into
/// the corpus' `KeyTable`, and the dictionary its body needs, if any. No parsed `Folio_V1_Article`
/// and no object per article: a 100,000-article archive held five allocations per article before
/// (two objects, three arrays: about 210 bytes of headers each), now two.
///
/// Record: kind u8 | plain length u32 | Adler-32 u32 | body length u32 | summary length u32 |
/// body | summary | date (little-endian).
struct StoredArticle: Sendable {
    let record: [UInt8]
    let keys: FilterKeys
    let dictionary: ArticleDictionary?

    private static let headerBytes = 17

    init(body: PreparedBody, summary: [UInt8], date: String, keys: FilterKeys, dictionary: ArticleDictionary? = nil) {
        self.init(kind: body.kind, body: body.bytes[...], plainCount: body.plainCount, adler: body.adler,
                  summary: summary[...], date: date, keys: keys, dictionary: dictionary)
    }

    init(kind: ArticleBody.Kind, body: ArraySlice<UInt8>, plainCount: Int, adler: UInt32, summary: ArraySlice<UInt8>,
         date: String, keys: FilterKeys, dictionary: ArticleDictionary?) {
        var record: [UInt8] = []
        record.reserveCapacity(Self.headerBytes + body.count + summary.count + date.utf8.count)
        record.append(kind.rawValue)
        for value in [UInt32(plainCount), adler, UInt32(body.count), UInt32(summary.count)] {
            withUnsafeBytes(of: value.littleEndian) { record.append(contentsOf: $0) }
        }
        record += body
        record += summary
        record += date.utf8
        self.record = record
        self.keys = keys
        self.dictionary = dictionary
    }

    private func field(_ offset: Int) -> Int {
        Int(UInt32(littleEndian: record.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }))
    }

    var kind: ArticleBody.Kind { ArticleBody.Kind(rawValue: record[0]) ?? .plain }
    var plainCount: Int { field(1) }
    var adler: UInt32 { UInt32(field(5)) }
    var bodyCount: Int { field(9) }
    private var summaryRange: Range<Int> {
        let start = Self.headerBytes + bodyCount
        return start..<(start + field(13))
    }

    var bodyBytes: ArraySlice<UInt8> { record[Self.headerBytes..<(Self.headerBytes + bodyCount)] }
    var summaryBytes: ArraySlice<UInt8> { record[summaryRange] }
    var date: String { String(decoding: record[summaryRange.upperBound...], as: UTF8.self) }

    /// The response body (a view of this record made per call).
    var body: ArticleBody { ArticleBody(self) }

    var storage: ArticleBody.Storage {
        switch kind {
        case .plain: .plain(bodyBytes)
        case .deflated: .deflated(blocks: bodyBytes, adler: adler, plainCount: plainCount)
        case .withDictionary: .withDictionary(blocks: bodyBytes, plainCount: plainCount, dictionary: dictionary!)
        }
    }

    /// Identifies this record while it is alive (the plain cache holds the record it keys, so the
    /// address cannot be reused meanwhile).
    var identity: Int {
        record.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
    }

    func summary() throws -> Folio_V1_ArticleSummary {
        try Folio_V1_ArticleSummary(serializedBytes: Array(summaryBytes))
    }

    /// Bodies of fewer bytes stay as they are: the dictionary gains them too little for an inflate per call.
    static let dictionaryMinimumBytes = 128

    /// This article with its body compressed with `dictionary` when that makes it smaller, else as it is.
    func compressed(with dictionary: ArticleDictionary, limits: WireLimits) throws -> StoredArticle {
        if kind == .withDictionary, self.dictionary === dictionary { return self }
        guard plainCount >= Self.dictionaryMinimumBytes else { return try withoutDictionary(limits: limits) }
        let plain = try body.serialized(limits: limits)
        let blocks = dictionary.deflate(plain)
        guard blocks.count < (kind == .withDictionary ? plainCount : bodyCount) else { return try withoutDictionary(limits: limits) }
        return StoredArticle(kind: .withDictionary, body: blocks[...], plainCount: plain.count, adler: 0,
                             summary: summaryBytes, date: date, keys: keys, dictionary: dictionary)
    }

    /// This article in a form that needs no dictionary (for a snapshot written without one).
    func withoutDictionary(limits: WireLimits) throws -> StoredArticle {
        guard kind == .withDictionary else { return self }
        return StoredArticle(body: PreparedBody(serialized: try body.serialized(limits: limits), limits: limits),
                             summary: Array(summaryBytes), date: date, keys: keys)
    }
}

/// A response body as a parse makes it: deflated (level 1, spliceable) when at least the wire's
/// compression threshold, else plain.
struct PreparedBody {
    let kind: ArticleBody.Kind
    let bytes: [UInt8]
    let plainCount: Int
    let adler: UInt32

    init(serialized: [UInt8], limits: WireLimits) {
        plainCount = serialized.count
        if serialized.count >= limits.compressionThreshold {
            kind = .deflated
            bytes = serialized.withUnsafeBytes { Zlib.rawDeflateBlocks($0, level: limits.compressionLevel) }
            adler = serialized.withUnsafeBytes { Zlib.adler32($0) }
        } else {
            kind = .plain
            bytes = serialized
            adler = 0
        }
    }
}

/// An article's folded filter keys in one array (one allocation): section, author count, authors, entities.
struct FilterKeys: Sendable {
    private let ids: [UInt32]

    init(section: UInt32, authors: [UInt32], entities: [UInt32]) {
        var ids: [UInt32] = []
        ids.reserveCapacity(2 + authors.count + entities.count)
        ids.append(section)
        ids.append(UInt32(authors.count))
        ids += authors
        ids += entities
        self.ids = ids
    }

    var section: UInt32 { ids[0] }
    var authors: ArraySlice<UInt32> { ids[2..<(2 + Int(ids[1]))] }
    var entities: ArraySlice<UInt32> { ids[(2 + Int(ids[1]))...] }
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
        return Article(body: PreparedBody(serialized: try article.serializedBytes(), limits: limits),
                       summaryBytes: try summary.serializedBytes(), date: summary.date,
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
    /// The dictionary the bodies read from the snapshot are compressed with (nil after a parse:
    /// the next snapshot write builds one).
    var dictionary: ArticleDictionary?
    /// Page ids in order; rebuilt lazily after a change.
    private var orderCache: [String]?

    var pageCount: Int { pages.count }
    var articleCount: Int { articles.count }
    var entityCount: Int {
        var seen = Set<UInt32>()
        for stored in articles.values { seen.formUnion(stored.keys.entities) }
        return seen.count
    }

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
        let stored = prepared.articles.map { article in
            StoredArticle(body: article.body, summary: article.summaryBytes, date: article.date,
                          keys: FilterKeys(section: intern(article.section), authors: article.authors.map { intern($0) },
                                           entities: article.entities.map { intern($0) }))
        }
        return upsert(prepared.page, articles: stored)
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
