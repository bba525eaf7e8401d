import FolioModel
@testable import FolioParser
import Testing

/// Lays a paragraph out as an extractor writes it: visual lines of `width` characters, the
/// first one shortened by the indent it had on paper (the extractor drops the spaces).
func visualLines(_ paragraph: String, width: Int, indent: Int = 2) -> [String] {
    var out: [String] = []
    var rest = Array(paragraph)
    var room = width - indent
    while !rest.isEmpty {
        out.append(String(rest.prefix(room)))
        rest = Array(rest.dropFirst(room))
        room = width
    }
    return out
}

/// Lines one under the other (no blank line between them).
func run(_ lines: [String]) -> String { lines.joined(separator: "\n") }

@Suite struct ReflowTests {
    static let first = "今年春季，城东公园迎来游客高峰，园方增设了三条步行线路，并在入口处设置了导览牌。"
    static let second = "据介绍，公园还将在暑期开放夜间游览，方便市民纳凉。"
    static let third = "园方提醒，游园时请爱护花木，不要随意攀折。"

    @Test func paragraphsBrokenIntoVisualLinesAreJoined() {
        let body = visualLines(Self.first, width: 12) + visualLines(Self.second, width: 12) + visualLines(Self.third, width: 12)
        let p = parse(page(run(["城东公园迎来游", "客高峰"]), "本报记者　林小河", run(body)))
        #expect(p.articles.count == 1)
        let a = p.articles[0]
        #expect(a.headline == "城东公园迎来游客高峰")
        #expect(a.bylines.map(\.name) == ["林小河"])
        #expect(a.body.map(\.text) == [Self.first, Self.second, Self.third])
        // Each paragraph names every visual line it was joined from, in order.
        let lines = a.body.flatMap(\.lines)
        #expect(lines == Array(lines.sorted()) && Set(lines).count == lines.count)
        #expect(lines.count == body.count)
    }

    /// A whole credited caption set between two lines of a paragraph: the paragraph goes on past it.
    @Test func captionLineInsideAParagraphStaysOutOfIt() {
        let lines = ["去年冬天，我们从河南老家来到省城打工", "。打工就意味着在工地上埋头苦干，用劳", "动换取应得的报酬。",
                     "记得第一天上课前，大家都把平时锁在箱子", "民工们在夜校课堂上课。（本报记者林河摄）",
                     "里专门用于写信的铅笔和信纸找出来，像小", "时候上学一样兴奋不已地走进了教室。"]
        let p = parse(run(["夜校的灯光", "本报记者 林小河"] + lines) + "\n")
        let a = p.articles.first
        #expect(a?.captions.map(\.text) == ["民工们在夜校课堂上课。"])
        #expect(a?.body.last?.text == "记得第一天上课前，大家都把平时锁在箱子里专门用于写信的铅笔和信纸找出来，像小时候上学一样兴奋不已地走进了教室。")
    }

    /// A line end between two Latin words was a space: joined without one, `China` / `have` read
    /// "Chinahave" and `Windows` / `98` "Windows98"; Han text and a hyphen's break join as they are.
    @Test func latinWordsAtALineEndKeepTheirSpace() {
        let lines = ["据报道，美国官员在会谈后对记者说，双方已经达成协议，将扩大China", "have合作，双方还将扩大在软件领域的合作，例如Windows",
                     "98等软件产品上的合作，并将在亚太合作组织APEC-", "2024框架内继续磋商，合作前景广阔，各方对此都很满意。"]
        let p = parse(page(run(["中美扩大软件合作"]), run(lines)))
        let text = p.articles.first?.body.map(\.text).joined() ?? ""
        #expect(text.contains("China have合作") && text.contains("Windows 98等") && text.contains("APEC-2024框架"), "\(text)")
        #expect(!text.contains("合作 ，"))
    }

    /// Half-width digits of one figure broken over two lines of Chinese prose (`于199` / `7年`)
    /// are one number; after a Latin word (`Windows` / `98`) they stay a word apart.
    @Test func figureBrokenAtALineEndInProseJoinsWithoutSpace() {
        let lines = ["据统计，这个县的粮食总产量在199", "7年达到了历史最高水平，全县共有3", "000多个农户受益，人均收入比上一年增长了一成多，",
                     "各方对此都很满意，都说这是真正的好事。"]
        let p = parse(page(run(["粮食总产量创新高"]), run(lines)))
        let text = p.articles.first?.body.map(\.text).joined() ?? ""
        #expect(text.contains("在1997年达到") && text.contains("共有3000多个"), "\(text)")
    }

    @Test func rawFormWithoutBlankLinesSplitsTitlesFromText() {
        // The second headline is shorter than an indented first line and no wider than what follows.
        let forest = "据了解，西山林场今年共栽种树苗十二万株，成活率超过九成，林场还新修了防火通道。"
        let lines = ["城东公园迎来游客高峰", "本报记者　林小河"] + visualLines(Self.first, width: 10)
            + visualLines(Self.second, width: 10) + ["西山植树"] + visualLines(forest, width: 10)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山植树"])
        #expect(p.articles.first?.body.map(\.text) == [Self.first, Self.second])
        #expect(p.articles.last?.body.map(\.text) == [forest])
    }

    /// Over a narrow column a headline takes four or five lines (seven glyphs each, the last
    /// shorter, breaks between words), then a dateline cut at the line end: one headline.
    @Test func aHeadlineSetInFourLinesOverANarrowColumnIsOneHeadline() {
        let lines = ["人民日报 1998年3月2日 星期一 第五版 经济", "市林业局、园林", "局通知要求各区", "全力以赴植树保", "成活保质量",
                     "新华社杭州３月１日", "电（记者林小河）记者", "从市林业局获悉，全市今", "年春季共栽种树苗十二万",
                     "株，各区还新修了防火通", "道，林场增加了巡护人员。"]
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["市林业局、园林局通知要求各区全力以赴植树保成活保质量"])
        #expect(p.articles.first?.dateline.reporters == ["林小河"])
    }

    @Test func jumpLineIsNotJoinedToTheCutParagraph() {
        let cut = "走进城东公园，首先映入眼帘的是一片盛开的樱花林，游客们纷纷"
        let lines = ["樱花时节游城东"] + visualLines(Self.first, width: 12) + visualLines(cut, width: 12) + ["（下转第六版）"]
        let p = parse(run(lines) + "\n")
        let texts = p.articles.flatMap { $0.body.map(\.text) }
        #expect(texts.contains(cut))
        #expect(!texts.contains { $0.contains("下转") })
    }

    @Test func onePargraphPerLineFormIsLeftAlone() {
        let lines = (0..<10).map { "第\($0)段文字，内容不长，到此为止" + ($0 % 2 == 0 ? "。" : "") }
        let visual = lines.enumerated().map { VisualLine(line: UInt32($0.offset * 2 + 1), gapBefore: 1, scalars: Array($0.element.unicodeScalars), indented: nil) }
        #expect(!Reflow.looksExtracted(visual))
        let broken = visualLines(Self.first + Self.second + Self.third, width: 10).enumerated().map {
            VisualLine(line: UInt32($0.offset + 1), gapBefore: 0, scalars: Array($0.element.unicodeScalars), indented: nil)
        }
        #expect(Reflow.looksExtracted(broken))
    }

    @Test func layoutColumnsAreReadOneAfterTheOther() {
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        let left = ["北湖新建三座码头"] + visualLines(Self.first, width: 12).enumerated().map { $0.offset == 0 ? "  " + $0.element : $0.element }
            + visualLines(Self.second, width: 12).enumerated().map { $0.offset == 0 ? "  " + $0.element : $0.element }
        let right = ["南岭茶园开采春茶"] + visualLines(Self.third, width: 12).enumerated().map { $0.offset == 0 ? "  " + $0.element : $0.element }
        let rows = (0..<max(left.count, right.count)).map { r in
            pad(r < left.count ? left[r] : "", 20) + "    " + (r < right.count ? right[r] : "")
        }
        let text = rows.joined(separator: "\n") + "\n"
        #expect(LayoutColumns.looksLayout(text))
        let p = parse(text)
        #expect(p.articles.map(\.headline) == ["北湖新建三座码头", "南岭茶园开采春茶"])
        #expect(p.articles.first?.body.map(\.text) == [Self.first, Self.second])
        #expect(p.articles.last?.body.map(\.text) == [Self.third])
    }
}

@Suite struct LayoutSegmentTests {
    @Test func spacedNameStaysOneSegmentAndGutterSplits() {
        let row = Array("本报记者   林   河          南岭茶园开采春茶".unicodeScalars)
        let segs = LayoutColumns.segments(row, row: 0)
        #expect(segs.map { String(String.UnicodeScalarView($0.scalars)) } == ["本报记者 林 河", "南岭茶园开采春茶"])
        #expect(segs.map(\.start) == [0, 22])
    }
}

@Suite struct MastheadTests {
    @Test func slashedHeaderBecomesPageInfo() {
        let p = parse(page("东湖晚报/2023 年/6 月/9 日/第 B05 版文化", "城东公园迎来游客高峰", "今年春季，城东公园迎来游客高峰。"))
        #expect(p.info.publication == "东湖晚报")
        #expect(p.info.date == "2023-06-09")
        #expect(p.info.pageLabel == "B05")
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰"])
    }

    @Test func headerSplitOnePiecePerLine() {
        let lines = ["第十一版", "２００１年３月５日", "星期一", "南山日报", "体育", "城东公园迎来游客高峰"].map { Array($0.unicodeScalars) }
        let m = Masthead.find(lines: lines)
        #expect(m?.pageLabel == "11")
        #expect(m?.date == "2001-03-05")
        #expect(m?.publication == "南山日报")
        #expect(m?.section == "体育")
        #expect(m?.blockCount == 5)
    }

    @Test func spacedHeaderWithSectionLast() {
        let m = Masthead.find(lines: [Array("南山日报　2001年3月5日　星期一　第4版　要闻".unicodeScalars)])
        #expect(m?.pageLabel == "4")
        #expect(m?.section == "要闻")
    }

    @Test func ordinaryHeadlineIsNoHeader() {
        #expect(Masthead.find(lines: [Array("城东公园迎来游客高峰".unicodeScalars), Array("本报讯 今年春季，游客增多。".unicodeScalars)]) == nil)
        // A story that merely mentions a date and a paper is not a header.
        #expect(Masthead.find(lines: [Array("据南山日报报道，2001年3月5日，城东公园迎来了今年第一批游客，园方为此做了充分准备。".unicodeScalars)]) == nil)
    }
}

@Suite struct PictureItemTests {
    @Test func pictureOnlyTitleIsAnItemOfItsOwn() {
        let p = parse(page("西山植树", "本报讯 西山林场近日完成春季造林任务。", "雪中松柏图（图片）",
                           "城东公园迎来游客高峰", "本报讯 今年春季，城东公园迎来游客高峰。"))
        #expect(p.articles.map(\.headline) == ["西山植树", "雪中松柏图（图片）", "城东公园迎来游客高峰"])
        #expect(p.articles[1].body.isEmpty)
        #expect(p.articles[2].subtitle == "")
        #expect(p.articles[2].body.map(\.text) == ["今年春季，城东公园迎来游客高峰。"])
    }
}

@Suite struct PhotoSeriesTests {
    @Test func placeLabelsAboveACaptionAreNoArticles() {
        let p = parse(page("春耕时节", "湖南", "江西", "各地农民抓住晴好天气翻耕土地，准备春播。（本报记者林小河摄）",
                           "城东公园迎来游客高峰", "本报讯 今年春季，城东公园迎来游客高峰。"))
        #expect(p.articles.map(\.headline) == ["春耕时节", "城东公园迎来游客高峰"])
        #expect(p.articles[0].captions.count == 1)
        #expect(p.articles.allSatisfy { $0.body.allSatisfy { $0.text != "湖南" && $0.text != "江西" } })
    }
}

/// Extractor text with no blank lines (`pdftotext -raw`) in narrow columns: the line right under
/// a rubric line is the section's headline even when it is barely shorter than the text's lines.
@Suite struct RubricHeadlineReflowTests {
    @Test func shortLineUnderARubricIsTheHeadlineNotTheTextsStart() {
        let body = visualLines("研究人员近日在山区发现一种耐寒水稻，它在零下低温中也能正常生长，产量不减。"
                               + "这种水稻已在三个县试种，农民反映很好，明年将扩大种植面积，让更多山区农民受益。", width: 11)
        let p = parse(run(["■ 科技之窗 KEJI", "耐寒水稻试种成功"] + body))
        #expect(p.articles.map(\.headline) == ["耐寒水稻试种成功"])
        #expect(p.articles.first?.section == "科技之窗")
        #expect(p.articles.first?.body.first?.text.hasPrefix("研究人员近日") == true)
        // A headline wrapped with one glyph over: its rest still joins it.
        let wrapped = parse(run(["■ 科技之窗 KEJI", "山区耐寒水稻试种获得成", "功"] + body))
        #expect(wrapped.articles.map(\.headline) == ["山区耐寒水稻试种获得成功"])
    }
}

/// Extractor text with no blank lines: a photo's caption wrapped over several lines right under
/// a paragraph whose last line is full is the whole caption, not its last line or sentence.
@Suite struct WrappedCaptionReflowTests {
    @Test func captionUnderAFullLastLineKeepsItsFirstLines() {
        let story = visualLines("本报杭州３月２日讯浙江省今年将新建一百座乡村图书室，让农民在家门口就能借到书。"
                                + "省文化厅负责人说，图书室由各地统一配书，每年更新一次，农民可以免费借阅，节假日也照常开放。", width: 14, indent: 0)
        #expect(story.last?.count == 14)
        let caption = ["前天，浙江省安吉县农民在新落", "成的村图书室里阅读。这座图书", "室藏书两千余册。（新华社记者钱小江摄）"]
        let p = parse(run(["乡村图书室年内建成一百座"] + story + caption))
        #expect(p.articles.map(\.headline) == ["乡村图书室年内建成一百座"])
        let captions = p.articles.flatMap(\.captions) + p.captions
        #expect(captions.map(\.text) == ["前天，浙江省安吉县农民在新落成的村图书室里阅读。这座图书室藏书两千余册。"])
        #expect(p.articles.first?.body.map(\.text).joined().contains("前天") == false)
    }

    /// A caption opening with 图为, its first line wider than the column (set to the photo's
    /// width), its credit on a line of its own: one caption, not a title over a one-line caption.
    @Test func pictureCaptionWiderThanTheColumnIsNoTitle() {
        let story = visualLines("本报杭州３月２日讯浙江省今年将新建一百座乡村图书室，让农民在家门口就能借到书。"
                                + "省文化厅负责人说，图书室由各地统一配书，每年更新一次，农民可以免费借阅。", width: 14, indent: 0)
        let caption = ["图为浙江省安吉县农民在新落成的村图书室里", "阅读，孩子们也来借书。", "（钱小江摄）"]
        let p = parse(run(["乡村图书室年内建成一百座"] + story + caption))
        #expect(p.articles.map(\.headline) == ["乡村图书室年内建成一百座"])
        let captions = p.articles.flatMap(\.captions) + p.captions
        #expect(captions.map(\.text) == ["图为浙江省安吉县农民在新落成的村图书室里阅读，孩子们也来借书。"])
        #expect(captions.map(\.credit) == ["（钱小江摄）"])
    }
}

@Suite struct KickerTests {
    @Test func kickerAboveHeadlineOpensTheNextArticle() {
        let p = parse(page("西山林场完成春季造林", "本报讯 西山林场近日完成春季造林任务。",
                           "借助春季旅游旺季，打造“一园、两带”——", "城东公园迎来游客高峰",
                           "本报讯 今年春季，城东公园迎来游客高峰。"))
        #expect(p.articles.map(\.headline) == ["西山林场完成春季造林", "城东公园迎来游客高峰"])
        #expect(p.articles.last?.kicker == "借助春季旅游旺季，打造“一园、两带”")
        #expect(p.articles.last?.subtitle == "")
        #expect(p.articles.last?.diagnostics.contains { $0.code == "headline-missing" } == false)
    }
}
