import XCTest
@testable import FolioPDF

/// Layout rules about white space inside and between lines: lines whose boxes touch, letter-spaced
/// heads, Latin words in narrow columns.
final class SpacingLayoutTests: XCTestCase {
    /// Glyphs for `text` from (x, y), `advance` apart (an em by default), `width` wide (Latin letters
    /// half an em and a little), each `height` tall (1.2 em by default).
    private func run(_ text: String, x: Double, y: Double, size: Double = 10, heavy: Bool = false,
                     advance: Double? = nil, height: Double? = nil) -> [Glyph] {
        var glyphs: [Glyph] = []
        var left = x
        for c in text {
            let width = c.isASCII ? 0.6 * size : size
            glyphs.append(Glyph(character: c, x0: left, y0: y, x1: left + width, y1: y + (height ?? 1.2 * size),
                                size: size, heavy: heavy))
            left += max(advance ?? width, width)
        }
        return glyphs
    }

    /// Headline, a subtitle line whose box reaches a hair into the row of the byline under it, and
    /// three columns under both (the headline and the subtitle span the first two). The subtitle
    /// and the byline are stacked, not on one row: the columns are read one after another, not
    /// line by line across.
    func testSubtitleTouchingTheBylineRowStillHeadsTheColumns() {
        var glyphs = run("两栏宽的大标题", x: 0, y: 0, size: 26, heavy: true)
        glyphs += run("——副题一行比第一栏宽", x: 0, y: 40, size: 13, height: 18.701)
        glyphs += run("本报记者　李明", x: 0, y: 58.7, heavy: true)
        var expected = ["两栏宽的大标题", "——副题一行比第一栏宽", "本报记者　李明"]
        for (column, x) in [0.0, 110, 220].enumerated() {
            let top = column == 0 ? 72.7 : 58.7
            for row in 0..<3 {
                let text = "第\(column)栏第\(row)行的文字啊"
                glyphs += run(text, x: x, y: top + Double(row) * 14)
                expected.append(text)
            }
        }
        let order = ReadingOrder(bodySize: 10).order(LineBuilder.lines(glyphs)).map(\.line.text)
        XCTAssertEqual(order, expected)
    }

    /// A display head set letter-spaced (.5 em of tracking) over three columns, one tracking gap
    /// right over a gutter: one line, read without spaces; so is a two-character head (社论).
    /// A gap of a whole em between two characters is still an ideographic space, and the gaps of a
    /// byline are word spaces.
    func testLetterSpacedHeadIsOneLineWithoutSpaces() {
        var head = run("在全国政协新年茶话会上的讲话", x: 0, y: 0, size: 24, heavy: true, advance: 36)
        for k in head.indices.dropFirst() { head[k].spaceBefore = true }
        var glyphs = head
        for (column, x) in [0.0, 252, 504].enumerated() {
            for row in 0..<3 { glyphs += run(String(repeating: "文", count: 23) + "\(column)", x: x, y: 40 + Double(row) * 14) }
        }
        let lines = LineBuilder.lines(glyphs)
        XCTAssertEqual(lines.first?.text, "在全国政协新年茶话会上的讲话")
        XCTAssertEqual(lines.count, 10)
        let blocks = BlockWriter(bodySize: 10).blocks(ReadingOrder(bodySize: 10).order(lines))
        XCTAssertEqual(blocks.filter { $0.role == .headline }.map(\.text), ["在全国政协新年茶话会上的讲话"])

        XCTAssertEqual(LineBuilder.lines(run("社论", x: 0, y: 0, size: 24, heavy: true, advance: 36))[0].text, "社论")
        var spaced = run("社论", x: 0, y: 0, size: 24, heavy: true, advance: 48)
        spaced[1].spaceBefore = true
        XCTAssertEqual(LineBuilder.lines(spaced)[0].text, "社　论")
        var byline = run("本报记者", x: 0, y: 0) + run("李明", x: 50, y: 0)
        byline[4].spaceBefore = true
        XCTAssertEqual(LineBuilder.lines(byline)[0].text, "本报记者　李明")
    }

    /// Lines in a narrow column (10 em) that stop short because the Latin word the next line opens
    /// with did not fit go on in one paragraph; a line short by more than that word, or ending a
    /// sentence, ends it.
    func testLineShortOfTheNextLinesLatinWordGoesOn() {
        func placed(_ text: String, x: Double = 0, y: Double) -> PlacedLine {
            PlacedLine(line: TextLineTestSupport.line(run(text, x: x, y: y)), columnLeft: 0, columnRight: 100, regions: [1])
        }
        let lines = [placed("组织（World", y: 0), placed("Organization）总", y: 14), placed("事说了话。", y: 28),
                     placed("他说", x: 20, y: 42), placed("Bob says", y: 56), placed("话说完了。", y: 70),
                     placed("Organization）总", y: 84)]
        let blocks = BlockWriter(bodySize: 10).blocks(lines)
        XCTAssertEqual(blocks.map(\.text), ["组织（World Organization）总事说了话。", "他说", "Bob says", "话说完了。",
                                            "Organization）总"])
    }

    /// The one word space of a justified line of Latin words in a narrow column, stretched wide
    /// (poppler breaks its text there), is inside the line; a gutter between two columns of Latin
    /// text, white down the page, still parts them.
    func testWideLatinWordSpaceInAColumnIsNoGutter() {
        var glyphs = run("出席会议并发表讲话了。", x: 0, y: 0) + run("（World", x: 0, y: 14) + run("Trade", x: 80, y: 14)
        glyphs += run("总干事鲁杰罗表示说了话", x: 0, y: 28)
        XCTAssertEqual(LineBuilder.lines(glyphs).map(\.text), ["出席会议并发表讲话了。", "（World Trade", "总干事鲁杰罗表示说了话"])

        var columns: [Glyph] = []
        for row in 0..<4 {
            columns += run("Leftwords", x: 0, y: Double(row) * 14) + run("rightwords", x: 70, y: Double(row) * 14)
        }
        XCTAssertEqual(LineBuilder.lines(columns).count, 8)
    }

    /// A page of vertical columns (top to bottom, right to left) under a header row set across:
    /// the page is turned to be read, and the header row is read as it runs, left to right.
    func testHeaderRowAcrossAVerticalPageIsReadAsItRuns() {
        var glyphs = run("人民日报　1998年1月3日　第4版", x: 40, y: 20)
        for column in 0..<6 {
            let text = "竖排第\(["一", "二", "三", "四", "五", "六"][column])栏的文字从上往下读"
            for (k, c) in text.enumerated() {
                glyphs += run(String(c), x: 300 - Double(column) * 15, y: 60 + Double(k) * 10, height: 10)
            }
        }
        let page = PDFPageReader.layout(PDFPageContent(label: "1", width: 400, height: 600, glyphs: glyphs, images: []))
        XCTAssertEqual(page.orientation, .downward)
        XCTAssertEqual(page.header, "人民日报　1998年1月3日　第4版")
        XCTAssertTrue(page.blocks.contains { $0.text.hasPrefix("竖排第一栏") }, "\(page.blocks.map(\.text))")
    }
}

/// A line of hand-placed glyphs as the line builder would make it, without its gutter rules.
enum TextLineTestSupport {
    static func line(_ glyphs: [Glyph]) -> TextLine {
        var line = TextLine(glyphs[0])
        for glyph in glyphs.dropFirst() { line.append(glyph) }
        return line
    }
}
