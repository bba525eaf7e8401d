import FolioIndex
import FolioModel
import FolioServer
import FolioStore
import FolioWire
import Foundation
import Testing
import FolioTestSupport

let samplePage = """
錦州港擴建
栏目：錦州腳步
作者：崔治
实体：錦州港
錦州港新建泊位投入使用。

第二篇
作者：趙一
本報訊 近日，新通道建設進行。
"""

@Suite(.serialized) struct DaemonCallTests {
    func ingest(_ client: RawClient, _ text: String, id: String, date: String = "2022-10-01") async throws -> Folio_V1_IngestResponse {
        var request = Folio_V1_IngestRequest()
        request.text = text
        request.source = id + ".txt"
        request.pageID = id
        request.info.date = date
        return try await client.call(.ingest, request, as: Folio_V1_IngestResponse.self).get()
    }

    @Test func ingestThenReadBackEveryWay() async throws {
        let harness = try await DaemonHarness()
        let client = try harness.client()
        let ingested = try await ingest(client, samplePage, id: "p1")
        #expect(ingested.articleIds == ["p1-01", "p1-02"])
        #expect(!ingested.replaced)

        var get = Folio_V1_GetArticleRequest()
        get.articleID = "p1-01"
        let article = try await client.call(.getArticle, get, as: Folio_V1_Article.self).get()
        #expect(article.headline == "錦州港擴建")
        get.script = .simplified
        #expect(try await client.call(.getArticle, get, as: Folio_V1_Article.self).get().headline == "锦州港擴建")
        get.articleID = "nope"
        #expect(try await client.call(.getArticle, get, as: Folio_V1_Article.self) == .failure(StatusError(.notFound, "no article nope")))

        var page = Folio_V1_GetPageRequest()
        page.pageID = "p1"
        #expect(try await client.call(.getPage, page, as: Folio_V1_Page.self).get().articles.count == 2)

        // Filters match either script; the author filter ignores inner spaces.
        var list = Folio_V1_ListArticlesRequest()
        list.section = "锦州腳步"
        #expect(try await client.call(.listArticles, list, as: Folio_V1_ListArticlesResponse.self).get().articles.map(\.id) == ["p1-01"])
        list = .init()
        list.author = "趙 一"
        #expect(try await client.call(.listArticles, list, as: Folio_V1_ListArticlesResponse.self).get().articles.map(\.id) == ["p1-02"])
        list = .init()
        list.entity = "锦州港"
        #expect(try await client.call(.listArticles, list, as: Folio_V1_ListArticlesResponse.self).get().total == 1)
        list = .init()
        list.dateFrom = "2022-10-02"
        #expect(try await client.call(.listArticles, list, as: Folio_V1_ListArticlesResponse.self).get().total == 0)
        // A filter of spaces alone names nothing: it selected every article.
        for blank in [" ", "\u{3000}", "  \t"] {
            for field in [\Folio_V1_ListArticlesRequest.entity, \.author, \.section] {
                list = .init()
                list[keyPath: field] = blank
                #expect(try await client.call(.listArticles, list, as: Folio_V1_ListArticlesResponse.self).get().total == 0)
            }
        }
        try await harness.stop()
    }

    @Test func listingsPageThroughWithTokens() async throws {
        let harness = try await DaemonHarness()
        let client = try harness.client()
        for n in 1...5 { _ = try await ingest(client, samplePage, id: "page\(n)") }
        /// Every article id of a listing, page by page (3 a page), each page saying the total is 10.
        func pageThrough(_ first: Folio_V1_ListArticlesRequest) async throws -> [String] {
            var request = first
            request.pageSize = 3
            var seen: [String] = []
            for _ in 0..<10 {
                let response = try await client.call(.listArticles, request, as: Folio_V1_ListArticlesResponse.self).get()
                #expect(response.total == 10)
                seen += response.articles.map(\.id)
                if response.nextPageToken.isEmpty { break }
                request.pageToken = response.nextPageToken
            }
            return seen
        }
        let seen = try await pageThrough(.init())
        #expect(seen.count == 10 && Set(seen).count == 10)
        // A filter that every article passes (the scan of every article) pages the same way as
        // none (read from the resume point on).
        var filtered = Folio_V1_ListArticlesRequest()
        filtered.dateFrom = "2022-10-01"
        #expect(try await pageThrough(filtered) == seen)
        var pages = Folio_V1_ListPagesRequest()
        pages.pageSize = 2
        let first = try await client.call(.listPages, pages, as: Folio_V1_ListPagesResponse.self).get()
        #expect(first.pages.map(\.id) == ["page1", "page2"])
        pages.pageToken = first.nextPageToken
        #expect(try await client.call(.listPages, pages, as: Folio_V1_ListPagesResponse.self).get().pages.map(\.id) == ["page3", "page4"])
        pages.pageToken = "garbage"
        #expect(try await client.call(.listPages, pages, as: Folio_V1_ListPagesResponse.self).statusCode == .invalidArgument)
        // The page a token points into is deleted: the listing goes on with the pages after it.
        var request = Folio_V1_ListArticlesRequest()
        request.pageSize = 3
        let first3 = try await client.call(.listArticles, request, as: Folio_V1_ListArticlesResponse.self).get()
        #expect(first3.articles.map(\.id) == ["page1-01", "page1-02", "page2-01"])
        var delete = Folio_V1_DeletePageRequest()
        delete.pageID = "page2"
        _ = try await client.call(.deletePage, delete, as: Folio_V1_DeletePageResponse.self).get()
        request.pageToken = first3.nextPageToken
        let next3 = try await client.call(.listArticles, request, as: Folio_V1_ListArticlesResponse.self).get()
        #expect(next3.articles.map(\.id) == ["page3-01", "page3-02", "page4-01"])
        #expect(next3.total == 8)
        try await harness.stop()
    }

    /// A replace of the page a ListArticles walk is inside, whose stories keep their ids but move
    /// (one put on top, the first dropped, reordered), neither repeats nor skips a story on the page
    /// before and after it: the walk goes on with the page's stories it has not given, in page
    /// order, then the pages after it. The same with a filter (the scan of every article).
    @Test func articleTokensSurviveAReplaceOfThePageTheyAreInside() async throws {
        let harness = try await DaemonHarness()
        let client = try harness.client()
        let a = "甲地會議\n本報訊 甲地昨天召開全市經濟工作會議，部署今年重點任務。"
        let b = "乙地大橋\n本報訊 連接兩岸的跨海大橋今天上午正式通車，全長十二公里。"
        let c = "丙市圖書館\n本報訊 丙市圖書館新館今天起向市民免費開放，藏書一百二十萬冊。"
        let n = "丁地春運\n本報訊 今天上午，全市春運工作部署會召開，要求做好旅客運輸組織。"
        func replace(_ stories: [String]) async throws -> [String] {
            var request = Folio_V1_IngestRequest()
            request.text = stories.joined(separator: "\n\n")
            request.source = "page1.txt"
            request.pageID = "page1"
            request.replace = true
            request.info.date = "2022-10-01"
            return try await client.call(.ingest, request, as: Folio_V1_IngestResponse.self).get().articleIds
        }
        _ = try await ingest(client, samplePage, id: "page2")  // a page after it: the walk goes on there
        let cases: [(stories: [String], rest: [String])] = [
            ([n, a, b, c], ["page1-04", "page1-03"]),  // a story put on top (new: listed too)
            ([b, c], ["page1-03"]),                    // the first story dropped
            ([c, b, a], ["page1-03"]),                 // reordered
            ([c, a], ["page1-03"]),                    // a given story dropped, the others moved
            ([a, b, c], ["page1-03"]),                 // unchanged
        ]
        for filtered in [false, true] {
            for (stories, rest) in cases {
                #expect(try await replace([a, b, c]) == ["page1-01", "page1-02", "page1-03"])
                var request = Folio_V1_ListArticlesRequest()
                request.pageSize = 2
                if filtered { request.dateFrom = "2022-10-01" }
                var response = try await client.call(.listArticles, request, as: Folio_V1_ListArticlesResponse.self).get()
                var seen = response.articles.map(\.id)
                #expect(seen == ["page1-01", "page1-02"])
                _ = try await replace(stories)
                for _ in 0..<10 where !response.nextPageToken.isEmpty {
                    request.pageToken = response.nextPageToken
                    response = try await client.call(.listArticles, request, as: Folio_V1_ListArticlesResponse.self).get()
                    seen += response.articles.map(\.id)
                }
                #expect(response.nextPageToken.isEmpty)
                #expect(seen == ["page1-01", "page1-02"] + rest + ["page2-01", "page2-02"],
                        "filtered \(filtered), page now \(stories.count) stories")
            }
        }
        try await harness.stop()
    }

    /// A ListArticles token is read strictly: anything foliod did not write (or could not have) is
    /// INVALID_ARGUMENT, never a trap or a huge allocation; tokens of foliod before key-cursor
    /// tokens (page and index) are still read.
    @Test func forgedArticleTokensAreRefusedAndOldOnesStillRead() async throws {
        let harness = try await DaemonHarness()
        let client = try harness.client()
        _ = try await ingest(client, samplePage, id: "page1")
        _ = try await ingest(client, samplePage, id: "page2")
        func token(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        func list(_ pageToken: String) async throws -> Result<Folio_V1_ListArticlesResponse, StatusError> {
            var request = Folio_V1_ListArticlesRequest()
            request.pageSize = 3
            request.pageToken = pageToken
            return try await client.call(.listArticles, request, as: Folio_V1_ListArticlesResponse.self)
        }
        let forged = [
            "garbage", "####", Data([0xFF, 0xFE, 0x1F]).base64EncodedString(), String(repeating: "QUFB", count: 5000),
            token("a2\u{1F}page1\u{1F}2-1\u{1F}"), token("a2\u{1F}page1\u{1F}3,1\u{1F}"), token("a2\u{1F}page1\u{1F}1,2\u{1F}"),
            token("a2\u{1F}page1\u{1F}1-2,2-3\u{1F}"), token("a2\u{1F}page1\u{1F}99999999999\u{1F}"),
            token("a2\u{1F}page1\u{1F}+1\u{1F}"), token("a2\u{1F}page1\u{1F}-1\u{1F}"), token("a2\u{1F}page1\u{1F},\u{1F}"),
            token("a2\u{1F}\u{1F}1\u{1F}"), token("a2\u{1F}page1\u{1F}1\u{1F}%ZZ"), token("a2\u{1F}page1\u{1F}1\u{1F}%C3"),
            token("a2\u{1F}page1\u{1F}1\u{1F}page1-01"), token("a2\u{1F}page1\u{1F}1"), token("a2\u{1F}page1\u{1F}1\u{1F}\u{1F}"),
            token("a\u{1F}page1\u{1F}-1"), token("a\u{1F}page1\u{1F}99999999999999999999"), token("p\u{1F}page1\u{1F}0"),
            token("a2\u{1F}page1\u{1F}" + String(repeating: "1,", count: 6000) + "1\u{1F}"),
        ]
        for pageToken in forged {
            #expect(try await list(pageToken).statusCode == .invalidArgument, "\(pageToken.prefix(60))")
        }
        // Well formed: a run past every article of the page, ids of another form, the old form.
        #expect(try await list(token("a2\u{1F}page1\u{1F}0-999999999\u{1F}")).get().articles.map(\.id) == ["page2-01", "page2-02"])
        #expect(try await list(token("a2\u{1F}page1\u{1F}2\u{1F}odd%2Cid,page1-1")).get().articles.map(\.id)
                == ["page1-01", "page2-01", "page2-02"])
        #expect(try await list(token("a\u{1F}page1\u{1F}0")).get().articles.map(\.id) == ["page1-02", "page2-01", "page2-02"])
        #expect(try await list(token("a\u{1F}nope\u{1F}5")).get().articles.map(\.id) == ["page1-01", "page1-02", "page2-01"])
        #expect(try await client.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self).get().status == .serving)
        try await harness.stop()
    }

    @Test func largeArticlesComeCompressedOnlyWhenAccepted() async throws {
        let harness = try await DaemonHarness()
        let client = try harness.client()
        let long = "長文\n" + String(repeating: "錦州港新建泊位投入使用，貨物吞吐量持續增長。", count: 200)
        _ = try await ingest(client, long, id: "big")
        var get = Folio_V1_GetArticleRequest()
        get.articleID = "big-01"
        for zlib in [false, true] {
            try client.send(id: 7, .getArticle, get, zlib: zlib)
            let (response, compressed) = try #require(try await client.receive())
            #expect(compressed == zlib)
            #expect(try Folio_V1_Article(serializedBytes: response.body).headline == "長文")
        }
        try await harness.stop()
    }

    /// An output script this daemon does not know is INVALID_ARGUMENT before anything is looked up,
    /// in GetArticle and GetPage as in every other method.
    @Test func unknownScriptIsRefusedBeforeTheLookup() async throws {
        let harness = try await DaemonHarness()
        let client = try harness.client()
        var article = Folio_V1_GetArticleRequest()
        article.articleID = "no-such-article"
        article.script = Folio_V1_OutputScript(rawValue: 9)!
        #expect(try await client.call(.getArticle, article, as: Folio_V1_Article.self).statusCode == .invalidArgument)
        var page = Folio_V1_GetPageRequest()
        page.pageID = "no-such-page"
        page.script = Folio_V1_OutputScript(rawValue: 9)!
        #expect(try await client.call(.getPage, page, as: Folio_V1_Page.self).statusCode == .invalidArgument)
    }

    @Test func envelopeErrorsAreStatusesNotCrashes() async throws {
        let harness = try await DaemonHarness()
        let client = try harness.client()
        var request = Folio_V1_Request()
        request.id = 3
        request.method = "/folio.v1.Folio/Nope"
        client.sendRaw(try FrameWriter.frame(payload: request.serializedBytes(), compress: false).readableBytesView.map { $0 })
        #expect(try await client.receive()?.response.status.code == .unimplemented)
        request.method = FolioMethod.getArticle.rawValue
        request.body = Data([0xFF, 0xFF, 0xFF])
        client.sendRaw(try FrameWriter.frame(payload: request.serializedBytes(), compress: false).readableBytesView.map { $0 })
        #expect(try await client.receive()?.response.status.code == .invalidArgument)
        #expect(try await client.call(.search, Folio_V1_SearchRequest(), as: Folio_V1_SearchResponse.self).statusCode
                == .unimplemented)
        #expect(try await client.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self).get().status == .serving)
        let methods = try await client.call(.listMethods, Folio_V1_ListMethodsRequest(), as: Folio_V1_ListMethodsResponse.self).get()
        #expect(methods.methods.count == FolioMethod.allCases.count)
        try await harness.stop()
    }

    @Test func deadlinesCancellationAndDuplicateIds() async throws {
        let harness = try await DaemonHarness()
        let client = try harness.client()
        var parse = Folio_V1_ParseRequest()
        parse.text = "SLEEP\n\nslow page"
        try client.send(id: 10, .parse, parse, timeoutMs: 50)
        try client.send(id: 11, .parse, parse)
        try client.send(id: 11, .parse, parse)  // duplicate while 11 runs
        try client.send(id: 12, .health, Folio_V1_HealthRequest())
        try client.cancel(id: 11)
        var statuses: [UInt64: Folio_V1_StatusCode] = [:]
        // Both parses are held in the parser: every answer below comes while they still run.
        for _ in 0..<4 {
            let (response, _) = try #require(try await client.receive())
            #expect(statuses[response.id] == nil || response.id == 11)
            statuses[response.id] = statuses[response.id] ?? response.status.code
            if response.id == 11 && response.status.code != .alreadyExists { statuses[11] = response.status.code }
        }
        #expect(statuses[10] == .deadlineExceeded)
        #expect(statuses[11] == .cancelled)
        #expect(statuses[12] == .ok)
        harness.slowPages.open()
        try await harness.stop()
    }
}

/// A write is answered with what it did: a deadline or a cancel that comes while the page is
/// being stored (past the commit point) does not answer DEADLINE_EXCEEDED / CANCELLED for a
/// page that is then served; one that comes before it stores nothing.
@Suite struct WriteCommitPointTests {
    /// Holds `pageStored` (called under the writer's lock, after the commit point) until opened.
    struct HeldIndex: SearchProvider {
        let reached = Gate()
        let release = Gate()
        func search(_ request: Folio_V1_SearchRequest, stop: SearchStop) throws -> Folio_V1_SearchResponse { .init() }
        func searchStream(_ request: Folio_V1_SearchRequest, stop: SearchStop, send: (Folio_V1_SearchHit) throws -> Void) throws {}
        func listEntities(_ request: Folio_V1_ListEntitiesRequest, stop: SearchStop) throws -> Folio_V1_ListEntitiesResponse { .init() }
        func getEntity(_ request: Folio_V1_GetEntityRequest, stop: SearchStop) throws -> Folio_V1_GetEntityResponse { .init() }
        func pageStored(_ page: Folio_V1_Page) {
            reached.open()
            release.wait()
        }
        func pageRemoved(id: String) {
            reached.open()
            release.wait()
        }
        func corpusReplaced(shards: [IndexShard], entities: ShardEntities) {}
    }

    static func ingest(_ id: String) -> Folio_V1_IngestRequest {
        var request = Folio_V1_IngestRequest()
        request.pageID = id
        request.text = "标题\n正文一段。"
        return request
    }

    @Test func deadlineDuringTheWriteAnswersWhatWasDone() async throws {
        let index = HeldIndex()
        let harness = try await DaemonHarness(search: index)
        let client = try harness.client()
        try client.send(id: 1, .ingest, Self.ingest("held"), timeoutMs: 20)
        index.reached.wait()
        // Long past the deadline while the page is being stored; a cancel too.
        try await Task.sleep(for: .milliseconds(300))
        try client.cancel(id: 1)
        try await Task.sleep(for: .milliseconds(50))
        index.release.open()
        let (response, _) = try #require(try await client.receive())
        #expect(response.id == 1)
        #expect(response.status.code == .ok)
        var get = Folio_V1_GetPageRequest()
        get.pageID = "held"
        #expect(try await client.call(.getPage, get, as: Folio_V1_Page.self).statusCode == .ok)
        try await harness.stop()
    }

    @Test func deadlineBeforeTheWriteStoresNothing() async throws {
        // One write worker: a later write runs after this one has ended.
        let harness = try await DaemonHarness(configure: { $0.writeThreads = 1 })
        let client = try harness.client()
        var request = Self.ingest("late")
        request.text = "SLEEP\n\n" + request.text
        try client.send(id: 2, .ingest, request, timeoutMs: 20)
        harness.reachedSlowPage.wait()
        let (response, _) = try #require(try await client.receive())
        #expect(response.status.code == .deadlineExceeded)
        harness.slowPages.open()
        // The write's worker goes on after the answer: the next write waits until it has given up.
        #expect(try await client.call(.ingest, Self.ingest("next"), as: Folio_V1_IngestResponse.self).statusCode == .ok)
        var get = Folio_V1_GetPageRequest()
        get.pageID = "late"
        #expect(try await client.call(.getPage, get, as: Folio_V1_Page.self).statusCode == .notFound)
        try await harness.stop()
    }

    /// Writes run on workers of their own: a user's writes held up (here in the parser; in life
    /// behind a reload that parses every page) leave its reads their workers.
    @Test func writesHeldUpLeaveReadsTheirWorkers() async throws {
        let harness = try await DaemonHarness(configure: { $0.workerThreads = 2; $0.writeThreads = 2; $0.callsPerUID = 2 })
        let client = try harness.client()
        #expect(try await client.call(.ingest, Self.ingest("kept"), as: Folio_V1_IngestResponse.self).statusCode == .ok)
        for id in [UInt64(11), 12] {
            var request = Self.ingest("held\(id)")
            request.text = "SLEEP\n\n" + request.text
            try client.send(id: id, .ingest, request)
        }
        harness.reachedSlowPage.wait()
        let reader = try harness.client()
        var get = Folio_V1_GetPageRequest()
        get.pageID = "kept"
        #expect(try await reader.call(.getPage, get, as: Folio_V1_Page.self).statusCode == .ok)
        #expect(try await reader.call(.listPages, Folio_V1_ListPagesRequest(), as: Folio_V1_ListPagesResponse.self).statusCode == .ok)
        harness.slowPages.open()
        for _ in 0..<2 { #expect(try await client.receive()?.0.status.code == .ok) }
        try await harness.stop()
    }
}
