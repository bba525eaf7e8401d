import FolioModel
import FolioWire

/// One stored page (with its articles) as a record of the start-up snapshot. Varint-prefixed
/// fields; every length is checked on the way in, so a damaged record is refused, never trusted.
///
/// Layout: page id, text bytes, shell, page summary, article count, then per article: article id,
/// body kind (0 plain, 1 deflated, 2 deflated with the snapshot's dictionary), body bytes, [adler,
/// plain length when deflated; plain length with the dictionary], summary kind (0 plain, 1 with the
/// dictionary), summary, [its plain length], date, section key, author keys, entity keys; then the
/// retired anchor count and per anchor: id, first line, headline, opening kind (0 none, 1 given),
/// [opening].
enum StoreRecord {
    /// Bump when the layout (or what the stored model means) changes: it is part of the snapshot key.
    /// 4: a deflated body (kind 1) is a complete raw deflate stream, no longer sync-flushed blocks.
    /// 5: page file stamps hold the status change time (ctime), not the modification time.
    /// 6: a page's retired anchors follow its articles.
    static let formatVersion = 6

    /// With a `dictionary`, every body it makes smaller is written compressed with it (bodies
    /// already compressed with it are written as they are).
    static func encode(_ page: StoredPage, from corpus: Corpus, dictionary: ArticleDictionary? = nil,
                       limits: WireLimits = .default) throws -> [UInt8] {
        var out = RecordWriter()
        out.string(page.id)
        out.varint(UInt64(page.textBytes))
        out.bytes(page.shell)
        out.bytes(try page.summary.serializedBytes() as [UInt8])
        out.varint(UInt64(page.articleIDs.count))
        for id in page.articleIDs {
            guard let article = corpus.articles[id] else { throw StoreRecordError.damaged("article \(id) of page \(page.id) is missing") }
            out.string(id)
            let stored = try dictionary.map { try article.compressed(with: $0, limits: limits) }
                ?? article.withoutDictionary(limits: limits)
            switch stored.kind {
            case .plain:
                out.varint(0)
                out.bytes(stored.bodyBytes)
            case .deflated:
                out.varint(1)
                out.bytes(stored.bodyBytes)
                out.varint(UInt64(stored.adler))
                out.varint(UInt64(stored.plainCount))
            case .withDictionary:
                out.varint(2)
                out.bytes(stored.bodyBytes)
                out.varint(UInt64(stored.plainCount))
            }
            out.varint(stored.summaryIsCompressed ? 1 : 0)
            out.bytes(stored.storedSummary)
            if stored.summaryIsCompressed { out.varint(UInt64(stored.summaryPlainCount)) }
            out.string(article.date)
            out.string(corpus.keys.key(article.keys.section))
            out.strings(article.keys.authors.map(corpus.keys.key))
            out.strings(article.keys.entities.map(corpus.keys.key))
        }
        out.varint(UInt64(page.retired.count))
        for anchor in page.retired {
            out.string(anchor.id)
            out.varint(UInt64(anchor.line))
            out.string(anchor.headline)
            out.varint(anchor.opening == nil ? 0 : 1)
            if let opening = anchor.opening { out.string(opening) }
        }
        return out.bytes
    }

    /// Decodes one page record straight into `corpus` (no intermediate copy of the model).
    static func decode(_ record: ArraySlice<UInt8>, limits: WireLimits, dictionary: ArticleDictionary? = nil,
                       into corpus: inout Corpus) throws {
        var input = RecordReader(record)
        let id = try input.string()
        let textBytes = try input.count()
        let shell = Array(try input.bytes())
        let summary = try Folio_V1_PageSummary(serializedBytes: Array(try input.bytes()))
        let articleCount = try input.count()
        guard articleCount <= input.remaining else { throw StoreRecordError.damaged("implausible article count") }
        var articleIDs: [String] = []
        var articles: [StoredArticle] = []
        articleIDs.reserveCapacity(articleCount)
        articles.reserveCapacity(articleCount)
        for _ in 0..<articleCount {
            articleIDs.append(try input.string())
            let kind = try input.varint()
            let body = try input.bytes()
            var plainCount = body.count, adler: UInt32 = 0
            switch kind {
            case 0:
                break
            case 1:
                guard let checksum = UInt32(exactly: try input.varint()) else { throw StoreRecordError.damaged("bad checksum") }
                adler = checksum
                plainCount = try input.count()
            case 2:
                guard dictionary != nil else { throw StoreRecordError.damaged("a body needs the dictionary the snapshot lacks") }
                plainCount = try input.count()
            default:
                throw StoreRecordError.damaged("unknown body kind")
            }
            let summaryKind = try input.varint()
            guard summaryKind <= 1, summaryKind == 0 || kind == 2 else { throw StoreRecordError.damaged("unknown summary kind") }
            let summary = try input.bytes()
            var summaryPlainCount: Int?
            if summaryKind == 1 { summaryPlainCount = try input.count() }
            let date = try input.string()
            let section = corpus.intern(try input.string())
            let authors = try input.strings().map { corpus.intern($0) }
            let entities = try input.strings().map { corpus.intern($0) }
            articles.append(StoredArticle(kind: ArticleBody.Kind(rawValue: UInt8(kind))!, body: body, plainCount: plainCount,
                                          adler: adler, summary: summary, summaryPlainCount: summaryPlainCount, date: date,
                                          keys: FilterKeys(section: section, authors: authors, entities: entities),
                                          dictionary: kind == 2 ? dictionary : nil))
        }
        let retiredCount = try input.count()
        guard retiredCount <= input.remaining else { throw StoreRecordError.damaged("implausible retired anchor count") }
        var retired: [ArticleAnchor] = []
        retired.reserveCapacity(retiredCount)
        for _ in 0..<retiredCount {
            let anchorID = try input.string()
            guard let line = UInt32(exactly: try input.varint()) else { throw StoreRecordError.damaged("bad anchor line") }
            let headline = try input.string()
            let opening: String?
            switch try input.varint() {
            case 0: opening = nil
            case 1: opening = try input.string()
            default: throw StoreRecordError.damaged("unknown opening kind")
            }
            retired.append(ArticleAnchor(id: anchorID, line: line, headline: headline, retired: true, opening: opening))
        }
        guard input.isAtEnd else { throw StoreRecordError.damaged("trailing bytes in page \(id)") }
        corpus.upsert(StoredPage(id: id, shell: shell, articleIDs: articleIDs, summary: summary, textBytes: textBytes,
                                 retired: retired), articles: articles)
    }
}

enum StoreRecordError: Error, CustomStringConvertible {
    case damaged(String)
    var description: String {
        switch self {
        case .damaged(let why): "damaged page record: \(why)"
        }
    }
}

struct RecordWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        ProtoWire.writeVarint(value, into: &bytes)
    }

    mutating func bytes(_ value: some Collection<UInt8>) {
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ value: String) { bytes(Array(value.utf8)) }

    mutating func strings(_ values: [String]) {
        varint(UInt64(values.count))
        for value in values { string(value) }
    }
}

struct RecordReader {
    private let data: ArraySlice<UInt8>
    private var position: Int

    init(_ data: ArraySlice<UInt8>) {
        self.data = data
        position = data.startIndex
    }

    var isAtEnd: Bool { position == data.endIndex }
    var remaining: Int { data.endIndex - position }

    mutating func varint() throws -> UInt64 {
        guard let value = ProtoWire.readVarint(data, at: &position) else { throw StoreRecordError.damaged("truncated number") }
        return value
    }

    /// A count or size: bounded by what is left, so a damaged length cannot ask for a huge allocation.
    mutating func count() throws -> Int {
        let value = try varint()
        guard value <= UInt64(Int32.max) else { throw StoreRecordError.damaged("implausible length") }
        return Int(value)
    }

    mutating func bytes() throws -> ArraySlice<UInt8> {
        let length = try count()
        guard length <= data.endIndex - position else { throw StoreRecordError.damaged("truncated field") }
        defer { position += length }
        return data[position..<(position + length)]
    }

    mutating func string() throws -> String { String(decoding: try bytes(), as: UTF8.self) }

    mutating func strings() throws -> [String] {
        let count = try count()
        guard count <= data.endIndex - position else { throw StoreRecordError.damaged("implausible list length") }
        return try (0..<count).map { _ in try string() }
    }
}
