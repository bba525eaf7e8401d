import FolioClient
import FolioModel
import Foundation
import Testing

/// One script conversion: `folio parse --script` (offline, the parser's) and `folio get --script` /
/// `folio page --script` (the daemon's) convert the same fields the same way.
@Suite("script conversion: one path", .serialized)
struct ScriptAgreementTests {
    /// A generated page laid out in Traditional characters (Tests/Tools/make_pages.py).
    static let traditionalPage = PackagePaths.root.appendingPathComponent("Tests/Fixtures/pages/19980120-10-1091.txt").path

    /// Ids and page ids depend on how the page was named (file name offline, page id in the store).
    static func withoutIDs(_ article: Folio_V1_Article) -> Folio_V1_Article {
        var article = article
        article.id = ""
        article.pageID = ""
        return article
    }

    @Test("folio parse --script and folio get --script agree on a Traditional page", arguments: ["simplified", "taiwan"])
    func parseAndGetAgree(script: String) async throws {
        try await withDaemon { daemon, _ in
            let ingest = try await CLIRun.folio(["ingest", Self.traditionalPage], socket: daemon.socketPath)
            #expect(ingest.status == 0, "stderr: \(ingest.stderr)")
            let pageID = try #require(ingest.lines.first?.split(separator: "\t").first.map(String.init))

            let parse = try await CLIRun.folio(["parse", Self.traditionalPage, "--json", "--script", script], socket: nil)
            let offline = try Folio_V1_Page(jsonString: parse.stdout, options: FolioJSON.parseOptions)
            let original = try Folio_V1_Page(jsonString: try await CLIRun.folio(["parse", Self.traditionalPage, "--json"],
                                                                               socket: nil).stdout,
                                             options: FolioJSON.parseOptions)
            #expect(offline.articles.count >= 2)
            if script == "simplified" {
                #expect(offline.articles.map(\.headline) != original.articles.map(\.headline), "nothing was converted")
            }

            let served = try await CLIRun.folio(["page", pageID, "--json", "--script", script], socket: daemon.socketPath)
            #expect(served.status == 0, "stderr: \(served.stderr)")
            let page = try Folio_V1_Page(jsonString: served.stdout, options: FolioJSON.parseOptions)
            #expect(page.articles.map(Self.withoutIDs) == offline.articles.map(Self.withoutIDs))
            #expect(page.sections.map(\.rubric) == offline.sections.map(\.rubric))
            // What is not text a person reads stays as parsed: the source name, normalized entity forms.
            #expect(page.source == (Self.traditionalPage as NSString).lastPathComponent)
            #expect(page.articles.flatMap(\.entities).map(\.normalized)
                    == original.articles.flatMap(\.entities).map(\.normalized))

            for (stored, parsed) in zip(page.articles, offline.articles).prefix(3) {
                let get = try await CLIRun.folio(["get", stored.id, "--json", "--script", script], socket: daemon.socketPath)
                #expect(get.status == 0, "stderr: \(get.stderr)")
                let article = try Folio_V1_Article(jsonString: get.stdout, options: FolioJSON.parseOptions)
                #expect(Self.withoutIDs(article) == Self.withoutIDs(parsed))
            }
        }
    }

    /// A page corrected to another script with a replace (Simplified left over from a bad conversion
    /// made Traditional) holds the same stories: foliod keeps their ids, and the old ids answer.
    @Test("a replace that only corrects the script keeps the article ids")
    func scriptCorrectionKeepsArticleIDs() async throws {
        let leftovers = """
            錦州港加快建設國家多式聯運示范工程

            本報訊 近日，全國第四批多式聯運示范工程錦州港專場視頻評審會召開，交通運輸部正式發布公告。

            開展綜合培訓 提升青年干部能力素質

            本報訊 近日，中共錦州市委党校青年干部秋季培訓班圓滿結束，來自全市各部門的青年干部學習了課程。

            """
        let corrected = leftovers.replacingOccurrences(of: "示范", with: "示範").replacingOccurrences(of: "干部", with: "幹部")
            .replacingOccurrences(of: "党校", with: "黨校")
        try await withDaemon { _, client in
            var request = Folio_V1_IngestRequest()
            request.text = leftovers
            request.source = "pg.txt"
            request.pageID = "pg"
            let first = try await client.ingest(request)
            #expect(first.articleIds.count == 2)
            request.text = corrected
            request.replace = true
            let second = try await client.ingest(request)
            #expect(second.replaced)
            #expect(second.articleIds == first.articleIds)
            for id in first.articleIds {
                let article = try await client.getArticle(id: id)
                #expect(article.headline.contains("示範") || article.headline.contains("幹部"), "\(article.headline)")
            }
        }
    }
}
