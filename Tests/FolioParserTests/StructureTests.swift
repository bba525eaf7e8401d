import FolioModel
@testable import FolioParser
import Testing

@Suite struct StructureTests {
    @Test func rubricWithAndWithoutPinyin() {
        let p = parse(page("■ 錦州腳步 JIAOBU", "建成3家省級綠色礦山", "綠色礦山是重要項目。",
                           "■ 东北陆海新通道建设进行时", "錦州港加快建設", "錦州港開展工程。"))
        #expect(p.sections.map(\.rubric) == ["錦州腳步", "东北陆海新通道建设进行时"])
        #expect(p.sections.map(\.rubricLatin) == ["JIAOBU", ""])
        #expect(p.sections[0].line == 1)
        #expect(p.articles.map(\.section) == ["錦州腳步", "东北陆海新通道建设进行时"])
        #expect(p.sections[1].articleIds == [p.articles[1].id])
    }

    @Test func headlineSubtitleAndTopBylineWithInnerSpace() {
        let p = parse(page("讓“第一動力”更澎湃", "——錦州市強化创新驱动助推高質量發展紀實", "本报记者 崔 治",
                           "抓創新就是抓發展，謀創新就是謀未來。"))
        #expect(p.articles.count == 1)
        let a = p.articles[0]
        #expect(a.headline == "讓“第一動力”更澎湃")
        #expect(a.subtitle == "錦州市強化创新驱动助推高質量發展紀實")
        #expect(a.bylines.map(\.name) == ["崔治"])
        #expect(a.bylines.map(\.role) == ["本报记者"])
        #expect(a.body.map(\.text) == ["抓創新就是抓發展，謀創新就是謀未來。"])
    }

    /// A surname padded apart from a two-glyph given name (a single surname or a compound one) is
    /// one name; two two-glyph names stay two.
    @Test func topBylineWithAPadAfterTheSurnameOfAThreeGlyphName() {
        for (line, names) in [("本報記者 何 偉明", ["何偉明"]), ("本报记者 司马 文清", ["司马文清"]),
                              ("本报记者 何 伟明 高峰", ["何伟明", "高峰"]), ("本报记者 高峰 何伟", ["高峰", "何伟"])] {
            let p = parse(page("港口新建三座泊位", "——航運業迎來新機遇", line, "今年港口建設進展順利，新泊位陸續投入使用。"))
            #expect(p.articles.count == 1, "\(line)")
            #expect(p.articles.first?.bylines.map(\.name) == names, "\(line)")
            #expect(p.articles.first?.subtitle == "航運業迎來新機遇", "\(line)")
        }
    }

    @Test func trailingBylineWithTwoPeopleClosesTheArticle() {
        let p = parse(page("開展綜合培訓", "報訊 近日，培訓班圓滿結束。", "趙一 本报记者 崔治",
                           "建成3家省級綠色礦山", "報訊 記者崔治報道 綠色礦山是重要項目。"))
        #expect(p.articles.map(\.headline) == ["開展綜合培訓", "建成3家省級綠色礦山"])
        #expect(p.articles[0].bylines.map(\.name) == ["趙一", "崔治"])
        #expect(p.articles[0].bylines.map(\.role) == ["", "本报记者"])
    }

    @Test func leadBoxAndSubheadings() {
        let p = parse(page("標題", "核心提示", "抓創新就是抓發展。", "近年來，錦州以科技創新推動發展。",
                           "建強平臺载体 激發活力", "創新是發展的第一動力。",
                           "通“堵點”接“斷點”", "只有創新，才能占得先機。"))
        let a = p.articles[0]
        #expect(a.lead.map(\.text) == ["抓創新就是抓發展。", "近年來，錦州以科技創新推動發展。"])
        #expect(a.body.map(\.kind) == [.subheading, .paragraph, .subheading, .paragraph])
        #expect(a.body[0].text == "建強平臺载体 激發活力")
    }

    @Test func captionsLeaveTheFlowAndPageCreditIsRecorded() {
        let text = "標題\n\n錦州在改造升級方面，聚焦石油化工，堅定不移走創\n\n\n\n在錦州神工半導體股份有限公司車間里，工人在熟練操作智能化生產設備。\n\n本版圖片由本报记者崔治攝\n\n新路，吃創新飯。\n"
        let p = parse(text)
        let a = p.articles[0]
        #expect(a.captions.map(\.text) == ["在錦州神工半導體股份有限公司車間里，工人在熟練操作智能化生產設備。"])
        #expect(a.body.map(\.text) == ["錦州在改造升級方面，聚焦石油化工，堅定不移走創新路，吃創新飯。"])
        #expect(a.body[0].lines == [3, 11])
        #expect(p.credits.map(\.photographers) == [["崔治"]])
        #expect(p.credits[0].line == 9)
    }

    @Test func captionWithAgencyCredit() {
        let p = parse(page("新年音乐会", "１２月３１日，江泽民发表新年讲话。（新华社记者兰红光摄）", "北京举行新年音乐会，节目精彩。"))
        #expect(p.articles[0].captions.map(\.text) == ["１２月３１日，江泽民发表新年讲话。"])
        #expect(p.articles[0].captions.map(\.credit) == ["（新华社记者兰红光摄）"])
        #expect(p.articles[0].body.count == 1)
    }

    @Test func headlineOrSubheadingDecidedByWhatFollows() {
        // A title followed by a dateline opens an article even inside another one.
        let p = parse(page("第一篇", "本报讯 第一段。", "第二段。", "第二篇", "本报讯 第三段。"))
        #expect(p.articles.map(\.headline) == ["第一篇", "第二篇"])
    }
}

/// Metadata given at ingest (a batch's publication, a date) leaves the page's own label from its
/// file name in place; what the metadata gives wins over the name.
@Suite struct PageInfoSourcesTests {
    @Test func aPublicationGivenKeepsTheLabelAndDateOfTheFileName() {
        var given = Folio_V1_PageInfo()
        given.publication = "晨报"
        let p = PageParser().parse(text: page("标题", "正文内容在这里。"), source: "cb20050102-07.txt", info: given)
        #expect(p.info.publication == "晨报")
        #expect(p.info.date == "2005-01-02")
        #expect(p.info.pageLabel == "07")
        var dated = Folio_V1_PageInfo()
        dated.date = "2005-03-04"
        let q = PageParser().parse(text: page("标题", "正文内容在这里。"), source: "cb20050102-07.txt", info: dated)
        #expect(q.info.date == "2005-03-04")
        #expect(q.info.pageLabel == "07")
    }
}
