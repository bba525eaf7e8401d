import FolioModel
import Testing
@testable import FolioIndex

/// Start-up builds the index in shards while pages are parsed; the result must answer exactly like
/// an index built in one batch.
@Suite struct IndexShardTests {
    static func page(_ id: String, date: String, _ articles: [Folio_V1_Article]) -> Folio_V1_Page {
        var page = Folio_V1_Page()
        page.id = id
        page.info.date = date
        page.articles = articles
        return page
    }

    static let pages: [Folio_V1_Page] = (0..<12).map { number in
        let id = "p\(number)"
        return page(id, date: "2022-10-\(10 + number)", (0..<3).map { index in
            TestCorpus.article(id: "\(id)-0\(index)", page: id, headline: "锦州港第\(number)条消息\(index)",
                               body: ["港口\(["风大", "吞吐量", "新通道"][index])，编号\(number * 3 + index)。"],
                               section: ["经济", "要闻"][number % 2], date: "2022-10-\(10 + number)",
                               author: ["崔治", "赵一", ""][index])
        })
    }

    static func sharded(_ pages: [Folio_V1_Page], every: Int) -> SearchIndex {
        var shards: [IndexShard] = []
        var builder = IndexShardBuilder()
        for page in pages {
            builder.add(page: page)
            if builder.documents >= every { shards.append(builder.finish()) }
        }
        shards.append(builder.finish())
        let index = SearchIndex()
        index.reset(shards: shards)
        return index
    }

    @Test func shardsAnswerLikeOneBatch() throws {
        let whole = SearchIndex()
        whole.reset(articles: Self.pages.flatMap(\.articles))
        for every in [1, 4, 7, 100] {
            let sharded = Self.sharded(Self.pages, every: every)
            #expect(sharded.articleCount == whole.articleCount)
            #expect(sharded.pageCount == whole.pageCount)
            #expect(sharded.entityCount == whole.entityCount)
            for query in ["锦州港", "风大", "港口 -风大", "消息 section:经济", "港 author:\"崔 治\"",
                          "港 date:2022-10-12..2022-10-15", "page:p3", "编号17", "吞吐量 OR 新通道"] {
                #expect(try sharded.matchingArticleIDs(query) == whole.matchingArticleIDs(query), "\(query), shards of \(every)")
            }
        }
    }

    @Test func anArticleInTwoShardsIsKeptOnceAsTheLastPageHasIt() throws {
        var first = Self.page("a", date: "2022-10-01", [TestCorpus.article(id: "x-1", page: "a", headline: "旧标题", body: ["旧内容"])])
        first.articles[0].date = ""
        let second = Self.page("a", date: "2022-10-02", [TestCorpus.article(id: "x-1", page: "a", headline: "新标题", body: ["新内容"])])
        let index = Self.sharded([first, second], every: 1)
        #expect(index.articleCount == 1)
        #expect(try index.matchingArticleIDs("新内容") == ["x-1"])
        #expect(try index.matchingArticleIDs("旧内容").isEmpty)
    }

    @Test func articlesTakeThePageIDAndDateWhenTheyHaveNone() throws {
        var article = TestCorpus.article(id: "q-1", page: "", headline: "无页码", body: ["正文"])
        article.date = ""
        let index = Self.sharded([Self.page("q", date: "2022-11-05", [article])], every: 10)
        #expect(try index.matchingArticleIDs("page:q") == ["q-1"])
        #expect(try index.matchingArticleIDs("正文 date:2022-11-05..2022-11-05") == ["q-1"])
    }

    @Test func noPagesGiveAnEmptyIndex() {
        let index = Self.sharded([], every: 5)
        #expect(index.articleCount == 0)
        #expect(index.segmentCount == 0)
    }
}
