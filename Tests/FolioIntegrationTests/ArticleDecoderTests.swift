@testable import FolioClient
import FolioModel
import FolioWire
import Foundation
import Testing
import FolioTestSupport

/// `getArticle` decodes with a hand-written decoder: it must give exactly what swift-protobuf
/// gives for every article foliod serves, and leave anything unusual to swift-protobuf.
@Suite("Article decoder", .serialized)
struct ArticleDecoderTests {
    @Test("Every served article decodes to what swift-protobuf decodes, on the fast path")
    func servedArticlesAgree() async throws {
        try await withDaemon { _, client in
            _ = try await client.ingest(TestPages.seedRequest())
            for index in 0..<12 { _ = try await client.ingest(TestPages.ingestRequest(index, articlesPerPage: 4)) }
            for (index, text) in TestPages.fixturePages.prefix(25).enumerated() {
                var request = Folio_V1_IngestRequest()
                request.text = text
                request.pageID = "fixture-\(index)"
                _ = try await client.ingest(request)
            }
            var listing = Folio_V1_ListArticlesRequest()
            listing.pageSize = 1000
            let ids = try await client.listArticles(listing).articles.map(\.id)
            #expect(ids.count > 100)
            var entities = 0, quantities = 0
            for id in ids {
                for script: Folio_V1_OutputScript in [.original, .traditional] {
                    var request = Folio_V1_GetArticleRequest()
                    request.articleID = id
                    request.script = script
                    let bytes = try await client.call(method: FolioMethod.getArticle.rawValue, body: request.serializedData())
                    let reference = try Folio_V1_Article(serializedBytes: bytes)
                    let fast = ArticleDecoder.decode(bytes)
                    #expect(fast != nil, "\(id) fell back to swift-protobuf")
                    #expect(fast == reference, "\(id)")
                    #expect(fast?.hasDateline == reference.hasDateline && fast?.hasLines == reference.hasLines)
                    #expect(try await client.getArticle(id: id, script: script) == reference)
                    entities += reference.entities.count
                    quantities += reference.entities.filter(\.hasQuantity).count
                }
            }
            #expect(entities > 0 && quantities > 0, "the articles exercise entities and quantities")
        }
    }

    @Test("Unusual encodings fall back to swift-protobuf's exact result or error")
    func unusualEncodingsFallBack() throws {
        var article = Folio_V1_Article()
        article.id = "a-01"
        article.headline = "錦州港"
        var entity = Folio_V1_Entity()
        entity.text = "17.2萬平方米"
        entity.quantity.value = 172_000
        entity.quantity.unit = "平方米"
        var mention = Folio_V1_Mention()
        mention.start = 3
        mention.end = 9
        entity.mentions = [mention, mention]
        article.entities = [entity]
        var block = Folio_V1_Block()
        block.text = "本报讯"
        block.lines = [1, 2, 300]
        article.body = [block]
        let plain: [UInt8] = try article.serializedBytes()
        #expect(ArticleDecoder.decode(Data(plain)) == article)

        let unknownField = plain + [0x80, 0x01, 0x05]                   // field 16, varint 5: kept as unknown
        let headlineTwice = plain + [0x2A, 0x01, 0x41]                   // headline again: last one wins
        let datelineTwice: [UInt8] = [0x42, 0x02, 0x0A, 0x00, 0x42, 0x02, 0x12, 0x00]  // messages merge
        let unpackedLines: [UInt8] = [0x52, 0x04, 0x18, 0x01, 0x18, 0x02]  // body block, lines unpacked
        let bigBool: [UInt8] = [0x52, 0x02, 0x20, 0x02]                   // starts_mid_sentence = 2
        for bytes in [unknownField, headlineTwice, datelineTwice, unpackedLines, bigBool] {
            #expect(ArticleDecoder.decode(Data(bytes)) == nil, "\(bytes)")
            #expect(try FolioClient.decodeArticle(Data(bytes)) == Folio_V1_Article(serializedBytes: bytes))
        }
        for broken: [UInt8] in [[0x0A, 0x05, 0x41], [0x0A, 0x02, 0xC3, 0x28], [0x62, 0x03, 0x22, 0x05]] {
            #expect(ArticleDecoder.decode(Data(broken)) == nil)
            #expect(throws: FolioError.self) { try FolioClient.decodeArticle(Data(broken)) }
        }
    }
}
