import FolioModel
@testable import FolioParser
import Testing

/// Headline or subheading or text: the evidence read from a title's neighbours.
@Suite struct TitleEvidenceTests {
    @Test func titleAfterASignedOffStoryOpensAnArticle() {
        let p = parse(page("春運開始", "１月８日上午，車站廣場來了一羣青年。",
                           "他們為旅客服務，過往行人無不稱奇。（陳萬鈞　楊光）",
                           "強強回故鄉", "瀋陽的熊貓強強因患病於近日送往四川老家療養。"))
        #expect(p.articles.map(\.headline) == ["春運開始", "強強回故鄉"])
        #expect(p.articles[0].body.allSatisfy { $0.kind == .paragraph })
    }

    @Test func penNameUnderAHeadlineIsItsAuthor() {
        let p = parse(page("批评没有家", "剑武", "两个现象，使笔者有了这个题目。"))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].bylines.map(\.name) == ["剑武"])
        #expect(p.articles[0].subtitle.isEmpty)
    }

    @Test func titleFollowedByAPenNameOpensAnArticle() {
        let p = parse(page("读书天地", "读书天地与读者见面了。", "批评没有家", "剑武",
                           "两个现象，使笔者有了这个题目。"))
        #expect(p.articles.map(\.headline) == ["读书天地", "批评没有家"])
        #expect(p.articles[1].bylines.map(\.name) == ["剑武"])
    }

    @Test func severalNamesWithAnUnseenSurnameSignOff() {
        let p = parse(page("功勋种质的由来", "就是这一点一滴的辛劳和汗水，铸就了不朽功勋。",
                           "杨宇 刘观浦 刑金亮", "清华，有这样一个学术沙龙",
                           "隆冬的一个周末，清华大学留学生楼餐厅里坐满了人，大家谈笑风生。"))
        #expect(p.articles.map(\.headline) == ["功勋种质的由来", "清华，有这样一个学术沙龙"])
        #expect(p.articles[0].bylines.map(\.name) == ["杨宇", "刘观浦", "刑金亮"])
    }

    @Test func aDatelineInsideAStoryIsNeverATitle() {
        let p = parse(page("巴以和谈", "新华社开罗１月１４日电（记者侯嘉）美国提出建议。",
                           "他说，双方应加速谈判。",
                           "本报大马士革１月１５日电记者吴文斌报道：埃及总统穆巴拉克昨天下午突然飞抵大马士",
                           "革，同叙利亚总统阿萨德举行会谈。"))
        #expect(p.articles.map(\.headline) == ["巴以和谈"])
    }

    @Test func aLineCutMidWordIsNotATitle() {
        // 威|慑 is one word: the short line is the head of a paragraph broken at a column edge.
        let p = parse(page("捷克治安状况恶化", "据新华社布拉格１月１４日电 捷克治安状况恶化。",
                           "此间舆论普遍认为，过早地取消死刑，对犯罪分子缺乏威",
                           "慑手段，是导致犯罪案件增加的一个重要原因。"))
        #expect(p.articles.map(\.headline) == ["捷克治安状况恶化"])
    }

    @Test func aLongLeadBoxDoesNotTurnTheNextHeadlineIntoASubheading() {
        let p = parse(page("三分侠气一点素心", "核心提示", "在老画家许麟庐先生家中，珍藏着一支明代的竹箫。",
                           "许老的书画成就闻名遐迩。", "六十余载的艺术生涯，许老巧妙地寻门而入。",
                           "对许老的艺与德，张伯驹先生曾题赠诗。", "高莽神农架速写",
                           "魂牵梦萦多少年，期盼亲临那片神奇的土地。", "面对耸入云天的千年杉树，你会听到它的声音。"))
        #expect(p.articles.map(\.headline) == ["三分侠气一点素心", "高莽神农架速写"])
    }
}
