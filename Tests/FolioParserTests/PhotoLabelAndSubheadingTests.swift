import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order, two families (issue #11, helper-93's round):
/// - a subheading inside a column whose next paragraph opens with a first line that reads like a
///   title (no punctuation before the line break) is still a subheading: the paragraph under it
///   is prose because re-flow made it a unit opening with an indent, whatever its first line;
/// - a province's name alone (`江苏`, `安徽省`) is the label under a photo of a series, read in a
///   block of its own or under the picture's title: neither the picture's author nor a headline.
@Suite struct PhotoLabelAndSubheadingTests {
    /// A story whose second paragraph's first line (`城东公园管理处的负责人`, short by the lost
    /// indent) has no punctuation, under a subheading, the paragraph cut at the column's foot.
    static let story = page(
        "城东公园迎来游客高峰",
        run(["今年春季城东公园迎来游", "客高峰，园方增设了三条步行", "线路，并在入口处设置了导览", "牌。",
             "“花市”尚未开张",
             "城东公园管理处的负责人", "王明介绍说，按照往年的经验"]),
        run(["花市一般都在春节前一周开", "张，今年也不例外。"]),
        run(["西山林场造林", "本报西山３月２日电　今年共栽", "种树苗十二万株，成活率超过九", "成。"]))

    @Test func aSubheadingOverATitleShapedFirstLineIsASubheading() {
        let p = parse(Self.story)
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "西山林场造林"])
        let body = p.articles[0].body
        #expect(body.map(\.kind) == [.paragraph, .subheading, .paragraph])
        #expect(body[1].text == "“花市”尚未开张")
        #expect(body[2].text.hasPrefix("城东公园管理处的负责人王明介绍说"))
    }

    static let park = run(["今年春季城东公园迎来游", "客高峰，园方增设了三条步行", "线路，并在入口处设置了导览",
                           "牌。园方还计划在湖边新建一", "座观景平台，供游人赏景。", "据介绍，公园还将在暑期开",
                           "放夜间游览，方便市民纳凉，", "园内的茶室也会延长营业时间。"])
    static let caption = "到去年底，胜利油田共生产原油二千八百万吨，完成年计划的百分之一百零二。这是工人们冒着严寒钻井。"

    @Test func provinceLabelsUnderAPictureTitleAreNeitherAuthorsNorHeadlines() {
        // `江苏` in a block of its own, `辽宁` right over the caption (its first glyph a surname:
        // it read as the picture's author, and the next label as a headline).
        let p = parse(page("城东公园迎来游客高峰", Self.park, "严冬油田钻井忙", "江苏", run(["辽宁", Self.caption])))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰", "严冬油田钻井忙"])
        #expect(p.articles.flatMap(\.bylines).isEmpty)
        #expect(p.articles[1].captions.map(\.text) == [Self.caption])
    }

    @Test func aLabelAfterAPictureItemsCaptionEndsTheItem() {
        // `温暖进农家` and its credited caption, then another photo's labels (`广西`, `西江`) and
        // its uncredited caption: that text is not the first picture item's body.
        let other = "新年伊始，国家重点建设工程西江航运建设工程的船闸通航，一艘货船正在驶过新闸。"
        let p = parse(page("城东公园迎来游客高峰", Self.park,
                           run(["温暖进农家", "入冬以来，长丰县干部职工纷纷向困难户捐款捐物。图为县领导向特困户捐赠衣被。（李广松摄）"]),
                           "广西", run(["西江", other])))
        let item = p.articles.first { $0.headline == "温暖进农家" }
        #expect(item?.body.isEmpty == true)
        #expect(item?.bylines.isEmpty == true)
        #expect(item?.captions.count == 1)
    }

    @Test func aProvinceInABlockOfItsOwnIsALabelUnlessADatelineFollows() {
        func blocks(_ texts: [String]) -> [SourceBlock] {
            texts.enumerated().map { SourceBlock(line: UInt32($0.offset + 1), gapBefore: 1, scalars: Array($0.element.unicodeScalars)) }
        }
        let texts = ["江苏", "园方还计划在湖边新建一座观景平台。", "四川", "本报成都１月５日电记者罗茂城报道：岁末年初，领导纷纷深入基层。", "安徽省"]
        let b = blocks(texts)
        var roles = b.map { LineRoles.classify($0, extracted: true) }
        LineRoles.markProvinceLabels(&roles, b, pageDate: nil)
        let labels = roles.map { if case .placeLabel = $0 { return true } else { return false } }
        // A round-up's regional heading (over its part's dateline) is not a photo's label.
        #expect(labels == [true, false, false, false, true])
        #expect(PeopleLines.isProvince(Array("内蒙古".unicodeScalars)))
        #expect(!PeopleLines.isProvince(Array("江泽民".unicodeScalars)))
        #expect(!PeopleLines.isProvince(Array("安徽省长".unicodeScalars)))
    }

    @Test func labelsOverACaptionCarryingThePageCreditAreASeries() {
        // Two labels over a caption that ends with the page's photo credit on the same line.
        var roles: [LineRole] = [.names([]), .text, .captionAndPageCredit(Folio_V1_Caption(), Folio_V1_Credit())]
        let b = ["湖南", "江西", "农民抓住晴好天气翻耕土地。　本版图片由新华社记者某某摄"].enumerated().map {
            SourceBlock(line: UInt32($0.offset + 1), gapBefore: 0, scalars: Array($0.element.unicodeScalars))
        }
        LineRoles.markPlaceLabels(&roles, b)
        let labels = roles.map { if case .placeLabel = $0 { return true } else { return false } }
        #expect(labels == [true, true, false])
    }
}
