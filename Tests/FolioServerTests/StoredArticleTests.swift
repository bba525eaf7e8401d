@testable import FolioServer
@testable import FolioStore
import FolioModel
import FolioWire
import Foundation
import NIOCore
import Testing
import FolioTestSupport

@Suite struct StoreRecordTests {
    /// A corpus of one page: a long article (kept deflated) and the two of the sample page.
    static func corpus() throws -> Corpus {
        let page = BlockPageParser().parsePage(text: SnapshotStartupTests.pages["p2"]! + "\n\n" + samplePage, source: "p.txt",
                                               info: nil, pageID: "p")
        var corpus = Corpus()
        corpus.upsert(try PreparedPage(page, textBytes: 123, limits: WireLimits(), text: TableTextServices()))
        return corpus
    }

    /// The dictionary a snapshot write builds for `corpus`.
    static func dictionary(_ corpus: Corpus) throws -> ArticleDictionary {
        var corpus = corpus
        return try #require(ArticleDictionaryBuilder.build(from: corpus, order: corpus.orderedPageIDs(), limits: WireLimits()))
    }

    @Test func aRecordRoundTrips() throws {
        let original = try Self.corpus()
        let encoded = try StoreRecord.encode(original.pages["p"]!, from: original)
        var decoded = Corpus()
        try StoreRecord.decode(encoded[...], limits: WireLimits(), into: &decoded)
        #expect(try StoreRecord.encode(decoded.pages["p"]!, from: decoded) == encoded)
        #expect(decoded.pages["p"]?.articleIDs == ["p-01", "p-02", "p-03"])
        #expect(decoded.textBytes == 123)
        for id in ["p-01", "p-02", "p-03"] {
            let keys = { (c: Corpus) in c.articles[id].map { $0.keys.entities.map(c.keys.key) } }
            #expect(keys(decoded) == keys(original))
        }
        #expect(try decoded.articles["p-02"]?.summary() == original.articles["p-02"]?.summary())
        #expect(decoded.articles["p-02"]?.date == original.articles["p-02"]?.date)
        // The long article is kept deflated, and inflates back to the message.
        let long = try #require(decoded.articles["p-01"])
        #expect(long.kind == .deflated)
        #expect(try long.body.article(limits: WireLimits()).headline == "長文")
    }

    @Test func aRecordWithTheDictionaryRoundTripsToTheSameMessages() throws {
        let original = try Self.corpus()
        let dictionary = try Self.dictionary(original)
        #expect(dictionary.bytes.count <= ArticleDictionary.maximumSize)
        let encoded = try StoreRecord.encode(original.pages["p"]!, from: original, dictionary: dictionary)
        var decoded = Corpus()
        try StoreRecord.decode(encoded[...], limits: WireLimits(), dictionary: dictionary, into: &decoded)
        for id in ["p-01", "p-02", "p-03"] {
            let before = try #require(original.articles[id]), after = try #require(decoded.articles[id])
            #expect(try after.body.serialized(limits: WireLimits()) == before.body.serialized(limits: WireLimits()))
            #expect(after.bodyCount <= before.bodyCount)
            #expect(try after.summary() == before.summary())
        }
        #expect(decoded.articles["p-01"]?.kind == .withDictionary)
        // A summary the dictionary shortens is kept compressed too, and reads back the same.
        let long = try #require(original.articles["p-01"])
        let rich = ArticleDictionary(bytes: try long.summaryBytes() + dictionary.bytes)
        let packed = try long.compressed(with: rich, limits: WireLimits())
        #expect(packed.summaryIsCompressed)
        #expect(packed.storedSummary.count < (try long.summaryBytes()).count)
        #expect(try packed.summary() == long.summary())
        #expect(try packed.withoutDictionary(limits: WireLimits()).summaryBytes() == long.summaryBytes())
        // Written again with the same dictionary: the same bytes, nothing recompressed differently.
        #expect(try StoreRecord.encode(decoded.pages["p"]!, from: decoded, dictionary: dictionary) == encoded)
        // Without its dictionary, the record is refused; written without one, it needs none.
        var lacking = Corpus()
        #expect(throws: StoreRecordError.self) { try StoreRecord.decode(encoded[...], limits: WireLimits(), into: &lacking) }
        let plainAgain = try StoreRecord.encode(decoded.pages["p"]!, from: decoded)
        #expect(plainAgain == (try StoreRecord.encode(original.pages["p"]!, from: original)))
    }

    @Test func everyTruncationOrExtraByteIsRefusedNotTrusted() throws {
        let original = try Self.corpus()
        let dictionary = try Self.dictionary(original)
        for encoded in [try StoreRecord.encode(original.pages["p"]!, from: original),
                        try StoreRecord.encode(original.pages["p"]!, from: original, dictionary: dictionary)] {
            for length in stride(from: 0, to: encoded.count - 1, by: 7) {
                var corpus = Corpus()
                #expect(throws: (any Error).self) {
                    try StoreRecord.decode(encoded[..<length], limits: WireLimits(), dictionary: dictionary, into: &corpus)
                }
                #expect(corpus.pageCount == 0)
            }
            var grown = encoded
            grown.append(0)
            var corpus = Corpus()
            #expect(throws: (any Error).self) {
                try StoreRecord.decode(grown[...], limits: WireLimits(), dictionary: dictionary, into: &corpus)
            }
        }
    }
}

@Suite struct ArticleDictionaryTests {
    @Test func aDamagedStreamIsRefusedNotTrusted() throws {
        let dictionary = try StoreRecordTests.dictionary(try StoreRecordTests.corpus())
        let plain = Array("錦州港新建泊位投入使用，貨物吞吐量持續增長。".utf8) + Array(repeating: 7, count: 300)
        let blocks = dictionary.deflate(plain)
        #expect(try dictionary.inflate(blocks[...], plainCount: plain.count) == plain)
        #expect(throws: StatusError.self) { try dictionary.inflate(blocks[...], plainCount: plain.count - 1) }
        #expect(throws: StatusError.self) { try dictionary.inflate(blocks[...], plainCount: plain.count + 1) }
        #expect(throws: StatusError.self) { try dictionary.inflate(blocks.dropLast(3), plainCount: plain.count) }
        var flipped = blocks
        flipped[flipped.count / 2] ^= 0x5A
        #expect((try? dictionary.inflate(flipped[...], plainCount: plain.count)) != plain)
        // Another dictionary does not inflate it to the same bytes.
        let other = ArticleDictionary(bytes: Array(repeating: 0x41, count: 1024))
        #expect((try? other.inflate(blocks[...], plainCount: plain.count)) != plain)
    }

    @Test func theBuildIsDeterministicAndNeedsSharedStrings() throws {
        let corpus = try StoreRecordTests.corpus()
        #expect(try StoreRecordTests.dictionary(corpus).bytes == StoreRecordTests.dictionary(corpus).bytes)
        var lonely = ArticleDictionaryBuilder()
        lonely.add(Array("一篇文章，没有别的文章与它共享任何字符串。".utf8))
        #expect(lonely.build() == nil)
    }
}

@Suite struct ArticleBodyTests {
    /// The frame every client must get for the article: the plain message in an OK envelope.
    static func reference(_ body: ArticleBody, id: UInt64 = 7) throws -> ByteBuffer {
        try FrameWriter.okResponseFrame(id: id, body: body.serialized(limits: WireLimits()), compress: false)
    }

    static func payload(_ frame: ByteBuffer) throws -> (ByteBuffer, compressed: Bool) {
        var parser = FrameParser()
        var frame = frame
        let parsed = try #require(try parser.next(from: &frame))
        return (parsed.payload, parsed.wasCompressed)
    }

    /// Whether `payload` holds the envelope `frame` (a plain frame) holds: the spliced frame puts
    /// the status before the body (field order is free in protobuf), so the bytes differ.
    static func sameEnvelope(_ payload: ByteBuffer, _ frame: ByteBuffer) throws -> Bool {
        var expected = frame
        expected.moveReaderIndex(forwardBy: FrameLayout.headerBytes)
        let decoded = try Folio_V1_Response(serializedBytes: Array(payload.readableBytesView))
        return try decoded == Folio_V1_Response(serializedBytes: Array(expected.readableBytesView)) && decoded.hasStatus
    }

    @Test func aDeflatedBodyFramesAsThePlainMessageWould() throws {
        let corpus = try StoreRecordTests.corpus()
        let body = try #require(corpus.articles["p-01"]).body
        #expect(body.stored.kind == .deflated)
        let plain = try body.serialized(limits: WireLimits())
        let reference = try Self.reference(body)
        let cache = PlainArticleCache(budgetBytes: 1 << 20)
        for _ in 0..<3 {  // the per-thread inflater is reused; later rounds come from the cache
            #expect(try body.responseFrame(id: 7, compress: false, limits: WireLimits(), allocator: .init(),
                                           cache: cache) == reference)
        }
        #expect(cache.plain(of: body) == plain)
        #expect(cache.plain(of: corpus.articles["p-01"]!.body) == plain)  // a new view of the same record
        #expect(cache.count == 1)
        let (payload, compressed) = try Self.payload(try body.responseFrame(id: 7, compress: true, limits: WireLimits(), allocator: .init()))
        #expect(compressed)
        #expect(try Self.sameEnvelope(payload, reference))
    }

    @Test func aBodyWithTheDictionaryIsSentPlainToEveryClient() throws {
        let corpus = try StoreRecordTests.corpus()
        let dictionary = try StoreRecordTests.dictionary(corpus)
        let stored = try #require(corpus.articles["p-01"]).compressed(with: dictionary, limits: WireLimits())
        #expect(stored.kind == .withDictionary)
        let body = stored.body
        let reference = try Self.reference(body, id: 9)
        let cache = PlainArticleCache(budgetBytes: 1 << 20)
        for compress in [false, true, false, true] {
            #expect(try body.responseFrame(id: 9, compress: compress, limits: WireLimits(), allocator: .init(),
                                           cache: cache) == reference)
        }
        #expect(cache.count == 1)
        // Too large for a plain frame: a zlib client gets it compressed per call, a plain one an error.
        var small = WireLimits()
        small.maxFrameBytes = body.plainCount / 2
        let (payload, compressed) = try Self.payload(try body.responseFrame(id: 9, compress: true, limits: small, allocator: .init()))
        #expect(compressed)
        #expect(try Self.sameEnvelope(payload, reference))
        #expect(throws: WireError.self) { try body.responseFrame(id: 9, compress: false, limits: small, allocator: .init()) }
    }

    @Test func thePlainCacheStaysWithinItsBudgetEvictingTheOldestFirst() throws {
        func article() -> ArticleBody {
            StoredArticle(kind: .deflated, body: [], plainCount: 0, adler: 1, summary: [], date: "",
                          keys: FilterKeys(section: 0, authors: [], entities: []), dictionary: nil).body
        }
        let bodies = (0..<6).map { _ in article() }
        let cache = PlainArticleCache(budgetBytes: 3200)
        for body in bodies { cache.insert([UInt8](repeating: 1, count: 100), for: body) }
        #expect(cache.heldBytes == 600)
        cache.insert([UInt8](repeating: 2, count: 101), for: bodies[0])  // already held: unchanged
        #expect(cache.plain(of: bodies[0]) == [UInt8](repeating: 1, count: 100))
        cache.insert([UInt8](repeating: 3, count: 201), for: article())
        #expect(cache.count == 6)  // over budget / 16: never cached
        let newcomers = (0..<30).map { _ in article() }
        for body in newcomers { cache.insert([UInt8](repeating: 4, count: 100), for: body) }
        #expect(cache.heldBytes <= cache.budgetBytes)
        #expect(cache.plain(of: bodies[0]) == nil)  // the oldest went first
        #expect(cache.plain(of: bodies[4]) != nil)
        #expect(cache.plain(of: newcomers[29]) != nil)
        #expect(cache.count == 32)
    }
}
