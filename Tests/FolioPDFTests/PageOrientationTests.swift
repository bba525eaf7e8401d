import XCTest
@testable import FolioPDF

/// Pages whose text does not run left to right as poppler gives it (a `/Rotate` page, vertical
/// CJK) are found from their glyphs and turned upright before they are read.
final class PageOrientationTests: XCTestCase {
    private let width = 300.0, height = 200.0

    private func run(_ text: String, x: Double, y: Double, size: Double = 10, heavy: Bool = false) -> [Glyph] {
        text.enumerated().map { i, c in
            Glyph(character: c, x0: x + Double(i) * size, y0: y, x1: x + Double(i + 1) * size, y1: y + size * 1.2,
                  size: size, heavy: heavy)
        }
    }

    /// A headline over two columns of body text: one paragraph across the column break, then another.
    private func upright() -> PDFPageContent {
        var glyphs = run("山村小学的新校舍", x: 20, y: 20, size: 22, heavy: true)
        let left = ["　　开学第一天，孩子们", "走进了明亮的新教室，", "老师们早早就在门口等", "着他们，校园里一片欢"]
        let right = ["声笑语。", "　　这所学校建于五十", "年代，多年来校舍破旧", "，今年终于翻修一新。"]
        for (row, text) in left.enumerated() { glyphs += run(text, x: 20, y: 60 + Double(row) * 15) }
        for (row, text) in right.enumerated() { glyphs += run(text, x: 150, y: 60 + Double(row) * 15) }
        return PDFPageContent(label: "1", width: width, height: height, glyphs: glyphs, images: [])
    }

    /// The page as poppler gives it when its `/Rotate` is `quarters` × 90° clockwise: the same
    /// characters in the same order, their boxes where the turned page shows them.
    private func rotated(_ page: PDFPageContent, quarters: Int) -> PDFPageContent {
        var out = page
        let w = page.width, h = page.height
        out.glyphs = page.glyphs.map { g in
            var t = g
            switch quarters {
            case 1: (t.x0, t.y0, t.x1, t.y1) = (h - g.y1, g.x0, h - g.y0, g.x1)
            case 2: (t.x0, t.y0, t.x1, t.y1) = (w - g.x1, h - g.y1, w - g.x0, h - g.y0)
            default: (t.x0, t.y0, t.x1, t.y1) = (g.y0, w - g.x1, g.y1, w - g.x0)
            }
            return t
        }
        if quarters != 2 { (out.width, out.height) = (h, w) }
        return out
    }

    func testUprightPageStaysAsItIs() {
        let page = PDFPageReader.layout(upright())
        XCTAssertEqual(page.orientation, .upright)
        XCTAssertEqual(page.blocks.map(\.role), [.headline, .paragraph, .paragraph])
    }

    func testRotatedPagesReadAsTheUprightOne() {
        let expected = PDFPageReader.layout(upright()).blocks
        XCTAssertEqual(expected[1].text, "　　开学第一天，孩子们走进了明亮的新教室，老师们早早就在门口等着他们，校园里一片欢声笑语。")
        for (quarters, orientation) in [(1, PageOrientation.downward), (2, .reversed), (3, .upward)] {
            let page = PDFPageReader.layout(rotated(upright(), quarters: quarters))
            XCTAssertEqual(page.orientation, orientation, "rotated \(quarters * 90)°")
            XCTAssertEqual(page.blocks, expected, "rotated \(quarters * 90)°")
            XCTAssertNotNil(page.orientation.message)
        }
    }

    /// Vertical CJK set glyph by glyph: columns top to bottom, right to left, and poppler giving
    /// the glyphs row by row across the columns (as it does for such pages).
    func testVerticalGlyphColumnsReadTopToBottomRightToLeft() {
        let text = Array("冬天到了，村里的志愿者们走进老人家中，帮他们修好暖气，扫去院里的积雪。")
        let perColumn = 12, size = 12.0, pitchX = 18.0, pitchY = 14.0
        var glyphs: [Glyph] = []
        for row in 0..<perColumn {
            for column in stride(from: (text.count - 1) / perColumn, through: 0, by: -1) {
                let i = column * perColumn + row
                guard i < text.count else { continue }
                let x = width - 30 - Double(column + 1) * pitchX, y = 30 + Double(row) * pitchY
                glyphs.append(Glyph(character: text[i], x0: x, y0: y, x1: x + size, y1: y + size * 1.4, size: size, heavy: false))
            }
        }
        let page = PDFPageReader.layout(PDFPageContent(label: "1", width: width, height: height, glyphs: glyphs, images: []))
        XCTAssertEqual(page.orientation, .downward)
        XCTAssertEqual(page.blocks.map(\.text).joined(), String(text))
    }
}
