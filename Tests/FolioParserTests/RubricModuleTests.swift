import FolioModel
@testable import FolioParser
import Testing

/// Rubric bars on a page read from extractor output head their module's story, not the rest
/// of the page; the one-paragraph-per-line form keeps a rubric until the next one.
@Suite struct RubricModuleTests {
    static let park = "本报讯　今年春季，城东公园迎来游客高峰，园方增设了三条步行线路，并在入口处设置了导览牌，方便游客游览。"
    static let forest = "本报讯　西山林场今年共栽种树苗十二万株，成活率超过九成，林场还新修了防火通道和两座瞭望塔。"
    static let tea = "本报讯　南岭茶园近日开采春茶，茶农们起早贪黑，每天采摘鲜叶两千多斤，茶叶收购价格比去年略高。"

    /// A story as an extractor writes it: headline, then body lines of ten characters.
    static func story(_ headline: String, _ body: String) -> String {
        run([headline] + visualLines(body, width: 10, indent: 0))
    }

    @Test func extractedRubricCoversOneStory() {
        let text = page("■ 城市漫步", Self.story("城东公园迎来游客高峰", Self.park),
                        Self.story("西山林场完成造林", Self.forest))
        let p = parse(text)
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场完成造林"])
        #expect(p.articles.map(\.section) == ["城市漫步", ""])
    }

    @Test func rubricBarsSideBySideTakeOneStoryEach() {
        let text = page("■ 城市漫步", "■ 乡村纪事", Self.story("城东公园迎来游客高峰", Self.park),
                        Self.story("西山林场完成造林", Self.forest), Self.story("南岭茶园开采春茶", Self.tea))
        let p = parse(text)
        #expect(p.articles.map(\.section) == ["城市漫步", "乡村纪事", ""])
        #expect(p.sections.filter { !$0.rubric.isEmpty }.map(\.articleIds.count) == [1, 1])
    }

    @Test func onePargraphPerLineRubricRunsToTheNextOne() {
        let p = parse(page("■ 城市漫步", "城东公园迎来游客高峰", Self.park, "西山林场完成造林", Self.forest))
        #expect(p.articles.map(\.section) == ["城市漫步", "城市漫步"])
    }
}

/// Picture items and author lines as an extractor writes them.
@Suite struct ExtractedPictureTests {
    static let park = RubricModuleTests.park
    static let forest = RubricModuleTests.forest

    @Test func titleOverAWideCaptionStaysATitle() {
        let caption = "春节前夕，城东公园的游客在湖边观看灯展，园内共布置了三十多组彩灯，吸引了大批市民前来游览。（东湖社记者林小河摄）"
        let sourced = "近日，西山林场的工人们在山坡上栽种树苗，今年林场计划新增林地三千亩，成活率力争超过九成。（东湖社发南山社照片）"
        let text = page(run(["湖边灯展", caption]), run(["西山栽树忙", sourced]),
                        RubricModuleTests.story("城东公园迎来游客高峰", Self.park))
        let p = parse(text)
        #expect(p.articles.map(\.headline) == ["湖边灯展", "西山栽树忙", "城东公园迎来游客高峰"])
        #expect(p.articles[1].captions.map(\.text) == [sourced])
        #expect(p.articles[1].body.isEmpty)
    }

    @Test func nameUnderATitleIsItsAuthor() {
        let text = page(run(["西山林场完成造林", "林小河"]),
                        run(visualLines(Self.forest, width: 10, indent: 0)),
                        run(["城东游客多", "赵", "", "明"]),
                        run(visualLines(Self.park, width: 10, indent: 0)))
        let p = parse(text)
        #expect(p.articles.map(\.headline) == ["西山林场完成造林", "城东游客多"])
        #expect(p.articles.map { $0.bylines.map(\.name) } == [["林小河"], ["赵明"]])
    }
}

@Suite struct MastheadPublicationTests {
    @Test func paperNameNotEndingInDailyIsThePublication() {
        let m = Masthead.find(lines: [Array("东湖都市报/2001 年/3 月/5 日/第 B02 版体育".unicodeScalars)])
        #expect(m?.publication == "东湖都市报")
        #expect(m?.pageLabel == "B02")
        #expect(m?.section == "体育")
    }
}

/// Extractors read a headline set beside other stories before the text under it.
@Suite struct OrphanHeadlineTests {
    @Test func datelineLaterOpensTheTextOfAnEarlierHeadline() {
        let caption = "春节前夕，城东公园的游客在湖边观看灯展，园内共布置了三十多组彩灯，吸引了大批市民前来游览。（东湖社记者林小河摄）"
        let essay = "城东的老街又热闹起来了，街口的茶馆天天客满，老人们喝着茶，谈着一年的收成，说着来年的打算，孩子们在街上跑来跑去。"
        let text = page(run(["西山林场完成", "造林任务"]), run(["湖边灯展", caption]),
                        "留住城市记忆——", run(["老街新貌"] + visualLines(essay, width: 10, indent: 0)),
                        run(visualLines(RubricModuleTests.forest, width: 10, indent: 0)))
        let p = parse(text)
        #expect(p.articles.map(\.headline) == ["西山林场完成造林任务", "湖边灯展", "老街新貌"])
        #expect(p.articles.first?.dateline.agency == "本报讯")
        #expect(p.articles.first?.body.count == 1)
        #expect(p.articles.last?.body.map(\.text) == [essay])
    }
}

@Suite struct ExtractedSignOffTests {
    @Test func oneNameAfterAFinishedStorySignsItOff() {
        let essay = "城东的老街又热闹起来了，街口的茶馆天天客满，老人们喝着茶，谈着一年的收成，说着来年的打算。"
        let other = "去年年初，我们从南山县来到城里打工，白天在工地上干活，晚上就在工棚里听课，日子过得很充实。"
        let text = page(run(["老街新貌"] + visualLines(essay, width: 10, indent: 0) + ["林小河"]),
                        run(visualLines(other, width: 10, indent: 0)))
        let p = parse(text)
        #expect(p.articles.first?.headline == "老街新貌")
        #expect(p.articles.first?.bylines.map(\.name) == ["林小河"])
        #expect(!p.articles.contains { $0.headline == "林小河" })
    }
}

@Suite struct HeadlineBlockTests {
    @Test func headlineSetInTwoLinesAboveItsDatelineIsOneHeadline() {
        let body = "本报讯　今年春季，城东公园迎来游客高峰，园方增设了三条步行线路，并在入口处设置了导览牌，方便游客。"
        let text = page(run(["省里关心山区教育", "南山学校添新书"] + visualLines(body, width: 14, indent: 0)),
                        run(["湖南", "江西", "各地农民抓住晴好天气翻耕土地，准备春播。（本报记者林小河摄）"]))
        let p = parse(text)
        #expect(p.articles.first?.headline == "省里关心山区教育南山学校添新书")
        #expect(p.articles.first?.dateline.agency == "本报讯")
        #expect(!p.articles.contains { $0.headline.contains("湖南") })
    }
}

/// Extractors read a bar set over a module beside a story before that story's text: the story
/// read before the bar keeps its lead box, and the next title heads the bar's module.
@Suite struct RubricAfterHeadlineTests {
    static let box = run(["核心提示", "去年十月的一个傍晚，在淅淅", "沥沥的雨声中，一位在山区工作",
                          "了三十年的护林员退休了。他就", "是全县闻名的老林。"])
    static let picture = run(["剪纸，咱也会！",
                              "走进城东的老街，你会感到这里的人们幽默、诙谐，他们擅长剪纸创作。十年前，他们成立了剪纸",
                              "协会，如今已有一百多名会员，他们的作品在省、市多次获奖，活跃了城乡文化。（林小河摄）"])
    static let recruits = run(["新兵到队第一天", "分别来自东部、西部等四个省的", "几百名新兵，于日前全部到达部",
                               "队营房。为了使这些新战友吃好", "、住好、训练好，部队提前一个", "月做好了各项迎新准备工作。"])

    @Test func titlesAfterALeadBoxOpenTheWaitingRubricsStories() {
        let p = parse(page("林海守望", "■ 城市漫步 CHENGSHI MANBU", "林小河", Self.box, Self.picture, Self.recruits))
        #expect(p.articles.map(\.headline) == ["林海守望", "剪纸，咱也会！", "新兵到队第一天"])
        #expect(p.articles.map(\.section) == ["", "城市漫步", "城市漫步"])
        #expect(p.articles[0].lead.count == 1)
        #expect(p.articles.flatMap(\.body).allSatisfy { $0.kind != .subheading })
    }

    @Test func withoutABarATitleAfterTheLeadBoxIsASubheading() {
        let plain = "巡山的路有十几里，他每天走一趟，风雨无阻，从来没有误过一天。"
        let p = parse(page("林海守望", "林小河", Self.box, RubricModuleTests.story("巡山路上", plain)))
        #expect(p.articles.map(\.headline) == ["林海守望"])
        #expect(p.articles[0].body.map(\.kind) == [.subheading, .paragraph])
    }
}

/// A credited caption whose first lines the extractor set apart in a block of their own.
@Suite struct SplitCaptionTests {
    static let head = "元宵节晚上，城东公园举行灯会，市民们扶老携幼，"
    static let rest = "在湖边观赏彩灯。（东湖社记者林小河摄）"

    @Test func proseBrokenOffAboveACaptionIsItsStart() {
        let text = page(RubricModuleTests.story("城东公园迎来游客高峰", RubricModuleTests.park),
                        run(visualLines(Self.head, width: 10, indent: 0)), run(visualLines(Self.rest, width: 10, indent: 0)),
                        run(visualLines(RubricModuleTests.forest, width: 10, indent: 0)))
        let p = parse(text)
        let captions = p.articles.flatMap(\.captions)
        #expect(captions.map(\.text) == ["元宵节晚上，城东公园举行灯会，市民们扶老携幼，在湖边观赏彩灯。"])
        #expect(captions.map(\.credit) == ["（东湖社记者林小河摄）"])
        #expect(!p.articles.flatMap(\.body).contains { $0.text.contains("元宵节") })
    }

    @Test func aTitleAboveACaptionStaysATitle() {
        let text = page(RubricModuleTests.story("城东公园迎来游客高峰", RubricModuleTests.park),
                        "湖边灯会", run(visualLines(Self.head + Self.rest, width: 10, indent: 0)))
        let p = parse(text)
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "湖边灯会"])
        #expect(p.articles[1].captions.map(\.text) == [Self.head + "在湖边观赏彩灯。"])
    }
}

/// Letters to the editor as an extractor writes them: each signed by its writer.
@Suite struct SignedLetterTests {
    static let essay = "城东的老街又热闹起来了，街口的茶馆天天客满，老人们喝着茶，谈着一年的收成，说着来年的打算。"
    static let letter = "城东的老街又热闹起来了，街口的茶馆天天客满，希望有关部门管一管乱停的车辆和占道的摊点，还老街一个清净。（东湖市林小河）"
    static let forest = "西山林场今年共栽种树苗十二万株，成活率超过九成，林场还新修了防火通道和两座瞭望塔。"
    static let walk = "巡山的路有十几里，他每天走一趟，风雨无阻，从来没有误过一天。"

    @Test func aTitleAfterASignedLetterOpensAnArticle() {
        let text = page(run(["茶馆里的新年"] + visualLines(Self.essay, width: 10, indent: 0)),
                        "老街该管一管了", run(visualLines(Self.letter, width: 10, indent: 0)),
                        "林场新貌", run(visualLines(Self.forest, width: 10, indent: 0)), run(visualLines(Self.walk, width: 10, indent: 0)))
        let p = parse(text)
        #expect(p.articles.map(\.headline) == ["茶馆里的新年", "老街该管一管了", "林场新貌"])
        #expect(p.articles.flatMap(\.body).allSatisfy { $0.kind != .subheading })
    }
}

extension SignedLetterTests {
    /// A story ending with its wire dateline (`（新华社…电）`) is over: the titles after a long one
    /// were read as its subheadings, whole stories glued into it (PFR's front page of 1 January).
    @Test func aTitleAfterAWireSignOffOpensAnArticle() {
        let paragraphs = (0..<8).map { "第\($0 + 1)段，" + Self.essay } + ["谢谢大家！（新华社北京１２月３１日电）"]
        let text = (["新年讲话"] + paragraphs + ["林场新貌", Self.forest, Self.walk, "老街茶馆", Self.essay, Self.walk]).joined(separator: "\n\n") + "\n"
        let p = parse(text)
        #expect(p.articles.map(\.headline) == ["新年讲话", "林场新貌", "老街茶馆"])
        #expect(p.articles.flatMap(\.body).allSatisfy { $0.kind != .subheading })
    }
}

/// A photo story as PFR sets it: a deck, the reporter's line, then the story.
@Suite struct DeckAuthorLineTests {
    static let deck = "城东渡口的老船工在湖上摆渡了整整四十年，送走了一批又一批的过客，如今湖上修起了大桥，他却还守着那条小船———（附图片１张）"
    static let dawn = "老船工今年七十岁了，每天清晨五点，他准时把船划到渡口，等候第一批过河的乡亲。"
    static let change = "说起这些年的变化，老人笑着说，过去过河要等半天，如今对岸修了桥，坐船的人少了，可他还是舍不得这条船。"

    /// The author line stays in the text where it stands, read once: not also as a byline.
    @Test func anAuthorLineAfterTheDeckStaysInTheStoryOnce() {
        let lines = ["湖边的老船工"] + visualLines(Self.deck, width: 15, indent: 0) + ["本报记者林小河"]
            + visualLines(Self.dawn, width: 15, indent: 0) + visualLines(Self.change, width: 15, indent: 0)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["湖边的老船工"])
        #expect(p.articles[0].body.map(\.kind) == [.paragraph, .subheading, .paragraph, .paragraph])
        #expect(p.articles[0].body[1].text == "本报记者林小河")
        #expect(p.articles[0].bylines.isEmpty)
    }

    /// PFR's shape: a top byline, the deck, a second reporter's line, then the story. The second
    /// line stays in the text; no byline repeats it, and the top byline is kept.
    @Test func aSecondAuthorLineAfterTheDeckIsNotAlsoAByline() throws {
        let p = parse(page("湖边的老船工", "——记一位渡口老人", "本报记者 江 南", Self.deck, "本报记者林小河", Self.dawn))
        let a = try #require(p.articles.first)
        #expect(p.articles.count == 1)
        #expect(a.bylines.map(\.name) == ["江南"])
        let bylineLines = Set(a.bylines.map(\.line))
        #expect(!a.body.contains { !bylineLines.isDisjoint(with: $0.lines) })
        #expect(a.body.map(\.text) == [Self.deck, "本报记者林小河", Self.dawn])
        #expect(a.body.filter { $0.text.contains("林小河") }.count == 1)
    }

    @Test func anAuthorLineAfterAWholeStorySignsItOff() {
        let story = Self.dawn + Self.change
        let lines = ["湖边的老船工"] + visualLines(story, width: 15, indent: 0) + ["本报记者林小河"]
            + visualLines(RubricModuleTests.forest, width: 15, indent: 0)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.count == 2)
        #expect(p.articles[0].body.allSatisfy { $0.kind == .paragraph })
    }
}
