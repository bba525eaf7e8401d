@testable import FolioParser
import Testing

/// A `pdftotext -layout` page built by hand: text put at a row and a character position.
struct LayoutGrid {
    var rows: [[Unicode.Scalar]] = []

    mutating func put(_ text: String, row: Int, at x: Int) {
        while rows.count <= row { rows.append([]) }
        let s = Array(text.unicodeScalars)
        while rows[row].count < x + s.count { rows[row].append(" ") }
        rows[row].replaceSubrange(x..<(x + s.count), with: s)
    }

    /// A column of `count` lines `width` wide from `row` down, one row in `step`; line i reads
    /// `label` + i, filled out with 文.
    mutating func column(_ label: String, lines count: Int, row: Int, at x: Int, width: Int = 10, step: Int = 1) -> [String] {
        (0..<count).map { i in
            let head = label + String(i)
            let line = head + String(repeating: "文", count: width - head.count)
            put(line, row: row + i * step, at: x)
            return line
        }
    }

    var text: String { rows.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n") + "\n" }
}

@Suite struct LayoutTrackTests {
    static func read(_ grid: LayoutGrid) -> [String] {
        LayoutColumns.lines(of: grid.text).map { String(String.UnicodeScalarView($0.scalars)) }
    }

    @Test func modulesOfDifferentColumnCountsOneAboveTheOther() {
        var g = LayoutGrid()
        g.put("上方三栏的标题横跨全部栏目", row: 0, at: 8)
        let a = g.column("甲", lines: 6, row: 2, at: 0) + g.column("乙", lines: 6, row: 2, at: 14) + g.column("丙", lines: 4, row: 2, at: 28)
        g.put("下方两栏的标题也横跨栏目而且很长", row: 10, at: 4)
        let b = g.column("丁", lines: 5, row: 12, at: 0, width: 17) + g.column("戊", lines: 5, row: 12, at: 21, width: 17)
        #expect(Self.read(g) == ["上方三栏的标题横跨全部栏目"] + a + ["下方两栏的标题也横跨栏目而且很长"] + b)
    }

    @Test func columnGoesOnPastABlankRowWhileAModuleBesideItInterleaves() {
        // The left module's lines sit on every other row, the right module's between them; a
        // blank row across the page in the middle of both does not cut their columns.
        var g = LayoutGrid()
        g.put("左边模块标题", row: 0, at: 2)
        g.put("右边模块标题", row: 1, at: 30)
        let left = g.column("甲", lines: 4, row: 2, at: 0, step: 2) + g.column("乙", lines: 4, row: 2, at: 13, step: 2)
        let right = g.column("丙", lines: 4, row: 3, at: 30, step: 2) + g.column("丁", lines: 4, row: 3, at: 43, step: 2)
        let leftMore = g.column("戊", lines: 3, row: 11, at: 0, step: 2)
        let rightMore = g.column("己", lines: 3, row: 12, at: 30, step: 2)
        var rows = g.rows
        rows.insert([], at: 10)
        g.rows = rows
        let out = Self.read(g)
        // Each column's lines stay together and in order, the left module before the right one.
        #expect(out.firstIndex(of: left[0])! < out.firstIndex(of: left[7])!)
        #expect(Array(out[out.firstIndex(of: left[0])!..<(out.firstIndex(of: left[0])! + 4)]) == Array(left[0..<4]))
        #expect(out.lastIndex(where: { left.contains($0) || leftMore.contains($0) })! < out.firstIndex(of: "右边模块标题")!)
        #expect(out.firstIndex(of: "右边模块标题")! < out.firstIndex(of: right[0])!)
        #expect(out.firstIndex(of: right[3])! < out.firstIndex(of: right[4])!)
        #expect(rightMore.allSatisfy { out.contains($0) })
    }

    @Test func narrowingGutterKeepsTheColumns() {
        // Short last lines of paragraphs widen the gutter; full lines bring it down to two spaces.
        var g = LayoutGrid()
        g.put("栏间空隙时宽时窄", row: 0, at: 6)
        var left: [String] = []
        var right: [String] = []
        for r in 0..<8 {
            let l = r % 3 == 2 ? "甲\(r)短行" : "甲\(r)" + String(repeating: "文", count: 10)
            let rt = "乙\(r)" + String(repeating: "字", count: 10)
            g.put(l, row: r + 2, at: 0)
            g.put(rt, row: r + 2, at: 14)
            left.append(l); right.append(rt)
        }
        #expect(Self.read(g) == ["栏间空隙时宽时窄"] + left + right)
    }

    @Test func crowdedRowsFallBackToBands() {
        var g = LayoutGrid()
        for r in 0..<10 {
            for k in 0..<40 { g.put("八个字的一段文字", row: r, at: k * 11) }
        }
        #expect(LayoutTracks.lines(rows: g.rows) == nil, "forty columns on a row are no page")
        #expect(LayoutColumns.lines(of: g.text).count > 0)
    }

    @Test func columnBrokenByRowsSetApartRunsOnWhenItsLineIsUnfinished() {
        // Rows of the columns beside it sit between two of its lines, more than a skip apart:
        // two tracks, but the upper one's last line is full and unfinished, so no break.
        var g = LayoutGrid()
        g.put("古镇新貌一组", row: 0, at: 4)
        g.put("河边老街修整一新，游人", row: 2, at: 0)
        g.put("往来不绝，商铺也多了。", row: 8, at: 0)
        g.put("乙栏第一行文字内容较长", row: 4, at: 14)
        g.put("乙栏第二行文字内容完了。", row: 5, at: 14)
        let lines = LayoutColumns.lines(of: g.text)
        let texts = lines.map { String(String.UnicodeScalarView($0.scalars)) }
        let upper = texts.firstIndex(of: "河边老街修整一新，游人")!
        #expect(texts[upper + 1] == "往来不绝，商铺也多了。")
        #expect(lines[upper + 1].gapBefore == 0)
        #expect(lines[texts.firstIndex(of: "乙栏第一行文字内容较长")!].gapBefore == 1)
    }

    @Test func titleUnderAColumnsUnfinishedEndIsNotReadInThatColumn() {
        // The next module's title sits under the left column after a longer step than the
        // column's and as wide as it; its second line is centred under it, rows further down.
        var g = LayoutGrid()
        g.put("上方模块标题", row: 0, at: 4)
        let upper = g.column("甲", lines: 5, row: 2, at: 0) + g.column("乙", lines: 5, row: 2, at: 14)
        g.put("下方模块的标题第一行", row: 9, at: 0)
        g.put("二行", row: 12, at: 4)
        let lower = g.column("丙", lines: 4, row: 15, at: 0) + g.column("丁", lines: 4, row: 15, at: 14)
        let lines = LayoutColumns.lines(of: g.text)
        let texts = lines.map { String(String.UnicodeScalarView($0.scalars)) }
        #expect(texts == ["上方模块标题"] + upper + ["下方模块的标题第一行", "二行"] + lower)
        let title = texts.firstIndex(of: "下方模块的标题第一行")!
        #expect(lines[title].gapBefore == 1)
        #expect(lines[title + 1].gapBefore == 0)
        #expect(lines[title + 1].indented == nil, "a title's centred line is no indented paragraph start")
    }

    @Test func titleSetLargeKeepsItsNextLineRowsFurtherDown() {
        // Each line of a large title takes several rows: its centred second line, much narrower,
        // comes six rows under the first, with another module's lines beside it in between.
        var g = LayoutGrid()
        g.put("某国六个在野党结盟要求首相下台", row: 0, at: 20)
        let beside = g.column("甲", lines: 5, row: 1, at: 0, width: 14)
        g.put("合作", row: 6, at: 26)
        let body = g.column("乙", lines: 4, row: 8, at: 20, width: 15)
        let lines = LayoutColumns.lines(of: g.text)
        let texts = lines.map { String(String.UnicodeScalarView($0.scalars)) }
        let title = texts.firstIndex(of: "某国六个在野党结盟要求首相下台")!
        #expect(texts[title + 1] == "合作")
        #expect(lines[title + 1].gapBefore == 0)
        #expect(Array(texts[(title + 2)...]) == body)
        #expect(beside.allSatisfy { texts.contains($0) })
    }

    @Test func lastLineOfAColumnAfterALongStepStaysInIt() {
        // A line ending its paragraph goes on in its column however far below it sits.
        var g = LayoutGrid()
        g.put("某地新闻", row: 0, at: 2)
        let col = g.column("甲", lines: 4, row: 2, at: 0)
        g.put("事情办完了。", row: 9, at: 0)
        let texts = Self.read(g)
        #expect(texts == ["某地新闻"] + col + ["事情办完了。"])
    }

    @Test func aGlyphAndItsStopCloseToTheColumnBesideEndsItsOwnParagraph() {
        // The right column's paragraph ends in one glyph and its stop, four spaces after the
        // left column's line on that row: the end of the right column, not a glyph of a name.
        var g = LayoutGrid()
        g.put("两栏的标题", row: 0, at: 0)
        let left = g.column("甲", lines: 5, row: 2, at: 0, width: 16)
        let right = g.column("乙", lines: 3, row: 2, at: 20, width: 16)
        g.put("完。", row: 5, at: 20)
        g.put("（本报记者   何   伟）", row: 7, at: 2)
        let texts = Self.read(g)
        #expect(texts == ["两栏的标题"] + left + ["（本报记者 何 伟）"] + right + ["完。"])
    }

    @Test func paragraphRunsOnFromAColumnIntoTheNextOne() {
        // The left column ends on a full line in mid-sentence; the column right of it starts
        // higher with a full line at its edge: one paragraph across the column break.
        var g = LayoutGrid()
        g.put("两栏文章的标题", row: 0, at: 6)
        let left = g.column("甲", lines: 6, row: 2, at: 0)
        let right = g.column("乙", lines: 6, row: 2, at: 14)
        let lines = LayoutColumns.lines(of: g.text)
        let texts = lines.map { String(String.UnicodeScalarView($0.scalars)) }
        #expect(texts == ["两栏文章的标题"] + left + right)
        #expect(lines[texts.firstIndex(of: right[0])!].gapBefore == 0)
        // Ended on a sentence, the left column's paragraph does not go on.
        var h = LayoutGrid()
        h.put("两栏文章的标题", row: 0, at: 6)
        _ = h.column("甲", lines: 5, row: 2, at: 0)
        h.put("甲5文文文文文文。", row: 7, at: 0)
        let other = h.column("乙", lines: 6, row: 2, at: 14)
        let hLines = LayoutColumns.lines(of: h.text)
        let hTexts = hLines.map { String(String.UnicodeScalarView($0.scalars)) }
        #expect(hLines[hTexts.firstIndex(of: other[0])!].gapBefore == 1)
    }

    @Test func centredTitleSetLargeIsReadBeforeTheColumnLeftOfIt() {
        // Four glyphs set three cells wide each, centred over three columns: pdftotext gives
        // them four cells from the thirteenth, over the middle column only.
        var g = LayoutGrid()
        g.put("山间小路", row: 0, at: 13)
        let cols = g.column("甲", lines: 5, row: 3, at: 0) + g.column("乙", lines: 5, row: 3, at: 14)
            + g.column("丙", lines: 5, row: 3, at: 28)
        #expect(Self.read(g) == ["山间小路"] + cols)
    }

    @Test func titleDoesNotReachOverAColumnOfAModuleBeside() {
        // The left module's column goes on from above; the right module's title, centred over
        // its own two columns, stays with them and after the left column.
        var g = LayoutGrid()
        let left = g.column("甲", lines: 9, row: 0, at: 0)
        g.put("另一条新闻", row: 2, at: 19)
        let right = g.column("乙", lines: 5, row: 5, at: 14) + g.column("丙", lines: 5, row: 5, at: 28)
        #expect(Self.read(g) == left + ["另一条新闻"] + right)
    }

    @Test func centredHeadlineRightOverItsColumnsIsReadFirstAndJoinsNoneOfThem() {
        // A headline set large and centred over four columns, their first lines on the row
        // right under it: read before the first column, and no column goes on from it.
        var g = LayoutGrid()
        g.put("某地珍稀鱼类获得保护专家建议保护", row: 0, at: 14)
        let cols = g.column("甲", lines: 4, row: 1, at: 0) + g.column("乙", lines: 4, row: 1, at: 14)
            + g.column("丙", lines: 4, row: 1, at: 28) + g.column("丁", lines: 4, row: 1, at: 42)
        let lines = LayoutColumns.lines(of: g.text)
        let texts = lines.map { String(String.UnicodeScalarView($0.scalars)) }
        #expect(texts == ["某地珍稀鱼类获得保护专家建议保护"] + cols)
        #expect(lines[1].gapBefore == 1)
    }
}
