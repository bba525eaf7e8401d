import FolioClient
import FolioModel
import FolioWire
import Foundation
import Testing
import FolioTestSupport

/// Every method of the service through FolioClient, against a real foliod.
@Suite("FolioClient methods", .serialized)
struct ClientMethodTests {
    @Test("ServerInfo, Health and ListMethods describe the daemon")
    func describesDaemon() async throws {
        try await withDaemon { daemon, client in
            let info = try await client.serverInfo()
            #expect(info.name == "foliod")
            #expect(info.protocolVersion == FrameLayout.protocolVersion)
            #expect(info.pid == UInt32(daemon.pid))
            #expect(!info.sample)
            #expect(info.maxFrameBytes == UInt32(WireLimits.default.maxFrameBytes))

            let health = try await client.health()
            #expect(health.status == .serving)

            let methods = try await client.listMethods().methods
            let byName = Dictionary(methods.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for method in FolioMethod.allCases {
                let listed = try #require(byName[method.rawValue], "\(method.rawValue) is not listed")
                #expect(listed.write == method.isWrite)
                #expect(listed.serverStreaming == method.isServerStreaming)
                #expect(listed.requestType == method.requestType)
                #expect(listed.responseType == method.responseType)
            }
        }
    }

    @Test("Ingest, GetPage, GetArticle, ListPages, ListArticles and DeletePage agree")
    func storeRoundTrip() async throws {
        try await withDaemon { _, client in
            let ingested = try await client.ingest(TestPages.seedRequest())
            #expect(ingested.pageID == "seed")
            #expect(!ingested.articleIds.isEmpty)
            #expect(!ingested.replaced)

            let page = try await client.getPage(id: "seed")
            #expect(page.id == "seed")
            #expect(page.articles.map(\.id) == ingested.articleIds)

            let firstID = try #require(ingested.articleIds.first)
            let article = try await client.getArticle(id: firstID)
            #expect(article.id == firstID)
            #expect(article.pageID == "seed")
            #expect(article == page.articles[0])

            let pages = try await client.listPages()
            #expect(pages.pages.map(\.id).contains("seed"))
            let summary = try #require(pages.pages.first { $0.id == "seed" })
            #expect(summary.articles == UInt32(ingested.articleIds.count))

            var filter = Folio_V1_ListArticlesRequest()
            filter.pageID = "seed"
            let listed = try await client.listArticles(filter)
            #expect(listed.articles.map(\.id) == ingested.articleIds)
            #expect(listed.total == UInt32(ingested.articleIds.count))

            // The same page again is acknowledged as unchanged; other text under its id needs replace.
            let again = try await client.ingest(TestPages.seedRequest())
            #expect(!again.replaced && again.pageID == "seed")
            var other = TestPages.seedRequest()
            other.text += "\n新增一段。\n"
            await #expect(throws: FolioError.self) { try await client.ingest(other) }
            other.replace = true
            #expect(try await client.ingest(other).replaced)

            let deleted = try await client.deletePage(id: "seed")
            #expect(deleted.articlesRemoved == UInt32(ingested.articleIds.count))
            await #expect(throws: FolioError.self) { try await client.getPage(id: "seed") }
            do {
                _ = try await client.getArticle(id: firstID)
                Issue.record("a deleted article is still served")
            } catch let error as FolioError {
                #expect(error.code == .notFound)
                #expect(error.kind == .server)
            }
        }
    }

    @Test("Parse answers a page without storing it")
    func parseDoesNotStore() async throws {
        try await withDaemon { _, client in
            var request = Folio_V1_ParseRequest()
            request.text = TestPages.seed
            request.source = "seed-page.txt"
            let parsed = try await client.parse(request).page
            #expect(!parsed.articles.isEmpty)
            #expect(parsed.articles.contains { $0.headline.contains("第一動力") })
            #expect(try await client.listPages().total == 0)
        }
    }

    @Test("Convert and --script forms follow OpenCC")
    func scripts() async throws {
        try await withDaemon { _, client in
            #expect(try await client.convert("錦州港", to: .simplified) == "锦州港")
            #expect(try await client.convert("锦州港", to: .traditional) == "錦州港")
            _ = try await client.ingest(TestPages.seedRequest())
            let page = try await client.getPage(id: "seed", script: .simplified)
            let headline = try #require(page.articles.first { $0.headline.contains("动力") }).headline
            #expect(headline.contains("让“第一动力”"))
        }
    }

    @Test("Search and SearchStream find the same articles (or say search is not available)")
    func search() async throws {
        try await withDaemon { _, client in
            _ = try await client.ingest(TestPages.seedRequest())
            let response: Folio_V1_SearchResponse
            do {
                response = try await client.search("錦州", limit: 50)
            } catch let error as FolioError where error.code == .unimplemented {
                #expect(error.kind == .server)
                return
            }
            #expect(response.total > 0)
            #expect(!response.hits.isEmpty)
            for hit in response.hits {
                #expect(hit.pageID == "seed")
                let snippet = Array(hit.snippet.unicodeScalars)
                for highlight in hit.highlights { #expect(highlight.start < highlight.end && Int(highlight.end) <= snippet.count) }
            }
            // Simplified query, Traditional page.
            let simplified = try await client.search("锦州", limit: 50)
            #expect(Set(simplified.hits.map(\.articleID)) == Set(response.hits.map(\.articleID)))

            var request = Folio_V1_SearchRequest()
            request.query = "錦州"
            request.limit = 50
            var streamed: [String] = []
            for try await hit in client.searchStream(request) { streamed.append(hit.articleID) }
            #expect(Set(streamed) == Set(response.hits.map(\.articleID)))
        }
    }

    @Test("ListEntities and GetEntity report mentions (or say the entity index is not available)")
    func entities() async throws {
        try await withDaemon { _, client in
            _ = try await client.ingest(TestPages.seedRequest())
            let listed: Folio_V1_ListEntitiesResponse
            do {
                listed = try await client.listEntities()
            } catch let error as FolioError where error.code == .unimplemented {
                #expect(error.kind == .server)
                return
            }
            let top = try #require(listed.entities.first, "the seed page has entities")
            #expect(top.mentions > 0)
            var request = Folio_V1_GetEntityRequest()
            request.text = top.text
            request.type = top.type
            request.pageSize = 1000
            let entity = try await client.getEntity(request)
            #expect(entity.entity.text == top.text)
            #expect(entity.mentions.count == Int(top.mentions))
            #expect(entity.mentions.allSatisfy { $0.pageID == "seed" })
        }
    }

    @Test("ListEntities and GetEntity answer in the script asked for, as Search and GetArticle do")
    func entitiesInAScript() async throws {
        try await withDaemon { _, client in
            _ = try await client.ingest(TestPages.seedRequest())
            var list = Folio_V1_ListEntitiesRequest()
            list.prefix = "锦州"  // either script finds them
            let stored = try await client.listEntities(list)
            #expect(!stored.entities.isEmpty && stored.entities.allSatisfy { $0.text.hasPrefix("锦州") })
            list.script = .traditional
            let traditional = try await client.listEntities(list)
            #expect(traditional.entities.map(\.type) == stored.entities.map(\.type))
            #expect(!traditional.entities.isEmpty && traditional.entities.allSatisfy { $0.text.hasPrefix("錦州") })
            #expect(traditional.entities.allSatisfy { $0.forms.allSatisfy { !$0.contains("锦") } })

            let top = try #require(traditional.entities.first)
            var get = Folio_V1_GetEntityRequest()
            get.text = top.text
            get.type = top.type
            get.pageSize = 1000
            let asStored = try await client.getEntity(get)
            get.script = .simplified
            let simplified = try await client.getEntity(get)
            #expect(simplified.entity.text == asStored.entity.text && simplified.entity.text.hasPrefix("锦州"))
            #expect(!simplified.mentions.isEmpty)
            #expect(simplified.mentions.allSatisfy { !$0.text.contains("錦") && !$0.headline.contains("錦") })
            #expect(asStored.mentions.contains { $0.text.contains("錦") }, "the seed page prints 錦州")
            // Offsets count in the stored text, whatever script the texts come in.
            #expect(simplified.mentions.map(\.mention) == asStored.mentions.map(\.mention))

            // A script this daemon does not know is refused, also where nothing would be converted.
            list.script = .UNRECOGNIZED(9)
            list.prefix = "不存在的前缀"
            get.script = .UNRECOGNIZED(9)
            get.text = "不存在的實體名稱"
            for call in [{ _ = try await client.listEntities(list) }, { _ = try await client.getEntity(get) }] as [() async throws -> Void] {
                do {
                    try await call()
                    Issue.record("a script this daemon does not know was answered")
                } catch let error as FolioError {
                    #expect(error.code == .invalidArgument && error.message.contains("unknown output script 9"), "\(error)")
                }
            }
            // A huge name not found comes back quoted in part, not whole (it came back whole).
            get = .init()
            get.text = String(repeating: "江", count: 100_000)
            do {
                _ = try await client.getEntity(get)
                Issue.record("a name of 100,000 江 was found")
            } catch let error as FolioError {
                #expect(error.code == .notFound && error.message.count < 400 && error.message.contains("(100000 characters)"),
                        "\(error.message.prefix(300))")
            }
        }
    }

    /// `--script taiwan` prints 意大利 as 義大利 (a phrase form, not a character's): that form found
    /// nothing in GetEntity, the entity filters of ListArticles and Search, or ListEntities.
    @Test func anEntityIsFoundByTheFormTaiwansScriptPrintsItIn() async throws {
        try await withDaemon { _, client in
            var request = Folio_V1_IngestRequest()
            request.text = "意大利总理会见中国外长\n本报罗马１月１５日电　意大利总理普罗迪今天在罗马会见了中国外长。\n"
            request.pageID = "rome"
            _ = try await client.ingest(request)
            var get = Folio_V1_GetEntityRequest()
            get.text = "意大利"
            let simplified = try await client.getEntity(get)
            get.text = "義大利"
            let taiwan = try await client.getEntity(get)
            #expect(taiwan.entity.text == simplified.entity.text && !taiwan.mentions.isEmpty)
            var list = Folio_V1_ListArticlesRequest()
            list.entity = "義大利"
            #expect(try await client.listArticles(list).total == 1)
            var entities = Folio_V1_ListEntitiesRequest()
            entities.prefix = "義大利"
            #expect(try await client.listEntities(entities).entities.map(\.text).contains(simplified.entity.text))
            // And the search filter (it found nothing).
            var search = Folio_V1_SearchRequest()
            search.query = "总理 entity:義大利"
            #expect(try await client.search(search).hits.count == 1)
            search.query = "总理 -entity:義大利"
            #expect(try await client.search(search).hits.isEmpty)
        }
    }

    @Test("Stats counts calls; Reload re-reads the data directory")
    func statsAndReload() async throws {
        try await withDaemon { _, client in
            let ingested = try await client.ingest(TestPages.seedRequest())
            for _ in 0..<5 { _ = try await client.getArticle(id: ingested.articleIds[0]) }
            let stats = try await client.stats()
            #expect(stats.pages == 1)
            #expect(stats.articles == UInt32(ingested.articleIds.count))
            let getArticle = try #require(stats.methods.first { $0.method.hasSuffix("GetArticle") })
            #expect(getArticle.calls >= 5)

            let reloaded = try await client.reload()
            #expect(reloaded.pages == 1)
            #expect(reloaded.articles == UInt32(ingested.articleIds.count))
            #expect(try await client.getArticle(id: ingested.articleIds[0]).id == ingested.articleIds[0])
        }
    }

    @Test("The generic call(method:body:) reaches any method")
    func genericCall() async throws {
        try await withDaemon { _, client in
            let body = try await client.call(method: FolioMethod.health.rawValue, body: Data())
            let health = try Folio_V1_HealthResponse(serializedBytes: body)
            #expect(health.status == .serving)
            do {
                _ = try await client.call(method: "/folio.v1.Folio/NoSuchMethod", body: Data())
                Issue.record("an unknown method was answered")
            } catch let error as FolioError {
                #expect(error.code == .unimplemented)
            }
        }
    }

    @Test("No daemon: a clear cannot-connect error")
    func cannotConnect() async throws {
        let path = "/tmp/folio-no-daemon-\(getpid()).sock"
        let client = FolioClient(socketPath: path)
        defer { client.close() }
        do {
            _ = try await client.health()
            Issue.record("health answered without a daemon")
        } catch let error as FolioError {
            #expect(error.kind == .cannotConnect)
            #expect(error.code == .unavailable)
            #expect(error.message == "cannot connect to foliod at \(path): is it running?")
        }
    }

    @Test("The client reconnects after the daemon restarted")
    func reconnects() async throws {
        try await withDaemon { daemon, client in
            #expect(try await client.health().status == .serving)
            await daemon.crash()
            await #expect(throws: FolioError.self) { try await client.health() }
            try await daemon.launch()
            #expect(try await client.health().status == .serving)
        }
    }

    @Test("Socket path resolution follows the shared rule")
    func socketPath() {
        #expect(FolioSocketPath.resolve(explicit: "/a.sock", environment: ["FOLIO_SOCKET": "/b.sock"]) == "/a.sock")
        #expect(FolioSocketPath.resolve(environment: ["FOLIO_SOCKET": "/b.sock", "XDG_RUNTIME_DIR": "/run/user/5"]) == "/b.sock")
        #expect(FolioSocketPath.resolve(environment: ["XDG_RUNTIME_DIR": "/run/user/5"], uid: 5) == "/run/user/5/folio/foliod.sock")
        #expect(FolioSocketPath.resolve(environment: [:], uid: 0) == "/run/folio/foliod.sock")
        #expect(FolioSocketPath.resolve(environment: [:], uid: 1000) == "/tmp/folio-1000/foliod.sock")
    }
}
