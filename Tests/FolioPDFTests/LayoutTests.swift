import XCTest
@testable import FolioPDF

/// Layout analysis on glyphs placed by hand: lines, reading order across columns, roles.
final class LayoutTests: XCTestCase {
    /// Glyphs for `text` from (x, y), one em apart, in one face.
    private func run(_ text: String, x: Double, y: Double, size: Double = 10, heavy: Bool = false) -> [Glyph] {
        text.enumerated().map { i, c in
            Glyph(character: c, x0: x + Double(i) * size, y0: y, x1: x + Double(i + 1) * size, y1: y + size * 1.2,
                  size: size, heavy: heavy)
        }
    }

    /// A headline over two columns of body text; the first paragraph runs from the bottom of
    /// the left column to the top of the right one, the second starts indented.
    private func twoColumnStory() -> [Glyph] {
        var glyphs = run("两栏上方的大标题", x: 0, y: 0, size: 24, heavy: true)
        glyphs += run("　　第一段开头这里", x: 0, y: 40)
        glyphs += run("第一段中间还有字啊", x: 0, y: 54)
        glyphs += run("第一段转到右栏去了", x: 110, y: 40)
        glyphs += run("结束。", x: 110, y: 54)
        glyphs += run("　　第二段从这开始", x: 110, y: 68)
        glyphs += run("第二段到此结束了。", x: 110, y: 82)
        return glyphs
    }

    /// Two columns 15 glyphs wide with a gutter of 1.4 em, the usual broadsheet gutter: on two rows
    /// the left column's last glyph is a comma hung into the gutter and poppler reads a word space
    /// across it. The rows around show the white river, so those rows are cut there too, and the
    /// columns are read one after the other, not row by row.
    func testNarrowGutterWithPunctuationHungIntoItParts()  {
        let left = ["甲栏第一行的文字内容一共十五字", "甲栏第二行的文字内容一共十五字", "甲栏第三行的文字内容一共十五字，",
                    "甲栏第四行的文字内容一共十五字", "甲栏第五行的文字内容一共十五字"]
        let right = ["乙栏第一行的文字内容一共十五字", "乙栏第二行的文字内容一共十五字", "乙栏第三行的文字内容一共十五字",
                     "乙栏第四行的文字内容一共十五字", "乙栏第五行的文字内容一共十五字"]
        var glyphs: [Glyph] = []
        for row in 0..<5 {
            let y = Double(row) * 15
            glyphs += run(left[row], x: 0, y: y)
            var r = run(right[row], x: 164, y: y)
            if row == 2 { r[0].spaceBefore = true }
            glyphs += r
        }
        let lines = LineBuilder.lines(glyphs)
        XCTAssertEqual(lines.count, 10, "\(lines.map(\.text))")
        let order = ReadingOrder(bodySize: 10).order(lines).map(\.line.text)
        XCTAssertEqual(order, left + right)
    }

    /// Columns 12 glyphs wide set a gutter of exactly one em apart, and on some rows the left
    /// column's thirteenth glyph is a closing mark hung into the gutter, so that the right column's
    /// text follows it with no gap at all: those rows are cut after the mark, the others at the
    /// gutter, and each column is read whole.
    func testGutterOfOneEmFilledByHungMarksParts() {
        let left = ["左栏第一行的文字共十二", "左栏第二行的文字共十二，", "左栏第三行的文字共十二",
                    "左栏第四行的文字共十二。", "左栏第五行的文字共十二"]
        let right = ["右栏第一行的文字共十二", "右栏第二行的文字共十二", "右栏第三行的文字共十二",
                     "右栏第四行的文字共十二", "右栏第五行的文字共十二"]
        var glyphs: [Glyph] = []
        for row in 0..<5 {
            let y = Double(row) * 15
            glyphs += run(left[row], x: 0, y: y)
            glyphs += run(right[row], x: 120, y: y)
        }
        let lines = LineBuilder.lines(glyphs)
        XCTAssertEqual(lines.count, 10, "\(lines.map(\.text))")
        XCTAssertEqual(ReadingOrder(bodySize: 10).order(lines).map(\.line.text), left + right)
    }

    /// Commas that happen to fall at one place in a column's rows leave only their boxes' empty
    /// halves white there: the rows around print across, so no row is cut.
    func testMarksAlignedInsideAColumnAreNoGutter() {
        let rows = ["第一行在这里写字，再接着写字", "第二行在这里写字，再接着写字", "第三行在这里写字，再接着写字",
                    "第四行在这里写字，再接着写字", "第五行在这里写字写满一整行"]
        var glyphs: [Glyph] = []
        for (row, text) in rows.enumerated() { glyphs += run(text, x: 0, y: Double(row) * 15) }
        let lines = LineBuilder.lines(glyphs)
        XCTAssertEqual(lines.map(\.text), rows)
    }

    /// A headline's colon over body text whose gutter runs under it does not cut the headline.
    func testMarkInAHeadlineOverAGutterStaysInTheHeadline() {
        var glyphs = run("南方：新闻标题在这里", x: 0, y: 0, size: 24, heavy: true)
        for row in 0..<5 {
            // The gutter (60–72) lies under the white half of the colon's box (60–72).
            glyphs += run("左栏六个文字", x: 0, y: 40 + Double(row) * 15)
            glyphs += run("右栏六个文字", x: 72, y: 40 + Double(row) * 15)
        }
        XCTAssertEqual(LineBuilder.lines(glyphs).first?.text, "南方：新闻标题在这里")
    }

    /// Two rubric bars on one row, each over a module of its own (sections side by side, white
    /// space under the bars): each bar is read with the module under it, not both before either.
    func testRubricBarsSideBySideHeadTheirOwnModules() {
        var glyphs = run("■甲版块", x: 0, y: 0, size: 12, heavy: true)
        glyphs += run("■乙版块", x: 200, y: 0, size: 12, heavy: true)
        glyphs += run("左边新闻的标题", x: 0, y: 30, size: 16, heavy: true)
        glyphs += run("右边新闻的标题", x: 200, y: 30, size: 16, heavy: true)
        for row in 0..<4 {
            let y = 56 + Double(row) * 15
            glyphs += run("左边新闻正文第\(row)行字", x: 0, y: y)
            glyphs += run("右边新闻正文第\(row)行字", x: 200, y: y)
        }
        let order = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)).map(\.line.text)
        XCTAssertEqual(order.prefix(6), ["■甲版块", "左边新闻的标题", "左边新闻正文第0行字", "左边新闻正文第1行字",
                                          "左边新闻正文第2行字", "左边新闻正文第3行字"])
        XCTAssertEqual(order.dropFirst(6).first, "■乙版块")
    }

    /// Running text set in a regular sans (黑體) is body text: only a bolder face is heavy then;
    /// under a serif body a sans line at body size stays a subheading.
    func testHeavyMeansHeavierThanTheBodyFace() {
        func weighted(_ glyphs: [Glyph], _ weight: UInt8) -> [Glyph] {
            glyphs.map { var g = $0; g.weight = weight; g.heavy = weight > 0; return g }
        }
        var sansPage = weighted(run("加粗的大标题", x: 0, y: 0, size: 24), 2)
        for row in 0..<4 { sansPage += weighted(run("黑体排的正文第\(row)行文字", x: 0, y: 40 + Double(row) * 15), 1) }
        let sans = PDFPageReader.heavierThanBody(sansPage)
        XCTAssertTrue(sans.filter { $0.size == 24 }.allSatisfy(\.heavy))
        XCTAssertFalse(sans.filter { $0.size == 10 }.contains(where: \.heavy))

        var serifPage = weighted(run("小标题用黑体", x: 0, y: 0), 1)
        for row in 0..<4 { serifPage += weighted(run("宋体排的正文第\(row)行文字", x: 0, y: 20 + Double(row) * 15), 0) }
        let serif = PDFPageReader.heavierThanBody(serifPage)
        XCTAssertEqual(serif.filter(\.heavy).count, 6)
    }

    /// A row of two modules' headings with white space under it: the left module's kicker over its
    /// headline, the right one's headline centred over its column and its author's name at the
    /// column's left under it. Each module is read whole, headings first, the name after its
    /// headline; the kicker (set a size smaller) is not joined to the headline.
    func testHeadingsOverModulesSideBySideAreReadWithTheirModules() {
        var glyphs = run("本版的引题", x: 0, y: 0, size: 12, heavy: true)
        glyphs += run("左边模块的大标题", x: 0, y: 16, size: 14, heavy: true)
        glyphs += run("右边的标题", x: 240, y: 10, size: 16, heavy: true)
        glyphs += run("张明", x: 200, y: 22, size: 10, heavy: true)
        for row in 0..<4 {
            let y = 46 + Double(row) * 13
            glyphs += run("左边模块正文第\(row)行的字", x: 0, y: y)
            glyphs += run("右边模块正文第\(row)行的字", x: 200, y: y)
        }
        let placed = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs))
        let order = placed.map(\.line.text)
        XCTAssertEqual(Array(order.prefix(6)), ["本版的引题", "左边模块的大标题", "左边模块正文第0行的字", "左边模块正文第1行的字",
                                               "左边模块正文第2行的字", "左边模块正文第3行的字"], "\(order)")
        XCTAssertEqual(Array(order.dropFirst(6).prefix(3)), ["右边的标题", "张明", "右边模块正文第0行的字"])
        let blocks = BlockWriter(bodySize: 10, images: []).blocks(placed)
        XCTAssertEqual(blocks.first?.role, .kicker)
        XCTAssertEqual(blocks.first?.text, "本版的引题")
    }

    /// A photo's credit set flush right on a line of its own under its caption, read after the
    /// first line of the next column's text, still ends that caption.
    func testCreditLineReadInTheNextColumnEndsItsCaption() {
        let caption = PlacedLine(line: LineBuilder.lines(run("图为市民在菜场买菜。", x: 0, y: 100, size: 8.5, heavy: true))[0],
                                 columnLeft: 0, columnRight: 120, regions: [1, 2])
        let text = PlacedLine(line: LineBuilder.lines(run("　　今年全省首次公开招考公务员。", x: 130, y: 114))[0],
                              columnLeft: 130, columnRight: 250, regions: [1, 3])
        let credit = PlacedLine(line: LineBuilder.lines(run("（本报记者王明摄）", x: 170, y: 109, size: 8.5, heavy: true))[0],
                                columnLeft: 130, columnRight: 250, regions: [1, 3])
        let blocks = BlockWriter(bodySize: 10, images: [Box(x0: 0, y0: 0, x1: 250, y1: 96)]).blocks([caption, text, credit])
        XCTAssertEqual(blocks.filter { $0.role == .caption }.map(\.text), ["图为市民在菜场买菜。（本报记者王明摄）"], "\(blocks)")
    }

    /// A rubric bar at a module's left over a headline centred on the module's columns: the bar,
    /// the headline, then the columns.
    func testRubricAtTheLeftOverACentredHeadlineIsReadBeforeIt() {
        var glyphs = run("■国内新闻", x: 0, y: 0, size: 12, heavy: true)
        glyphs += run("会谈取得成果", x: 150, y: 20, size: 24, heavy: true)
        for row in 0..<4 {
            let y = 60 + Double(row) * 15
            glyphs += run("第一栏正文第\(row)行", x: 0, y: y)
            glyphs += run("第二栏正文第\(row)行", x: 130, y: y)
            glyphs += run("第三栏正文第\(row)行", x: 260, y: y)
        }
        let order = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)).map(\.line.text)
        XCTAssertEqual(Array(order.prefix(3)), ["■国内新闻", "会谈取得成果", "第一栏正文第0行"], "\(order)")
    }

    /// The same gap in one line only (an ideographic space in an author line), with text printed
    /// across it in the rows around: no gutter.
    func testWordSpaceWithTextAroundItIsNoGutter() {
        var byline = run("本报记者", x: 0, y: 0)
        var name = run("王小明", x: 54, y: 0)
        name[0].spaceBefore = true
        byline += name
        var glyphs = byline
        for row in 1...3 { glyphs += run("正文的一行字在这里排得满满当当", x: 0, y: Double(row) * 15) }
        let lines = LineBuilder.lines(glyphs)
        XCTAssertEqual(lines.first?.text, "本报记者　王小明")
        XCTAssertEqual(lines.count, 4)
    }

    /// A heading set 1.08 times the body in heavy type between paragraphs of one column is a
    /// subheading of the story (another typesetter's habit); the same type under a rule-less gap
    /// with no paragraph before it, or larger, still opens a story.
    func testHeavyHeadingALittleLargerThanTheBodyBetweenParagraphsIsASubheading() {
        var glyphs = run("两栏上方的大标题", x: 0, y: 0, size: 24, heavy: true)
        glyphs += run("　　正文第一段写到这", x: 0, y: 40)
        glyphs += run("里就结束了。", x: 0, y: 54)
        glyphs += run("市场开拓", x: 20, y: 70, size: 10.8, heavy: true)
        glyphs += run("　　第二段从这里开始", x: 0, y: 86)
        glyphs += run("写下去。", x: 0, y: 100)
        glyphs += run("另一篇稍大的标题", x: 0, y: 120, size: 13, heavy: true)
        glyphs += run("　　另一篇的正文在此", x: 0, y: 140)
        let placed = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs.filter { $0.character != "　" }))
            .map { PlacedLine(line: $0.line, columnLeft: 0, columnRight: 110, regions: $0.regions) }
        let blocks = BlockWriter(bodySize: 10).blocks(placed)
        XCTAssertEqual(blocks.map(\.role), [.headline, .paragraph, .subheading, .paragraph, .headline, .paragraph], "\(blocks)")
        XCTAssertEqual(blocks[2].text, "市场开拓")
    }

    /// Right under a summary box's heading (核心提示) set as a heading, the summary set in heavy type
    /// is the lead, not a subheading; heavy type after the summary's text is a heading again.
    func testHeavySummaryUnderItsHeadingIsTheLead() {
        var glyphs = run("两栏上方的大标题", x: 0, y: 0, size: 24, heavy: true)
        glyphs += run("核心提示", x: 0, y: 40, heavy: true)
        glyphs += run("资本经营有利于优化资源", x: 0, y: 54, heavy: true)
        glyphs += run("配置、促进企业增效。", x: 0, y: 68, heavy: true)
        glyphs += run("　　正文第一段从这里开", x: 0, y: 90)
        glyphs += run("始写。", x: 0, y: 104)
        let placed = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs.filter { $0.character != "　" }))
            .map { PlacedLine(line: $0.line, columnLeft: 0, columnRight: 120, regions: $0.regions) }
        let blocks = BlockWriter(bodySize: 10).blocks(placed)
        XCTAssertEqual(blocks.map(\.role), [.headline, .leadMarker, .lead, .paragraph], "\(blocks)")
    }

    /// A line whose word space lies over the gutter of the columns under it, its text running into
    /// the gutter's white on both sides (a byline centred under a headline), is one line; the
    /// columns' own lines are cut at the gutter.
    func testLineRunningIntoTheGutterOnBothSidesIsNoColumnCut() {
        var byline = run("本报记者", x: 70, y: 0)
        var name = run("王小明", x: 120, y: 0)
        name[0].spaceBefore = true
        byline += name
        var glyphs = byline
        for row in 1...4 {
            glyphs += run("左栏正文排满十字", x: 0, y: Double(row) * 15)
            var right = run("右栏正文排满十字", x: 114, y: Double(row) * 15)
            right[0].spaceBefore = true
            glyphs += right
        }
        let lines = LineBuilder.lines(glyphs)
        XCTAssertEqual(lines.first?.text, "本报记者　王小明", "\(lines.map(\.text))")
        XCTAssertEqual(lines.count, 9, "\(lines.map(\.text))")
    }

    /// Text set like a picture's label that is a whole caption is a caption: nothing of a page is
    /// dropped for its type (a line of prose set like a byline: LaidOutTests).
    func testCaptionInASansFaceOverTwoLinesIsOneCaption() {
        var glyphs = run("两栏上方的大标题", x: 0, y: 0, size: 24, heavy: true)
        glyphs += run("哈尔滨市供热公司职工在检修", x: 0, y: 112, size: 8, heavy: true)
        glyphs += run("供暖管道。（新华社记者李刚摄）", x: 0, y: 122, size: 8, heavy: true)
        glyphs += run("　　正文第一段从这里开始。", x: 0, y: 140)
        let image = Box(x0: 0, y0: 36, x1: 104, y1: 108)
        let blocks = BlockWriter(bodySize: 10, images: [image]).blocks(ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs.filter { $0.character != "　" })))
        XCTAssertEqual(blocks.filter { $0.role == .caption }.map(\.text), ["哈尔滨市供热公司职工在检修供暖管道。（新华社记者李刚摄）"], "\(blocks)")
    }

    /// A paragraph opening with a dateline set bold that fills its first line and goes on into
    /// the next (an invented story): one paragraph, no subheading; a heading heavy to its end
    /// over text in body type stays a subheading.
    func testBoldDatelineFillingItsLineOpensAParagraph() {
        var glyphs = run("两栏上方的大标题", x: 0, y: 0, size: 24, heavy: true)
        glyphs += run("本报杭州三月二日电", x: 20, y: 40, heavy: true)
        glyphs += run("记者", x: 0, y: 54, heavy: true) + run("钱江报道：全省春耕", x: 20, y: 54)
        glyphs += run("生产已全面展开，各地", x: 0, y: 68)
        glyphs += run("农民忙着整地播种。", x: 0, y: 82)
        glyphs += run("水利设施检修", x: 0, y: 100, heavy: true)
        glyphs += run("　　各县水利站已检修", x: 0, y: 114)
        glyphs += run("泵站二百多座。", x: 0, y: 128)
        let order = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs.filter { $0.character != "　" }))
        let placed = order.map { PlacedLine(line: $0.line, columnLeft: 0, columnRight: 110, regions: $0.regions) }
        let blocks = BlockWriter(bodySize: 10).blocks(placed)
        XCTAssertEqual(blocks.map(\.role), [.headline, .paragraph, .subheading, .paragraph], "\(blocks)")
        XCTAssertEqual(blocks[1].text, "本报杭州三月二日电记者钱江报道：全省春耕生产已全面展开，各地农民忙着整地播种。")
    }

    /// The same when the bold dateline ends exactly at the end of its second line, and a run of
    /// heavy text longer than a heading (a paragraph set bold) is a paragraph.
    func testBoldDatelineEndingWithItsLineAndBoldParagraphsAreText() {
        var glyphs = run("本报广州五月六日电", x: 20, y: 0, heavy: true)
        glyphs += run("记者林海报道：今年", x: 0, y: 14, heavy: true)
        glyphs += run("全省外贸出口平稳增长", x: 0, y: 28)
        glyphs += run("，结构继续优化。", x: 0, y: 42)
        glyphs += run("调查显示有些企业借改", x: 20, y: 60, heavy: true)
        glyphs += run("制之机逃避银行债务，", x: 0, y: 74, heavy: true)
        glyphs += run("侵吞信贷资金，已经触", x: 0, y: 88, heavy: true)
        glyphs += run("犯法律。", x: 0, y: 102, heavy: true)
        let placed = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs))
            .map { PlacedLine(line: $0.line, columnLeft: 0, columnRight: 110, regions: $0.regions) }
        let blocks = BlockWriter(bodySize: 10).blocks(placed)
        XCTAssertEqual(blocks.map(\.role), [.paragraph, .paragraph], "\(blocks)")
        XCTAssertEqual(blocks.first?.text, "本报广州五月六日电记者林海报道：今年全省外贸出口平稳增长，结构继续优化。")
    }

    /// Under a headline, authors' names in heavy type at body size are its byline; a jump line in
    /// heavy type is a jump line.
    func testHeavyNamesUnderAHeadlineAreItsByline() {
        var glyphs = run("山村小学新校舍落成", x: 0, y: 0, size: 16, heavy: true)
        glyphs += run("王小林　陈东", x: 0, y: 24, heavy: true)
        glyphs += run("今年秋季开学，山村小学的孩子们搬进了新校舍。", x: 0, y: 40)
        glyphs += run("（下转第三版）", x: 0, y: 54, heavy: true)
        let blocks = BlockWriter(bodySize: 10).blocks(ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)))
        XCTAssertEqual(blocks.map(\.role), [.headline, .byline, .paragraph, .jump], "\(blocks)")
        XCTAssertTrue(BlockWriter.isNameLine("市教育局局长　李明"))
        XCTAssertFalse(BlockWriter.isNameLine("抓好春耕　保障供应"))
    }

    /// Reporters' names in brackets set in heavy type under a story are its byline, not a heading.
    func testBracketedNamesInHeavyTypeAreAByline() {
        XCTAssertTrue(BlockWriter.isBracketedNames("（张小平　李红）"))
        XCTAssertFalse(BlockWriter.isBracketedNames("（一）加强管理"))
        XCTAssertFalse(BlockWriter.isBracketedNames("（本报记者王明摄）。"))
    }

    /// A picture-only item: under its title (…（图片）) the text in a sans face is its caption, up
    /// to the credit; what follows is another story.
    func testTextUnderAPictureOnlyTitleIsItsCaption() {
        var glyphs = run("渔港迎来开海节（图片）", x: 0, y: 0, size: 14, heavy: true)
        glyphs += run("九月一日，渔民们驾船出海", x: 0, y: 24, heavy: true)
        glyphs += run("捕鱼。（新华社记者张平摄）", x: 0, y: 38, heavy: true)
        glyphs += run("另一条消息的标题", x: 0, y: 60, size: 14, heavy: true)
        glyphs += run("正文从这里开始，讲的是别的事。", x: 0, y: 84)
        let blocks = BlockWriter(bodySize: 10).blocks(ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)))
        XCTAssertEqual(blocks.map(\.role), [.headline, .caption, .headline, .paragraph], "\(blocks)")
        XCTAssertTrue(BlockWriter.endsWithCredit("运动员在比赛中。（新华社发美联社照片）"))
    }

    func testCaptionsAreNeverDroppedForTheirStyle() {
        XCTAssertTrue(BlockWriter.isPlaceLabel("黑龙江"))
        XCTAssertFalse(BlockWriter.isPlaceLabel("哈尔滨市供热公司职工在检修供暖管道。"))
    }

    /// A kicker and a subtitle set large enough to count as display type, right over and under a
    /// larger headline: three titles, not one headline glued together.
    func testDisplayLinesOfDifferentSizesAreKickerHeadlineAndSubtitle() {
        var glyphs = run("新春走基层——", x: 0, y: 0, size: 13, heavy: true)
        glyphs += run("志愿服务温暖京城", x: 0, y: 18, size: 24, heavy: true)
        glyphs += run("——北京开展冬季志愿服务纪实", x: 0, y: 48, size: 13, heavy: true)
        glyphs += run("今年入冬以来，全市志愿者走进社区，为老人送去温暖。", x: 0, y: 70)
        glyphs += run("据了解，已有两万多名志愿者参加了这项活动。", x: 0, y: 84)
        let blocks = BlockWriter(bodySize: 10).blocks(ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)))
        XCTAssertEqual(blocks.map(\.role), [.kicker, .headline, .subtitle, .paragraph], "\(blocks)")
        XCTAssertEqual(blocks[1].text, "志愿服务温暖京城")
    }

    /// The same with the kicker and the subtitle nearly the headline's size (a step under 1.2) and
    /// the headline on two lines: the dash that ends the kicker, and the one that opens the
    /// subtitle, still part them from it.
    func testDashesPartTitlesOfNearlyOneSize() {
        var glyphs = run("山区教育调查——", x: 0, y: 0, size: 19, heavy: true)
        glyphs += run("一所村小的", x: 0, y: 22, size: 22, heavy: true)
        glyphs += run("新学期", x: 0, y: 46, size: 22, heavy: true)
        glyphs += run("——来自大山深处的报告", x: 0, y: 70, size: 19, heavy: true)
        glyphs += run("开学第一天，孩子们早早来到学校，新教室里很明亮。", x: 0, y: 96)
        let blocks = BlockWriter(bodySize: 10).blocks(ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)))
        XCTAssertEqual(blocks.map(\.role), [.kicker, .headline, .subtitle, .paragraph], "\(blocks)")
        XCTAssertEqual(blocks[1].text, "一所村小的新学期")
    }

    /// A section's name reversed out of a dark bar (near-white type, no ■) over a module is its
    /// rubric; a long reversed line (a box of text) is not.
    func testReversedBarIsARubric() {
        var glyphs = run("百姓生活", x: 0, y: 0, size: 11, heavy: true).map { g -> Glyph in var g = g; g.light = true; return g }
        glyphs += run("菜篮子里的新年", x: 0, y: 20, size: 24, heavy: true)
        glyphs += run("年货市场上，各种蔬菜水果摆满了柜台，价格平稳。", x: 0, y: 54)
        var blocks = BlockWriter(bodySize: 10).blocks(ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)))
        XCTAssertEqual(blocks.map(\.role), [.rubric, .headline, .paragraph, .endRubric], "\(blocks)")
        XCTAssertEqual(blocks.first?.text, "百姓生活")
        let long = run("这是一段反白印在深色方框里的很长很长很长很长的说明文字，不是栏目名称。", x: 0, y: 0)
            .map { g -> Glyph in var g = g; g.light = true; return g }
        blocks = BlockWriter(bodySize: 10).blocks(ReadingOrder(bodySize: 10).order(LineBuilder.lines(long)))
        XCTAssertNotEqual(blocks.first?.role, .rubric)
    }

    func testLinesSplitAtTheGutter() {
        let lines = LineBuilder.lines(twoColumnStory().filter { $0.character != "　" })
        XCTAssertEqual(lines.count, 7)
        XCTAssertEqual(lines.first?.text, "两栏上方的大标题")
    }

    func testColumnsAreReadLeftThenRight() {
        let lines = LineBuilder.lines(twoColumnStory().filter { $0.character != "　" })
        let placed = ReadingOrder(bodySize: 10).order(lines)
        XCTAssertEqual(placed.map(\.line.text), ["两栏上方的大标题", "第一段开头这里", "第一段中间还有字啊", "第一段转到右栏去了",
                                              "结束。", "第二段从这开始", "第二段到此结束了。"])
    }

    func testParagraphsFollowIndentsAcrossTheColumnBreak() {
        let lines = LineBuilder.lines(twoColumnStory().filter { $0.character != "　" })
        let blocks = BlockWriter(bodySize: 10).blocks(ReadingOrder(bodySize: 10).order(lines))
        XCTAssertEqual(blocks, [PDFBlock(.headline, "两栏上方的大标题"),
                                PDFBlock(.paragraph, "第一段开头这里第一段中间还有字啊第一段转到右栏去了结束。"),
                                PDFBlock(.paragraph, "第二段从这开始第二段到此结束了。")])
    }

    /// Two stories stacked, each set across three columns; the second one's headline is narrower
    /// than its columns and the white space above it is narrow. The first story is read whole
    /// (all three columns) before the second headline, not column by column down the page.
    func testStoryUnderANarrowHeadlineIsReadAfterTheStoryAbove() {
        var glyphs = run("上面的故事标题很长很长", x: 0, y: 0, size: 24, heavy: true)
        for (column, x) in [0.0, 110, 220].enumerated() {
            glyphs += run("甲\(column)文第一行字啊", x: x, y: 32)
            glyphs += run("甲\(column)文第二行字啊", x: x, y: 44)
        }
        glyphs += run("窄标题", x: 0, y: 62, size: 24, heavy: true)
        for (column, x) in [0.0, 110, 220].enumerated() {
            glyphs += run("乙\(column)文第一行字啊", x: x, y: 94)
            glyphs += run("乙\(column)文第二行字啊", x: x, y: 106)
        }
        let order = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)).map(\.line.text)
        XCTAssertEqual(order, ["上面的故事标题很长很长",
                               "甲0文第一行字啊", "甲0文第二行字啊", "甲1文第一行字啊", "甲1文第二行字啊",
                               "甲2文第一行字啊", "甲2文第二行字啊", "窄标题",
                               "乙0文第一行字啊", "乙0文第二行字啊", "乙1文第一行字啊", "乙1文第二行字啊",
                               "乙2文第一行字啊", "乙2文第二行字啊"])
    }

    /// A headline centred over the middle one of a story's three columns heads all three: it is
    /// read first, then the columns left to right.
    func testCentredHeadlineHeadsEveryColumnUnderIt() {
        var glyphs = run("居中标题", x: 125, y: 0, size: 24, heavy: true)
        for (column, x) in [0.0, 110, 220].enumerated() {
            glyphs += run("丙\(column)文第一行字啊", x: x, y: 32)
            glyphs += run("丙\(column)文第二行字啊", x: x, y: 44)
        }
        let order = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)).map(\.line.text)
        XCTAssertEqual(order, ["居中标题", "丙0文第一行字啊", "丙0文第二行字啊", "丙1文第一行字啊", "丙1文第二行字啊",
                               "丙2文第一行字啊", "丙2文第二行字啊"])
    }

    /// The same with the author's name on a line of its own over the first column, under the
    /// headline: the headline is still read first, then the name, then the columns.
    func testCentredHeadlineHeadsColumnsUnderAnAuthorLine() {
        var glyphs = run("居中标题", x: 125, y: 0, size: 24, heavy: true)
        glyphs += run("林　木", x: 0, y: 32)
        for (column, x) in [0.0, 110, 220].enumerated() {
            glyphs += run("戊\(column)文第一行字啊", x: x, y: 48)
            glyphs += run("戊\(column)文第二行字啊", x: x, y: 60)
        }
        let order = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)).map(\.line.text)
        XCTAssertEqual(order, ["居中标题", "林　木", "戊0文第一行字啊", "戊0文第二行字啊", "戊1文第一行字啊", "戊1文第二行字啊",
                               "戊2文第一行字啊", "戊2文第二行字啊"])
    }

    /// A line of prose that short over the first column is no author line: the columns do not start together.
    func testShortProseLineOverAColumnIsNoAuthorLine() {
        var glyphs = run("居中标题", x: 125, y: 0, size: 24, heavy: true)
        glyphs += run("他说，好。", x: 0, y: 32)
        for (column, x) in [0.0, 110, 220].enumerated() {
            glyphs += run("己\(column)文第一行字啊", x: x, y: 48)
        }
        let order = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)).map(\.line.text)
        XCTAssertEqual(order.first, "他说，好。")
    }

    /// Headlines of two modules side by side each head their own module's columns.
    func testHeadlinesSideBySideHeadTheirOwnModules() {
        var glyphs = run("左边标题", x: 0, y: 0, size: 24, heavy: true)
        glyphs += run("右边标题", x: 220, y: 0, size: 24, heavy: true)
        for (column, x) in [0.0, 110, 220].enumerated() {
            glyphs += run("丁\(column)文第一行字啊", x: x, y: 32)
        }
        let order = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)).map(\.line.text)
        XCTAssertEqual(order, ["左边标题", "丁0文第一行字啊", "丁1文第一行字啊", "右边标题", "丁2文第一行字啊"])
    }

    /// Two photos side by side with a picture title over one of them and captions under both: the
    /// captions start on one row, but they are not a story's columns, so nothing is cut above the title.
    func testCaptionsOnOneRowDoNotOpenAStory() {
        var glyphs = run("上面正文一行字啊", x: 0, y: 0)
        glyphs += run("上面正文一行字啊", x: 110, y: 0)
        glyphs += run("图片标题", x: 0, y: 16, size: 12, heavy: true)
        glyphs += run("左边图片的说明文字", x: 0, y: 32, size: 8)
        glyphs += run("右边图片的说明文字", x: 110, y: 32, size: 8)
        let lines = LineBuilder.lines(glyphs)
        let placed = ReadingOrder(bodySize: 10).order(lines)
        XCTAssertEqual(placed.map(\.line.text), ["上面正文一行字啊", "图片标题", "左边图片的说明文字", "上面正文一行字啊", "右边图片的说明文字"])
    }

    /// A paragraph cut by a photo in its column goes on under it: the rest is not a caption, and
    /// the lines on both sides are not joined across the image either.
    func testParagraphGoingOnUnderAnImageIsNotACaption() {
        var glyphs = run("　　第一段开头这里", x: 0, y: 0)
        glyphs += run("第一段中间还有字啊", x: 0, y: 14)
        glyphs += run("照片下面接着写完。", x: 0, y: 100)
        let lines = LineBuilder.lines(glyphs.filter { $0.character != "　" })
        let image = Box(x0: 0, y0: 30, x1: 90, y1: 92)
        let blocks = BlockWriter(bodySize: 10, images: [image]).blocks(ReadingOrder(bodySize: 10).order(lines))
        XCTAssertEqual(blocks.map(\.role), [.paragraph, .paragraph])
        // With the credit the same line is the photo's caption.
        let credited = LineBuilder.lines(run("第一段中间还有字啊", x: 0, y: 14) + run("桥上车来车往（李华摄）", x: 0, y: 100))
        let roles = BlockWriter(bodySize: 10, images: [image]).blocks(ReadingOrder(bodySize: 10).order(credited)).map(\.role)
        XCTAssertEqual(roles, [.paragraph, .caption])
    }

    /// A paragraph that runs from the foot of one column into the next under a photo and its
    /// caption, or on under a photo and caption in its own column, is one paragraph; the caption
    /// is read after it.
    func testParagraphGoesOnPastAPhotoCaption() {
        // Across the column break: the second column opens with the photo and its caption.
        var glyphs = run("　　山区的孩子们冬天上学", x: 0, y: 0)
        glyphs += run("要走很远的山路，乡里今年", x: 0, y: 14)
        glyphs += run("新修了三条通往学校的公", x: 0, y: 28)
        glyphs += run("路旁装了路灯，家长们都", x: 0, y: 42)
        glyphs += run("新修的公路通到了学校门口。", x: 140, y: 70, size: 8)
        glyphs += run("路，孩子们上学方便了。", x: 140, y: 84)
        var page = PDFPageContent(label: "1", width: 300, height: 120, glyphs: glyphs.filter { $0.character != "　" },
                                  images: [Box(x0: 140, y0: 0, x1: 250, y1: 66)])
        // `路旁装了…` is full: the paragraph's lines are 11 to 12 glyphs in a column 12 wide.
        var blocks = PDFPageReader.layout(page).blocks
        XCTAssertEqual(blocks.map(\.role), [.paragraph, .caption], "\(blocks)")
        XCTAssertEqual(blocks.first?.text, "山区的孩子们冬天上学要走很远的山路，乡里今年新修了三条通往学校的公路旁装了路灯，家长们都路，孩子们上学方便了。")
        // In its own column: text over the photo, the caption under it, the text on under that.
        glyphs = run("　　山区的孩子们冬天上学", x: 0, y: 0)
        glyphs += run("要走很远的山路，乡里今年", x: 0, y: 14)
        glyphs += run("新修的公路通到了学校门口。", x: 0, y: 100, size: 8)
        glyphs += run("新修了三条通往学校的公", x: 0, y: 116)
        glyphs += run("路，孩子们上学方便了。", x: 0, y: 130)
        page = PDFPageContent(label: "1", width: 300, height: 160, glyphs: glyphs.filter { $0.character != "　" },
                              images: [Box(x0: 0, y0: 30, x1: 110, y1: 96)])
        blocks = PDFPageReader.layout(page).blocks
        XCTAssertEqual(blocks.map(\.role), [.paragraph, .caption], "\(blocks)")
        XCTAssertEqual(blocks.first?.text, "山区的孩子们冬天上学要走很远的山路，乡里今年新修了三条通往学校的公路，孩子们上学方便了。")
    }

    /// Lines of one column read in a region wider than the column (the cuts stopped short of its
    /// gutter) are measured against the column their full lines show: they are one paragraph, not
    /// one paragraph a line. A comma hung past the edge does not move it; a few short lines alike
    /// (a list) do not make a column.
    func testColumnIsWhereItsFullLinesEnd() {
        func placed(_ text: String, x: Double = 0, y: Double) -> PlacedLine {
            PlacedLine(line: LineBuilder.lines(run(text, x: x, y: y))[0], columnLeft: 0, columnRight: 400, regions: [1])
        }
        let column = [placed("本县今年新建了十二所小学", x: 20, y: 0), placed("和八所中学，全县适龄儿童", y: 14),
                      placed("入学率达到百分之九十九，", y: 28), placed("比去年提高了两个百分点，", y: 42),
                      placed("受到上级表彰。", y: 56)]
        let narrowed = ColumnRuns.narrow(column)
        XCTAssertEqual(narrowed.map(\.columnLeft), [0, 0, 0, 0, 0])
        XCTAssertEqual(narrowed.map(\.columnRight), [120, 120, 120, 120, 120])
        let blocks = BlockWriter(bodySize: 10).blocks(narrowed)
        XCTAssertEqual(blocks.map(\.role), [.paragraph])
        XCTAssertEqual(BlockWriter(bodySize: 10).blocks(column).count, 5)
        let list = [placed("一、修路", y: 0), placed("二、建桥", y: 14), placed("三、通电话和自来水", y: 28)]
        XCTAssertEqual(ColumnRuns.narrow(list).map(\.columnRight), [400, 400, 400])
    }

    /// A rubric and the headline under it read in a region of their own, the story's text in a
    /// sibling one: the rubric heads the module they share, up to the next module.
    func testRubricHeadsTheModuleOfTheStoryTextNotOnlyItsHeadline() {
        func placed(_ text: String, y: Double, size: Double = 10, heavy: Bool = false, _ regions: [Int]) -> PlacedLine {
            PlacedLine(line: LineBuilder.lines(run(text, x: 0, y: y, size: size, heavy: heavy))[0],
                       columnLeft: 0, columnRight: 90, regions: regions)
        }
        let lines = [placed("■栏目名称", y: 0, heavy: true, [1, 2, 3]),
                     placed("栏目下的标题", y: 14, size: 20, heavy: true, [1, 2, 3]),
                     placed("栏目下的正文结束。", y: 40, [1, 2, 4]),
                     placed("另一个模块标题", y: 60, size: 20, heavy: true, [1, 5]),
                     placed("另一个模块正文。", y: 86, [1, 5])]
        let blocks = BlockWriter(bodySize: 10).blocks(lines)
        XCTAssertEqual(blocks.map(\.role), [.rubric, .headline, .paragraph, .endRubric, .headline, .paragraph])
    }

    /// A caption set to its photo's width, narrower than the column it is read in, is one caption.
    func testCaptionNarrowerThanItsColumnIsWhole() {
        func placed(_ text: String, y: Double) -> PlacedLine {
            PlacedLine(line: LineBuilder.lines(run(text, x: 0, y: y, size: 8))[0], columnLeft: 0, columnRight: 400, regions: [1])
        }
        let blocks = BlockWriter(bodySize: 10).blocks([placed("照片说明的第一行文字写满了照片那么宽", y: 0), placed("第二行结束。", y: 10)])
        XCTAssertEqual(blocks, [PDFBlock(.caption, "照片说明的第一行文字写满了照片那么宽第二行结束。")])
    }

    func testStylesFromSizeAndWeight() {
        func style(_ size: Double, heavy: Bool, _ text: String = "一二三四五六") -> LineStyle {
            let line = LineBuilder.lines(run(text, x: 0, y: 0, size: size, heavy: heavy))[0]
            return LineStyle.of(PlacedLine(line: line, columnLeft: 0, columnRight: 60 * size, regions: []), bodySize: 10)
        }
        XCTAssertEqual(style(20, heavy: true), .headline)
        XCTAssertEqual(style(11.5, heavy: false), .deck)
        XCTAssertEqual(style(12, heavy: true), .headline)
        XCTAssertEqual(style(9.5, heavy: true), .byline)
        XCTAssertEqual(style(10, heavy: true), .subheading)
        XCTAssertEqual(style(8.8, heavy: false), .caption)
        XCTAssertEqual(style(9, heavy: true), .pictureLabel)
        XCTAssertEqual(style(10, heavy: true, "■经济"), .rubric)
        XCTAssertEqual(style(10, heavy: false), .body)
    }

    /// A one-line caption whose credit follows an ideographic space, read by poppler as two pieces
    /// with a line break between them: one line, one caption with its photographer. A light sans
    /// face is no heavier than a serif body.
    func testCaptionCutByPopplerAtAnIdeographicSpaceIsOneLine() {
        var glyphs = run("图为工人们在生产线上紧张忙碌。（新华社记者", x: 0, y: 100, size: 8.5)
        var credit = run("李刚摄）", x: glyphs.last!.x1 + 8.5, y: 100, size: 8.5)
        credit[0].breakBefore = true
        glyphs += credit
        glyphs += run("　　正文第一段从这里开始。", x: 0, y: 120).filter { $0.character != "　" }
        let lines = LineBuilder.lines(glyphs)
        XCTAssertEqual(lines.first?.text, "图为工人们在生产线上紧张忙碌。（新华社记者　李刚摄）", "\(lines.map(\.text))")
        let image = Box(x0: 0, y0: 10, x1: 240, y1: 96)
        let blocks = BlockWriter(bodySize: 10, images: [image]).blocks(ReadingOrder(bodySize: 10).order(lines))
        XCTAssertEqual(blocks.first, PDFBlock(.caption, "图为工人们在生产线上紧张忙碌。（新华社记者　李刚摄）"), "\(blocks)")
        XCTAssertEqual(FontFace.weight("Noto-Sans-CJK-SC-Light"), 0)
        XCTAssertEqual(FontFace.weight("NotoSansCJKsc-DemiLight"), 0)
        XCTAssertEqual(FontFace.weight("Noto-Sans-CJK-SC"), 1)
        XCTAssertEqual(FontFace.weight("Noto-Sans-CJK-SC-Bold"), 2)
    }

    /// A table's head row (heavy small words, read as a picture's labels by their type), each head
    /// over a column of cells: each head is read with its cells, none is left as a label.
    func testTableHeadRowIsReadWithItsCells() {
        var glyphs = run("全国主要城市天气预报", x: 0, y: 0, size: 12, heavy: true)
        glyphs += run("城市", x: 0, y: 20, size: 9, heavy: true) + run("天气", x: 60, y: 20, size: 9, heavy: true)
        for (row, cells) in [("北京", "晴"), ("上海", "小雨"), ("广州", "多云")].enumerated() {
            glyphs += run(cells.0, x: 0, y: 40 + Double(row) * 18, size: 9) + run(cells.1, x: 60, y: 40 + Double(row) * 18, size: 9)
        }
        let blocks = BlockWriter(bodySize: 10).blocks(ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)))
        XCTAssertFalse(blocks.contains { $0.role == .label }, "\(blocks)")
        XCTAssertEqual(blocks.filter { $0.role == .caption }.map(\.text), ["城市北京上海广州", "天气晴小雨多云"], "\(blocks)")
    }

    /// Two stories side by side, the right one set a point smaller: each story's text is judged
    /// against its own running text, so the smaller story's paragraphs stay body text, and a few
    /// lines of that size with no paragraph opening (a caption) stay a caption.
    func testStoryInSmallerTypeKeepsItsBody() {
        func placed(_ text: String, x: Double, y: Double, size: Double, _ region: Int) -> PlacedLine {
            PlacedLine(line: LineBuilder.lines(run(text, x: x, y: y, size: size))[0], columnLeft: 0, columnRight: 117, regions: [1, region])
        }
        var lines: [PlacedLine] = []
        for (k, text) in ["　　小字排的评论第一段开头", "这一行排得满满当当的文字啊", "这一行也排得满满当当的文字", "第一段到这里就结束了。",
                          "　　第二段从这里开始写起来", "这一行同样排得满满当当的字", "第二段到这里就结束了。"].enumerated() {
            lines.append(placed(text.replacingOccurrences(of: "　", with: ""), x: text.hasPrefix("　") ? 18 : 0, y: Double(k) * 13, size: 9, 2))
        }
        lines = LocalBody.assign(lines, bodySize: 10)
        XCTAssertEqual(lines.map(\.textSize), Array(repeating: 9, count: 7))
        XCTAssertEqual(BlockWriter(bodySize: 10).blocks(lines).map(\.role), [.paragraph, .paragraph])
        let caption = LocalBody.assign((0..<4).map { placed("照片说明的文字一行一行排", x: 0, y: Double($0) * 13, size: 9, 3) }, bodySize: 10)
        XCTAssertEqual(caption.map(\.textSize), [nil, nil, nil, nil])
        XCTAssertEqual(BlockWriter(bodySize: 10).blocks(caption).map(\.role), [.caption])
    }

    /// A pull quote (display type in one column between paragraphs, repeating the story's words) is
    /// no new story's headline: the story stays one, its paragraphs in order.
    func testPullQuoteInAColumnDoesNotOpenAStory() {
        var glyphs = run("外交部发言人谈明年工作", x: 0, y: 0, size: 22, heavy: true)
        glyphs += run("　　在今天的记者招待会上有记者", x: 0, y: 40)
        glyphs += run("问明年外交工作的重点。", x: 0, y: 54)
        glyphs += run("“在今天的记者招待会", x: 0, y: 74, size: 13, heavy: true)
        glyphs += run("上有记者问明年外交”", x: 0, y: 92, size: 13, heavy: true)
        glyphs += run("　　发言人回答说明年我们将继", x: 0, y: 114)
        glyphs += run("续推行独立自主的政策。", x: 0, y: 128)
        let placed = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs.filter { $0.character != "　" }))
            .map { PlacedLine(line: $0.line, columnLeft: 0, columnRight: 150, regions: $0.regions) }
        let blocks = BlockWriter(bodySize: 10).blocks(placed)
        XCTAssertEqual(blocks.map(\.role), [.headline, .paragraph, .paragraph], "\(blocks)")
        XCTAssertEqual(blocks.last?.text, "发言人回答说明年我们将继续推行独立自主的政策。")
    }

    func testPageHeaderIsTakenOffTheTop() {
        var lines = LineBuilder.lines(run("人民日报　１９９８年１月３日　第２版", x: 0, y: 0) + run("标题在这里", x: 0, y: 40, size: 20, heavy: true))
        let header = PageHeader.take(&lines, bodySize: 10)
        XCTAssertEqual(header, "人民日报　１９９８年１月３日　第２版")
        XCTAssertEqual(lines.map(\.text), ["标题在这里"])
    }
}
