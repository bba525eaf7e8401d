import FolioClient
import FolioModel
import FolioWire
import Foundation
import Testing

/// FolioClient's rule for GetArticle: ask for a plain answer (inflating a small article costs
/// more than the bytes it saves on a local socket), and fetch it again accepting zlib when the
/// article does not fit a plain frame.
@Suite struct ArticleCompressionTests {
    static let frameLimit = 16_384

    @Test("GetArticle asks plain by default and retries compressed when the article is too large")
    func oversizedArticleIsRefetchedCompressed() async throws {
        try await withDaemon(arguments: ["--max-frame-bytes", "\(Self.frameLimit)"]) { _, client in
            var request = Folio_V1_IngestRequest()
            request.text = "長文\n作者：錢三\n" + String(repeating: "錦州港新建泊位投入使用，貨物吞吐量持續增長。", count: 600)
            request.source = "long.txt"
            request.pageID = "long"
            let ingested = try await client.ingest(request)  // compressed by the client: fits the frame
            let id = try #require(ingested.articleIds.first)

            let article = try await client.getArticle(id: id)
            #expect(try article.serializedData().count > Self.frameLimit)
            // foliod saw two GetArticle calls: the plain one that did not fit, then the compressed one.
            let calls = try await client.stats().methods.first { $0.method == FolioMethod.getArticle.rawValue }?.calls
            #expect(calls == 2)

            let compressed = try await client.getArticle(id: id, options: .init(acceptCompressedResponses: true))
            #expect(compressed == article)
            do {
                _ = try await client.getArticle(id: id, options: .init(acceptCompressedResponses: false))
                Issue.record("an article over the frame limit came back uncompressed")
            } catch let error as FolioError {
                #expect(error.code == .resourceExhausted, "\(error.kind): \(error.message)")
                #expect(error.message.contains("reply not sent") && error.message.contains("ask for less"), "\(error.message)")
            }
        }
    }
}
