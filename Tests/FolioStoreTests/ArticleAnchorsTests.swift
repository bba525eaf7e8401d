import FolioModel
@testable import FolioStore
import Testing

/// Article ids kept across parses of one page: an id names the same story or none.
@Suite struct ArticleAnchorsTests {
    static func page(_ articles: [(String, UInt32)], sections: [[Int]] = []) -> Folio_V1_Page {
        var page = Folio_V1_Page()
        page.id = "p1"
        page.articles = articles.enumerated().map { n, a in
            var article = Folio_V1_Article()
            article.id = ArticleAnchors.fresh("p1", n + 1)
            article.headline = a.0
            article.lines.first = a.1
            return article
        }
        page.sections = sections.map { members in
            var section = Folio_V1_Section()
            section.articleIds = members.map { page.articles[$0].id }
            return section
        }
        return page
    }

    @Test func aLaterParseKeepsTheIdsOfTheStoriesItFindsAgain() {
        let ingested = Self.page([("江边新修了步道", 1), ("山村通了公路", 6), ("冬季长跑开赛", 12)])
        let anchors = ArticleAnchors.of(ingested)
        // Another parser finds a picture item first, loses the second story, reads the third's
        // headline one line higher.
        let reparsed = Self.page([("雪后的公园", 1), ("江边新修了步道", 2), ("冬季长跑开赛", 11)], sections: [[1, 2]])
        let kept = ArticleAnchors.apply(anchors, to: reparsed)
        #expect(kept.articles.map(\.id) == ["p1-04", "p1-01", "p1-03"])
        #expect(kept.sections.first?.articleIds == ["p1-01", "p1-03"])
        // p1-02 named 山村通了公路: it names nothing now, never another story.
        #expect(!kept.articles.contains { $0.id == "p1-02" })
    }

    /// A page file copied or renamed to another page id holds the anchors of the page it came
    /// from: the page stored under the new id numbers its own stories, never serving the other
    /// page's article ids (`p1-01` of a file named p2, or of p1x, `p1-01x` and the like).
    @Test func anchorsOfAnotherPageAreNotApplied() {
        let anchors = ArticleAnchors.of(Self.page([("江边新修了步道", 1), ("山村通了公路", 6)]))
        var copied = Self.page([("江边新修了步道", 1), ("山村通了公路", 6)])
        copied.id = "p2"
        for k in copied.articles.indices { copied.articles[k].id = ArticleAnchors.fresh("p2", k + 1) }
        #expect(ArticleAnchors.apply(anchors, to: copied).articles.map(\.id) == ["p2-01", "p2-02"])
        #expect(ArticleAnchors.of(copied, replacing: anchors).map(\.id) == ["p2-01", "p2-02"])
        #expect(ArticleAnchors.belongs("p1-01", to: "p1") && ArticleAnchors.belongs("a-b-12", to: "a-b"))
        #expect(!ArticleAnchors.belongs("p1-01", to: "p") && !ArticleAnchors.belongs("a-b-12", to: "a")
                && !ArticleAnchors.belongs("p1-", to: "p1") && !ArticleAnchors.belongs("p1-01x", to: "p1"))
    }

    /// Stories without headlines (a photo and its caption) are told apart by their opening words:
    /// another caption set at the same line is another story, the same caption moved down the same.
    @Test func storiesWithoutHeadlinesAreToldApartByTheirOpeningWords() {
        func page(_ stories: [(String, UInt32)]) -> Folio_V1_Page {
            var page = Self.page(stories.map { ("", $0.1) })
            for (k, story) in stories.enumerated() {
                var block = Folio_V1_Block()
                block.text = story.0
                page.articles[k].body = [block]
            }
            return page
        }
        let anchors = ArticleAnchors.of(page([("雪后的公园里，孩子们在堆雪人。", 3), ("江边步道上，市民冒雪晨练。", 9)]))
        #expect(anchors.map(\.opening) == ["雪后的公园里，孩子们在堆雪人。", "江边步道上，市民冒雪晨练。"])
        let replaced = ArticleAnchors.apply(anchors, to: page([("新建的大桥今天通车。", 3), ("雪后的公园里，孩子们在堆雪人。", 12)]))
        #expect(replaced.articles.map(\.id) == ["p1-03", "p1-01"])
        // Anchors of files written before openings were kept still match by their line.
        let older = anchors.map { anchor -> ArticleAnchor in
            var kept = anchor
            kept.opening = nil
            return kept
        }
        #expect(ArticleAnchors.apply(older, to: page([("新建的大桥今天通车。", 3)])).articles.map(\.id) == ["p1-01"])
    }

    /// Stories that share a headline (图片新闻, 简讯) are told apart by their opening words: with one
    /// of them dropped, or the page laid out in another order, each keeps its own id.
    @Test func storiesSharingAHeadlineAreToldApartByTheirOpeningWords() {
        func page(_ stories: [(String, String)]) -> Folio_V1_Page {
            var page = Self.page(stories.enumerated().map { ($1.0, UInt32(1 + 4 * $0)) })
            for (k, story) in stories.enumerated() {
                var block = Folio_V1_Block()
                block.text = story.1
                page.articles[k].body = [block]
            }
            return page
        }
        let a = ("江边新修了步道", "市民每天傍晚都来这里散步。"), b = ("短讯", "公园里的腊梅开了。"),
            c = ("短讯", "码头新装了两台吊车。"), d = ("冬季长跑开赛", "上千名市民参加了比赛。")
        let anchors = ArticleAnchors.of(page([a, b, c, d]))
        #expect(ArticleAnchors.apply(anchors, to: page([a, c, d])).articles.map(\.id) == ["p1-01", "p1-03", "p1-04"])
        #expect(ArticleAnchors.apply(anchors, to: page([d, c, b, a])).articles.map(\.id) == ["p1-04", "p1-03", "p1-02", "p1-01"])
        // Another story under that headline is new, beside the one there was or in its place.
        let e = ("短讯", "新桥今天通车。")
        #expect(ArticleAnchors.apply(anchors, to: page([a, e, c])).articles.map(\.id) == ["p1-01", "p1-05", "p1-03"])
        let single = ArticleAnchors.of(page([a, b]))
        #expect(ArticleAnchors.apply(single, to: page([a, e, b])).articles.map(\.id) == ["p1-01", "p1-03", "p1-02"])
        #expect(ArticleAnchors.apply(single, to: page([a, e])).articles.map(\.id) == ["p1-01", "p1-03"])
        // A corrected word keeps the id; anchors from before openings were kept match by headline.
        let corrected = ("短讯", "公园里的腊梅花开了。")
        #expect(ArticleAnchors.apply(single, to: page([a, corrected])).articles.map(\.id) == ["p1-01", "p1-02"])
        let older = single.map { anchor -> ArticleAnchor in
            var kept = anchor
            kept.opening = nil
            return kept
        }
        #expect(ArticleAnchors.apply(older, to: page([a, e])).articles.map(\.id) == ["p1-01", "p1-02"])
    }

    /// A page corrected to another script (Simplified leftovers made Traditional, or the whole page
    /// through OpenCC s2t) holds the same stories: each keeps its id, whether matched by headline,
    /// by headline and opening, or (without a headline) by opening. A story whose words changed
    /// beyond the script is still new.
    @Test func theSameStoriesInAnotherScriptKeepTheirIds() {
        func page(_ stories: [(String, String, UInt32)]) -> Folio_V1_Page {
            var page = Self.page(stories.map { ($0.0, $0.2) })
            for (k, story) in stories.enumerated() {
                var block = Folio_V1_Block()
                block.text = story.1
                page.articles[k].body = [block]
            }
            return page
        }
        let simplified = page([("锦州港加快建设国家多式联运示范工程", "本报讯 近日，全国第四批多式联运示范工程评审会召开。", 1),
                               ("开展综合培训 提升青年干部能力素质", "本报讯 中共锦州市委党校青年干部培训班圆满结束。", 5),
                               ("短讯", "公园里的腊梅开了。", 9), ("短讯", "码头新装了两台吊车。", 11),
                               ("", "雪后的公园里，孩子们在堆雪人。", 14)])
        let anchors = ArticleAnchors.of(simplified)
        // Leftovers only (示范 → 示範, 干部 → 幹部, 党校 → 黨校), then the whole page in Traditional.
        let corrected = page([("錦州港加快建設國家多式聯運示範工程", "本報訊 近日，全國第四批多式聯運示範工程評審會召開。", 1),
                              ("開展綜合培訓 提升青年幹部能力素質", "本報訊 中共錦州市委黨校青年幹部培訓班圓滿結束。", 5),
                              ("短訊", "公園裏的臘梅開了。", 9), ("短訊", "碼頭新裝了兩臺吊車。", 11),
                              ("", "雪後的公園裏，孩子們在堆雪人。", 20)])
        #expect(ArticleAnchors.apply(anchors, to: corrected).articles.map(\.id) == ["p1-01", "p1-02", "p1-03", "p1-04", "p1-05"])
        // The other way round too, and the shared headline's stories still told apart by their words.
        let reordered = ArticleAnchors.apply(ArticleAnchors.of(corrected), to: page([
            ("短讯", "码头新装了两台吊车。", 1), ("短讯", "公园里的腊梅开了。", 3)]))
        #expect(reordered.articles.map(\.id) == ["p1-04", "p1-03"])
        // Another story under the folded headline, or another headline, is new in any script.
        let other = ArticleAnchors.apply(anchors, to: page([("短訊", "新橋今天通車。", 9),
                                                            ("錦州港新建碼頭投入使用", "本報訊 近日，全國第四批多式聯運示範工程評審會召開。", 1),
                                                            ("", "江邊步道上，市民冒雪晨練。", 14)]))
        #expect(other.articles.map(\.id) == ["p1-06", "p1-07", "p1-08"])
        // Served and stored anchors of one story in two scripts are one story, not another archive's.
        #expect(ArticleAnchors.sameStory(anchors[1], ArticleAnchors.of(corrected)[1]))
        #expect(ArticleAnchors.sameStory(anchors[4], ArticleAnchors.of(corrected)[4]))
    }

    @Test func withoutHeadlinesTheFirstLineMatches() {
        let anchors = ArticleAnchors.of(Self.page([("", 1), ("", 9)]))
        let kept = ArticleAnchors.apply(anchors, to: Self.page([("", 9), ("", 1)]))
        #expect(kept.articles.map(\.id) == ["p1-02", "p1-01"])
        #expect(ArticleAnchors.apply([], to: Self.page([("甲", 1)])).articles.map(\.id) == ["p1-01"])
    }

    /// Replaced twice, a page never gives the ids of the stories its earlier versions dropped to new
    /// ones (A B C D, then E alone, then F G H: not p1-02…p1-04 again); a dropped story that comes
    /// back with its headline gets its id again.
    @Test func idsOfStoriesAReplaceDroppedAreNeverGivenAgain() {
        func replace(_ earlier: [ArticleAnchor], with headlines: [String]) -> (ids: [String], anchors: [ArticleAnchor]) {
            let page = ArticleAnchors.apply(earlier, to: Self.page(headlines.enumerated().map { ($1, UInt32(1 + 5 * $0)) }))
            return (page.articles.map(\.id), ArticleAnchors.of(page, replacing: earlier))
        }
        let first = replace([], with: ["甲", "乙", "丙", "丁"])
        #expect(first.ids == ["p1-01", "p1-02", "p1-03", "p1-04"])
        let second = replace(first.anchors, with: ["戊"])
        #expect(second.ids == ["p1-05"])
        let third = replace(second.anchors, with: ["己", "庚", "辛"])
        #expect(Set(third.ids).isDisjoint(with: ["p1-01", "p1-02", "p1-03", "p1-04", "p1-05"]), "\(third.ids)")
        let fourth = replace(third.anchors, with: ["乙", "壬"])
        #expect(fourth.ids.first == "p1-02")
        #expect(!first.ids.contains(fourth.ids[1]) && !third.ids.contains(fourth.ids[1]))
        // A retired story's first line matches nothing: a story without a headline starting there is new.
        let untitled = ArticleAnchors.apply(second.anchors, to: Self.page([("", 6)]))
        #expect(untitled.articles.map(\.id) == ["p1-06"])
    }

    /// An older page file put back (it names p1-01 and p1-02) read over what foliod serves (p1-01
    /// and p1-04, with p1-02 and p1-03 kept retired): every id stays known, the file's word on an id
    /// it names as current wins over a retired one, and a retired id the file names for another
    /// story (a headline put on an untitled story since) is no sign of another archive.
    @Test func retiredIdsServedAreKeptWhereAnOlderPageFileLacksThem() {
        func anchor(_ id: String, _ headline: String, retired: Bool? = nil) -> ArticleAnchor {
            ArticleAnchor(id: id, line: 1, headline: headline, retired: retired)
        }
        let served = [anchor("p1-01", "甲"), anchor("p1-04", "丁"), anchor("p1-02", "乙", retired: true),
                      anchor("p1-03", "丙", retired: true)]
        let older = [anchor("p1-01", "甲"), anchor("p1-02", "")]
        let merged = ArticleAnchors.merging(served: served, stored: older)
        #expect(merged.map(\.id) == ["p1-01", "p1-04", "p1-02", "p1-03"])
        #expect(merged[2] == older[1])
        #expect(merged[3].retired == true)
        // A current id the file names for another story: the model came from another archive.
        #expect(ArticleAnchors.merging(served: served, stored: [anchor("p1-04", "戊")]).map(\.id) == ["p1-04"])
    }
}
