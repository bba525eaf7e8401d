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

    @Test func sectionMatchesTheRubricElseThePagesSection() throws {
        var plain = Self.page("a02", date: "2024-04-01", [
            TestCorpus.article(id: "a02-01", page: "a02", headline: "锦州港吞吐量创新高", body: ["港口吞吐量增长。"],
                               section: "", date: "2024-04-01", author: ""),
            TestCorpus.article(id: "a02-02", page: "a02", headline: "锦州港新通道开通", body: ["港口新通道开通。"],
                               section: "锦州腳步", date: "2024-04-01", author: ""),
        ])
        plain.info.section = "综合新闻"
        let index = Self.sharded([plain], every: 100)
        #expect(try index.matchingArticleIDs("港口 section:综合新闻") == ["a02-01"])
        #expect(try index.matchingArticleIDs("港口 section:锦州脚步") == ["a02-02"])
        // What a hit shows is the article's own rubric.
        var request = Folio_V1_SearchRequest()
        request.query = "吞吐量"
        #expect(try index.search(request).hits.map(\.section) == [""])
    }

    /// The pages with entities: a place in either script and a person, several times in some articles.
    static let pagesWithEntities: [Folio_V1_Page] = pages.enumerated().map { number, page in
        var page = page
        for index in page.articles.indices {
            var place = Folio_V1_Entity()
            place.type = .place
            place.text = ["錦州港", "锦州港", "大连港"][(number + index) % 3]
            place.mentions = Array(repeating: Folio_V1_Mention(), count: 1 + index)
            var person = Folio_V1_Entity()
            person.type = .person
            person.text = ["崔治", "赵一"][number % 2]
            person.mentions = [Folio_V1_Mention()]
            page.articles[index].entities = [place, person]
        }
        return page
    }

    /// Every answer about entities, as bytes.
    static func entityAnswers(_ index: SearchIndex) throws -> [[UInt8]] {
        var answers: [[UInt8]] = []
        for order in [Folio_V1_ListEntitiesRequest.Order.text, .mostMentioned] {
            var list = Folio_V1_ListEntitiesRequest()
            list.order = order
            answers.append(try index.listEntities(list).serializedBytes())
        }
        for text in ["锦州港", "大连港", "崔治", "赵一"] {
            var get = Folio_V1_GetEntityRequest()
            get.text = text
            get.pageSize = 1000
            answers.append(try #require(try index.getEntity(get)).serializedBytes())
        }
        return answers
    }

    @Test func entitiesCountedWhereShardsAreBuiltAnswerLikeThoseCountedAtInstall() throws {
        // The second list gives page p0 twice: its later articles replace the earlier ones.
        var again = Self.pagesWithEntities[0]
        again.articles.removeLast()
        for pages in [Self.pagesWithEntities, Self.pagesWithEntities + [again]] {
            var shards: [IndexShard] = []
            var builder = IndexShardBuilder()
            for page in pages {
                builder.add(page: page)
                if builder.documents >= 5 { shards.append(builder.finish()) }
            }
            shards.append(builder.finish())
            // As two workers would: each counts the shards it built, then the counts are added.
            var first = ShardEntities(), second = ShardEntities()
            for (number, shard) in shards.enumerated() {
                if number < 2 { first.count(shard) } else { second.count(shard) }
            }
            first.add(second)
            let counted = SearchIndex(), recounted = SearchIndex()
            counted.reset(shards: shards, entities: first)
            recounted.reset(shards: shards)
            #expect(counted.entityCount == 4)
            #expect(try Self.entityAnswers(counted) == Self.entityAnswers(recounted))
            // Counts of only some of the shards are not taken.
            var partial = ShardEntities()
            partial.count(shards[0])
            let fallback = SearchIndex()
            fallback.reset(shards: shards, entities: partial)
            #expect(try Self.entityAnswers(fallback) == Self.entityAnswers(recounted))
        }
    }

    /// The same pages answer alike about their entities whatever order they were written in (page
    /// by page in reverse, one replaced again) as in one batch: mentions in page id order.
    @Test func entityAnswersDoNotDependOnTheOrderOfWrites() throws {
        var builder = IndexShardBuilder()
        for page in Self.pagesWithEntities { builder.add(page: page) }
        let batch = SearchIndex()
        batch.reset(shards: [builder.finish()])
        let written = SearchIndex()
        for page in Self.pagesWithEntities.reversed() + [Self.pagesWithEntities[3]] {
            written.replace(pageID: page.id, with: page.articles.map { article in
                var copy = article
                if copy.pageID.isEmpty { copy.pageID = page.id }
                if copy.date.isEmpty { copy.date = page.info.date }
                return copy
            }, pageSection: page.info.section)
        }
        #expect(try Self.entityAnswers(written) == Self.entityAnswers(batch))
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
