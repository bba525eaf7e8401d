@testable import FolioServer
import FolioModel
import FolioWire
import Foundation
import SwiftProtobuf

/// One well-formed request per method for the seed corpus (FOLIO_FUZZ_WRITE_SEEDS=DIR).
enum RouterSeeds {
    static func write(to directory: String, router: CallRouter) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (order, corpus) = router.store.snapshotForListing()
        let pageID = order.first ?? "seed-page"
        let articleID = corpus.pages[pageID]?.articleIDs.first ?? ""
        var bodies: [(FolioMethod, String, SwiftProtobuf.Message)] = []

        var parse = Folio_V1_ParseRequest()
        parse.text = "人民日报\n1998年1月1日\n\n本报北京12月31日讯 记者张三报道：国务院今天召开会议。\n"
        parse.script = .traditional
        bodies.append((.parse, "parse", parse))
        var ingest = Folio_V1_IngestRequest()
        ingest.text = parse.text
        ingest.pageID = "fuzz-01"
        bodies.append((.ingest, "ingest", ingest))
        var delete = Folio_V1_DeletePageRequest()
        delete.pageID = pageID
        bodies.append((.deletePage, "delete", delete))
        var page = Folio_V1_GetPageRequest()
        page.pageID = pageID
        page.script = .simplified
        bodies.append((.getPage, "get-page", page))
        var article = Folio_V1_GetArticleRequest()
        article.articleID = articleID
        bodies.append((.getArticle, "get-article", article))
        article.script = .taiwan
        bodies.append((.getArticle, "get-article-taiwan", article))
        var pages = Folio_V1_ListPagesRequest()
        pages.pageSize = 1
        bodies.append((.listPages, "list-pages", pages))
        var articles = Folio_V1_ListArticlesRequest()
        articles.pageSize = 2
        articles.pageToken = PageToken(kind: "a", key: pageID, index: 0).encoded
        articles.section = "要闻"
        articles.dateFrom = "1998-01-01"
        bodies.append((.listArticles, "list-articles", articles))
        // A token of today's form: the articles of its page already given, by id.
        var cursor = ArticleCursor(pageID: pageID)
        for id in (corpus.pages[pageID]?.articleIDs ?? []).prefix(2) { cursor.give(id) }
        var walked = Folio_V1_ListArticlesRequest()
        walked.pageSize = 2
        walked.pageToken = cursor.encoded(lastIndex: 1)
        bodies.append((.listArticles, "list-articles-cursor", walked))
        var search = Folio_V1_SearchRequest()
        search.query = "锦州港 AND 经济 -\"国务院\""
        search.limit = 3
        bodies.append((.search, "search", search))
        bodies.append((.searchStream, "search-stream", search))
        var entities = Folio_V1_ListEntitiesRequest()
        entities.pageSize = 5
        entities.order = .text
        bodies.append((.listEntities, "list-entities", entities))
        var entity = Folio_V1_GetEntityRequest()
        entity.text = "北京"
        bodies.append((.getEntity, "get-entity", entity))
        var convert = Folio_V1_ConvertRequest()
        convert.text = "锦州港经济发展"
        convert.script = .traditional
        bodies.append((.convert, "convert", convert))
        bodies.append((.serverInfo, "server-info", Folio_V1_ServerInfoRequest()))
        bodies.append((.stats, "stats", Folio_V1_StatsRequest()))
        bodies.append((.reload, "reload", Folio_V1_ReloadRequest()))

        for (method, name, message) in bodies {
            guard let index = FolioMethod.allCases.firstIndex(of: method),
                  let bytes = try? message.serializedBytes() as [UInt8] else { continue }
            let seed = Data([UInt8(index)] + bytes)
            try? seed.write(to: URL(fileURLWithPath: directory + "/" + name))
        }
    }
}
