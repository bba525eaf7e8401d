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

    @Test func namesRunTogetherUnderAHeadlineAreItsAuthors() {
        let p = parse(page("冰城看灯", "杨海林郑秀云", "元宵节前，哈尔滨的冰灯又亮了起来。"))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].bylines.map(\.name) == ["杨海林", "郑秀云"])
        #expect(p.articles[0].subtitle.isEmpty)
        // A title that merely splits into surname-led pieces stays a subtitle: a second title line
        // without dashes is a deck under the headline (as PFR sets its headlines), not a kicker.
        let q = parse(page("冰城看灯", "温馨的贺卡", "元宵节前，哈尔滨的冰灯又亮了起来。"))
        #expect(q.articles[0].bylines.isEmpty)
        #expect(q.articles[0].subtitle == "温馨的贺卡")
    }

    @Test func paragraphStartCutByAColumnBreakIsNoTitle() {
        let p = parse(page("小城新添公交线", "本报讯 今年起，小城新开通了三条公交线路，方便了市民出行。",
                           "近两年，市里先后投入", "两千多万元更新公交车辆，并新建了一批候车亭。",
                           "市民对此十分满意。"))
        #expect(p.articles.map(\.headline) == ["小城新添公交线"])
        #expect(p.articles[0].body.map(\.text).contains("近两年，市里先后投入两千多万元更新公交车辆，并新建了一批候车亭。"))
        // The model reads titles as titles: a comma title after a finished story still opens one.
        #expect(TitleFragments.shared.fragmentLogOdds(Array("近两年，市里先后投入".unicodeScalars)) > ArticleBuilder.cutWithComma)
        #expect(TitleFragments.shared.fragmentLogOdds(Array("塞纳河，女人河".unicodeScalars)) < ArticleBuilder.cutWithComma)
    }

    @Test func closingExclamationBeforeTheNextTitleEndsTheStory() {
        for rubric in [["■ 体育"], []] {
            let p = parse(page(["书法展在京开幕", "本报讯 展览展出了二百多件作品，观众络绎不绝，展期半个月。",
                                "让我们一起走进书法的世界！"] + rubric
                               + ["冬泳健儿迎新春", "本报讯 昨天上午，一百多名冬泳爱好者跃入湖中。"]))
            #expect(p.articles.map(\.headline) == ["书法展在京开幕", "冬泳健儿迎新春"])
            #expect(p.articles[0].body.last?.text == "让我们一起走进书法的世界！")
            #expect(p.articles[1].subtitle.isEmpty)
        }
        // Over prose, the same line is a headline.
        let q = parse(page("书法展在京开幕", "本报讯 展览展出了二百多件作品，观众络绎不绝，展期半个月。",
                           "冬泳健儿迎新春！", "本报讯 昨天上午，一百多名冬泳爱好者跃入湖中。"))
        #expect(q.articles.map(\.headline) == ["书法展在京开幕", "冬泳健儿迎新春！"])
    }

    @Test func twoTitlesTheFirstTheLongerOverADashedSubtitleAreKickerAndHeadline() {
        let p = parse(page("深化改革 扩大开放", "论统揽全局", "——写在新年到来之际", "新的一年开始了。"))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].kicker == "深化改革 扩大开放")
        #expect(p.articles[0].headline == "论统揽全局")
        #expect(p.articles[0].subtitle == "写在新年到来之际")
    }

    @Test func contactLineEndingAStoryIsNoTitle() {
        // A paper's hotline under the last paragraph: the story's text, not the next headline.
        let p = parse(page("读者热线开通", "本报讯 从下周起，本版每周刊登读者关心的住房问题，欢迎来信来电。",
                           "本版热线：０２４—２３５６７８９０转３１２", "冬泳健儿迎新春", "本报讯 昨天上午，一百多名冬泳爱好者跃入湖中。"))
        #expect(p.articles.map(\.headline) == ["读者热线开通", "冬泳健儿迎新春"])
        #expect(p.articles[0].body.last?.text == "本版热线：０２４—２３５６７８９０转３１２")
        // A colon alone does not make a contact line.
        #expect(LineRoles.isTitleLike(Array("北京热线：新年第一天".unicodeScalars)))
    }

    @Test func twoTitlesOverADashedSubtitleAreKickerAndHeadline() {
        let p = parse(page("聚焦春耕", "山区农民科技致富", "——记青山村的新变化", "本报记者 林立新",
                           "走进青山村，一排排新房映入眼帘。", "村里的果园今年又获丰收。"))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].kicker == "聚焦春耕")
        #expect(p.articles[0].headline == "山区农民科技致富")
        #expect(p.articles[0].subtitle == "记青山村的新变化")
        #expect(p.articles[0].body.map(\.text) == ["走进青山村，一排排新房映入眼帘。", "村里的果园今年又获丰收。"])
    }

    @Test func interviewTurnsAreParagraphs() {
        let p = parse(page("让老手艺焕发新活力", "本报记者 林小河", "问：老手艺怎样才能留住年轻人？",
                           "答：关键是让手艺人有饭吃，有奔头。", "记者：您对年轻人有什么建议？", "答：多学多练，耐得住寂寞。"))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].body.count == 4)
        #expect(p.articles[0].body.allSatisfy { $0.kind == .paragraph })
    }

    @Test func aLettersSignatureSignsItOff() {
        let p = parse(page("■ 读者来信", "楼道灯该修了", "编辑同志：", "我们楼的楼道灯坏了两个月，晚上上下楼很不方便。",
                           "山东济南市 王 芳", "菜市场应有秤", "编辑同志：", "一些菜市场没有公平秤，顾客心里没底。", "河北保定 刘建军"))
        #expect(p.articles.map(\.headline) == ["楼道灯该修了", "菜市场应有秤"])
        #expect(p.articles.map { $0.bylines.map(\.name) } == [["王芳"], ["刘建军"]])
        #expect(p.articles[0].bylines.first?.role == "山东济南市")
        #expect(p.articles.allSatisfy { $0.subtitle.isEmpty })
    }

    @Test func tableRowsStayInTheirStoryRowByRow() {
        let rows = ["品种　　价格　　涨跌", "大米　　２．１０　　持平", "面粉　　１．８０　　下跌"]
        let p = parse(page(["本周粮价平稳", "本报讯 本周本市主要粮食零售价格如下："] + rows + ["（市物价局提供）"]))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].body.map(\.text) == ["本周本市主要粮食零售价格如下："] + rows + ["（市物价局提供）"])
    }

    @Test func leadInBetweenAHeadlineAndItsAuthorsIsNoKicker() {
        let p = parse(page("走进大兴安岭", "雪原在车窗外缓缓退去，四周一片寂静，而车厢里热闹非凡———",
                           "高文明孙小兵", "在林区的二十多条铁路支线中，这一条最为险峻。"))
        #expect(p.articles.count == 1)
        #expect(p.articles[0].headline == "走进大兴安岭")
        #expect(p.articles[0].subtitle.hasPrefix("雪原在车窗外"))
        #expect(p.articles[0].kicker.isEmpty)
        #expect(p.articles[0].bylines.map(\.name) == ["高文明", "孙小兵"])
        // Over a headline, the same line is that headline's kicker.
        let q = parse(page("走进大兴安岭", "林区的铁路又添新线。", "雪原在车窗外缓缓退去——",
                           "林海雪原通新车", "在林区的二十多条铁路支线中，这一条最为险峻。"))
        #expect(q.articles.map(\.headline) == ["走进大兴安岭", "林海雪原通新车"])
        #expect(q.articles[1].kicker == "雪原在车窗外缓缓退去")
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
