import FolioModel
import Foundation
import FolioTestSupport
import Testing
@testable import FolioIndex

@Suite struct EntityIndexTests {
    static func index() -> SearchIndex {
        func place(_ text: String, block: UInt32, start: UInt32) -> Folio_V1_Entity {
            var entity = Folio_V1_Entity()
            entity.type = .place
            entity.text = text
            entity.normalized = IndexFold.shared.simplify(text)
            var mention = Folio_V1_Mention()
            mention.block = block
            mention.start = start
            mention.end = start + UInt32(text.unicodeScalars.count)
            entity.mentions = [mention]
            return entity
        }
        var first = TestCorpus.article(id: "e1-01", page: "e1", headline: "錦州新聞", body: ["今天錦州港很忙。"])
        first.entities = [place("錦州港", block: 0, start: 2)]
        var second = TestCorpus.article(id: "e2-01", page: "e2", headline: "锦州新闻", body: ["锦州港开工。", "大连港"])
        second.entities = [place("锦州港", block: 0, start: 0), place("大连港", block: 1, start: 0)]
        let index = SearchIndex()
        index.add(articles: [first, second])
        return index
    }

    /// An entity is found by every form it is printed in, not only the first (１月６日 of a date first
    /// printed 明天); its mentions are listed once each, in place order, and its counts are the same.
    @Test func anEntityIsFoundByEveryFormItIsPrintedIn() throws {
        var date = Folio_V1_Entity()
        date.type = .date
        date.text = "明天"
        date.normalized = "1998-01-06"
        date.mentions = [(0, 2), (1, 0)].map { block, start in
            var mention = Folio_V1_Mention()
            mention.block = UInt32(block)
            mention.start = UInt32(start)
            mention.end = UInt32(start + (block == 0 ? 2 : 4))
            return mention
        }
        var article = TestCorpus.article(id: "d1-01", page: "d1", headline: "会议召开", body: ["会议明天召开。", "１月６日上午九时开幕。"])
        article.entities = [date]
        let index = SearchIndex()
        index.add(articles: [article])
        var get = Folio_V1_GetEntityRequest()
        get.text = "１月６日"
        let found = try #require(try index.getEntity(get))
        #expect(found.entity.text == "1998-01-06" && Set(found.entity.forms) == ["明天", "１月６日"])
        #expect(found.entity.mentions == 2 && found.entity.articles == 1)
        #expect(found.mentions.map(\.text) == ["明天", "１月６日"])
        #expect(try index.matchingArticleIDs("entity:１月６日") == ["d1-01"])
        index.remove(pageID: "d1")
        #expect(try index.getEntity(get) == nil)
        #expect(try index.listEntities(Folio_V1_ListEntitiesRequest()).entities.isEmpty)
    }

    /// A token names the request it was issued for: reused for another type or entity it is refused,
    /// not followed at its offset into another list.
    @Test func entityTokensOfAnotherRequestAreRefused() throws {
        let index = Self.index()
        var list = Folio_V1_ListEntitiesRequest()
        list.pageSize = 1
        list.type = .place
        let token = try index.listEntities(list).nextPageToken
        try #require(!token.isEmpty)
        list.pageToken = token
        #expect(try index.listEntities(list).entities.count == 1)
        list.type = .person
        #expect(throws: QueryError.self) { try index.listEntities(list) }
        list.type = .place
        list.prefix = "大"
        #expect(throws: QueryError.self) { try index.listEntities(list) }
        var get = Folio_V1_GetEntityRequest()
        get.text = "大连港"
        get.pageToken = token
        #expect(throws: QueryError.self) { try index.getEntity(get) }
    }

    /// Offsets shift when a write adds or removes entities or mentions: a token from before is refused.
    @Test func entityTokensFromBeforeAWriteAreRefused() throws {
        let index = Self.index()
        var list = Folio_V1_ListEntitiesRequest()
        list.pageSize = 1
        let first = try index.listEntities(list)
        try #require(!first.nextPageToken.isEmpty)
        list.pageToken = first.nextPageToken
        #expect(try index.listEntities(list).entities.count == 1)  // unchanged archive: the token holds
        var get = Folio_V1_GetEntityRequest()
        get.text = "錦州港"
        get.pageSize = 1
        get.pageToken = try #require(try index.getEntity(get)?.nextPageToken)
        #expect(try index.getEntity(get)?.mentions.count == 1)
        #expect(index.remove(pageID: "e1") == 1)
        #expect(throws: QueryError.stalePageToken) { try index.listEntities(list) }
        #expect(throws: QueryError.stalePageToken) { try index.getEntity(get) }
        list.pageToken = "o1"  // the offset alone, as earlier daemons wrote it
        #expect(throws: QueryError.self) { try index.listEntities(list) }
    }

    @Test func aPageSizeAboveTheMostIsRefusedAsListArticlesRefusesIt() throws {
        let index = Self.index()
        var list = Folio_V1_ListEntitiesRequest()
        list.pageSize = 1000
        #expect(try index.listEntities(list).entities.count == 2)
        list.pageSize = 1001
        #expect(throws: QueryError.self) { try index.listEntities(list) }
        var get = Folio_V1_GetEntityRequest()
        get.text = "錦州港"
        get.pageSize = 5000
        #expect(throws: QueryError.self) { try index.getEntity(get) }
    }

    @Test func entitiesFoldAcrossScripts() throws {
        let index = Self.index()
        var list = Folio_V1_ListEntitiesRequest()
        let listed = try index.listEntities(list)
        #expect(listed.total == 2)
        #expect(listed.entities.first?.text == "锦州港")
        #expect(Set(listed.entities.first?.forms ?? []) == ["錦州港", "锦州港"])
        #expect(listed.entities.first?.articles == 2)
        list.prefix = "大"
        #expect(try index.listEntities(list).entities.map(\.text) == ["大连港"])

        var get = Folio_V1_GetEntityRequest()
        get.text = "錦州港"
        let entity = try #require(try index.getEntity(get))
        #expect(entity.mentions.map(\.text).sorted() == ["錦州港", "锦州港"])
        #expect(Set(entity.mentions.map(\.articleID)) == ["e1-01", "e2-01"])
        get.pageSize = 1
        let firstPage = try #require(try index.getEntity(get))
        #expect(firstPage.mentions.count == 1 && !firstPage.nextPageToken.isEmpty)

        index.remove(pageID: "e1")
        let after = try #require(try index.getEntity(get))
        #expect(after.entity.mentions == 1)
        #expect(after.entity.forms == ["锦州港"])
        get.text = "不存在"
        #expect(try index.getEntity(get) == nil)
    }
}

extension EntityIndexTests {
    /// A person credited only in bylines has no mention: deleting one of their articles dropped the
    /// form (its mention count fell to 0) while another article still listed it.
    @Test func aFormWithoutMentionsStaysWhileAnArticleListsIt() throws {
        func credited(_ id: String, page: String) -> Folio_V1_Article {
            var article = TestCorpus.article(id: id, page: page, headline: "新闻", body: ["今天很忙。"])
            var person = Folio_V1_Entity()
            person.type = .person
            person.text = "余清楚"
            person.normalized = "余清楚"
            article.entities = [person]
            return article
        }
        let index = SearchIndex()
        index.add(articles: [credited("p1-01", page: "p1"), credited("p2-01", page: "p2")])
        index.remove(pageID: "p1")
        var list = Folio_V1_ListEntitiesRequest()
        list.type = .person
        let listed = try index.listEntities(list)
        #expect(listed.entities.map(\.forms) == [["余清楚"]])
        #expect(listed.entities.first?.articles == 1)
    }

    /// Pages of an entity's mentions, walked with their tokens over several segments, are the whole
    /// list in order; an offset no archive reaches is refused, not computed with.
    @Test func mentionPagesCoverTheWholeListOnce() throws {
        let index = SearchIndex()
        for batch in 0..<3 {
            index.add(articles: (0..<4).map { number in
                var article = TestCorpus.article(id: "m\(batch)-\(number)", page: "m\(batch)\(number)", headline: "锦州",
                                                 body: [String(repeating: "锦州港，", count: 1 + number % 3)])
                var entity = Folio_V1_Entity()
                entity.type = .place
                entity.text = "锦州港"
                entity.normalized = "锦州港"
                entity.mentions = (0..<(1 + number % 3)).map { k in
                    var mention = Folio_V1_Mention()
                    mention.start = UInt32(4 * k)
                    mention.end = UInt32(4 * k + 3)
                    return mention
                }
                article.entities = [entity]
                return article
            })
        }
        var get = Folio_V1_GetEntityRequest()
        get.text = "锦州港"
        get.pageSize = 1000
        let whole = try #require(try index.getEntity(get)).mentions
        #expect(whole.count == 3 * (1 + 2 + 3 + 1))
        #expect(whole.allSatisfy { $0.text == "锦州港" })
        for size: UInt32 in [1, 2, 5, 21] {
            get.pageSize = size
            get.pageToken = ""
            var walked: [Folio_V1_EntityMention] = []
            repeat {
                let page = try #require(try index.getEntity(get))
                #expect(page.mentions.count <= Int(size))
                walked += page.mentions
                get.pageToken = page.nextPageToken
            } while !get.pageToken.isEmpty && walked.count <= whole.count
            #expect(walked == whole, "pages of \(size)")
        }
        get.pageToken = "o\(Int.max)"
        #expect(throws: QueryError.self) { try index.getEntity(get) }
        get.pageToken = ""
        let entity = try #require(try index.getEntity(get)).entity
        get.pageToken = OffsetToken.encode(whole.count, generation: index.pinned.generation,
                                           request: "get|\(entity.type.rawValue)|\(entity.text)")
        #expect(try #require(try index.getEntity(get)).mentions.isEmpty)
    }
}

@Suite(.enabled(if: SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) struct SnapshotTests {
    @Test func snapshotRoundTripsAndRefusesStaleOrDamagedFiles() throws {
        let index = SearchIndex()
        index.add(articles: Array(TestCorpus.mixedScript.prefix(60)))
        index.add(articles: Array(TestCorpus.mixedScript.dropFirst(60).prefix(40)))
        index.remove(pageID: TestCorpus.mixedScript[0].pageID)
        let path = NSTemporaryDirectory() + "folio-index-\(getpid()).snap"
        defer { unlink(path) }
        try index.writeSnapshot(to: path, key: "k1", payload: [1, 2, 3])

        let loaded = SearchIndex()
        #expect(try loaded.loadSnapshot(from: path, expectedKey: "k1") == [1, 2, 3])
        #expect(loaded.articleCount == index.articleCount)
        #expect(loaded.entityCount == index.entityCount)
        for query in ["中国", "的", "發展", "经济 -改革", "1997"] {
            #expect(try loaded.matchingArticleIDs(query) == index.matchingArticleIDs(query), "\(query)")
        }
        #expect(throws: SnapshotError.stale) { try SearchIndex().loadSnapshot(from: path, expectedKey: "k2") }
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[bytes.count / 2] ^= 0xFF
        #expect(FileManager.default.createFile(atPath: path, contents: bytes))
        #expect(throws: SnapshotError.self) { try SearchIndex().loadSnapshot(from: path, expectedKey: "k1") }
        #expect(throws: SnapshotError.missing("/nonexistent/x")) {
            try SearchIndex().loadSnapshot(from: "/nonexistent/x", expectedKey: "k1")
        }
        // A path foliod cannot open for another reason (snapshot/ restored as a file) is no missing
        // snapshot: the reason is named.
        #expect(throws: SnapshotError.io("cannot open \(path)/x: Not a directory")) {
            try SearchIndex().loadSnapshot(from: path + "/x", expectedKey: "k1")
        }
    }
}

extension EntityIndexTests {
    /// `两个` is printed on the page and kept as a form of the number keyed `2个`: GetEntity and
    /// `entity:` found only the key, while ListArticles' filter also took the form.
    @Test func anEntityIsFoundByAnyOfItsForms() throws {
        var article = TestCorpus.article(id: "q1-01", page: "q1", headline: "新港", body: ["今年两个新港口建成。"])
        var quantity = Folio_V1_Entity()
        quantity.type = .quantity
        quantity.text = "两个"
        quantity.normalized = "2 个"
        var mention = Folio_V1_Mention()
        mention.start = 2
        mention.end = 4
        quantity.mentions = [mention]
        article.entities = [quantity]
        let index = SearchIndex()
        index.add(articles: [article, TestCorpus.article(id: "q2-01", page: "q2", headline: "新港", body: ["港口建成。"])])

        var get = Folio_V1_GetEntityRequest()
        for text in ["2个", "两个", "兩個", "2 个"] {
            get.text = text
            #expect(try index.getEntity(get)?.entity.text == "2个", "\(text)")
            #expect(index.entityKey(for: text) == "2个", "\(text)")
        }
        get.text = "三个"
        #expect(try index.getEntity(get) == nil)
        #expect(index.entityKey(for: "三个") == nil)
        var search = Folio_V1_SearchRequest()
        search.query = "港口 entity:两个"
        #expect(try index.search(search).hits.map(\.articleID) == ["q1-01"])
        search.query = "港口 -entity:兩個"
        #expect(try index.search(search).hits.map(\.articleID) == ["q2-01"])
    }
}
