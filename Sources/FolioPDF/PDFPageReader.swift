import Foundation

/// One PDF page read into page text the parser takes, with the PDF's page label.
public struct PDFPageText: Sendable, Equatable {
    /// The page label (`poppler_page_get_label`), else the page number from 1.
    public var label: String
    /// The page's blocks in reading order, each with its role.
    public var blocks: [PDFBlock]
    /// The page header line (paper, date, page, section) taken off the top, if any.
    public var header: String?
    /// Which way the page's text ran as poppler gave it; anything but `.upright` was turned
    /// upright before it was read (a rotated page, vertical CJK), which the page's diagnostics say.
    public var orientation: PageOrientation = .upright

    /// Whether any text was read from it (a scanned page in a PDF of text pages has none).
    public var hasText: Bool { !blocks.isEmpty || header != nil }
}

/// PDF bytes → one `PDFPageText` per page: glyphs → lines → reading order → styled blocks.
public enum PDFPageReader {
    /// Every page, or only page `only` (from 1); `.noTextLayer` when none of them has any text
    /// (a scan), `.unreadable` for bytes poppler cannot open, `.noSuchPage` for a page not there.
    public static func read(_ bytes: [UInt8], only: Int? = nil) throws -> [PDFPageText] {
        let document = try PDFDocument(bytes: bytes)
        guard document.pageCount > 0 else { throw PDFError(.noSuchPage, "the PDF has no pages") }
        if let only, only < 1 || only > document.pageCount {
            throw PDFError(.noSuchPage, "page \(only) is not in the PDF (\(document.pageCount) pages)")
        }
        let indices = only.map { [$0 - 1] } ?? Array(0..<document.pageCount)
        var pages: [PDFPageText] = []
        for index in indices {
            pages.append(layout(try document.page(index)))
        }
        if !pages.contains(where: \.hasText) {
            throw PDFError(.noTextLayer, "the PDF has no text layer (a scan?): nothing to parse without OCR")
        }
        return pages
    }

    static func layout(_ given: PDFPageContent) -> PDFPageText {
        let orientation = PageOrientation.of(given.glyphs)
        // A header row set across the top of a page of vertical columns runs across: it is read
        // as it stands, before the page is turned.
        var given = given
        let acrossHeader = orientation == .downward ? PageHeader.take(&given.glyphs) : nil
        var content = orientation.turn(given)
        content.glyphs = heavierThanBody(content.glyphs)
        var lines = LineBuilder.lines(content.glyphs)
        let bodySize = Self.bodySize(lines)
        let header = acrossHeader != nil ? acrossHeader : PageHeader.take(&lines, bodySize: bodySize)
        let placed = LocalBody.assign(ColumnRuns.narrow(ReadingOrder(bodySize: bodySize).order(lines)), bodySize: bodySize)
        if ProcessInfo.processInfo.environment["FOLIO_PDF_TRACE"] != nil {
            for image in content.images {
                FileHandle.standardError.write(Data(String(format: "image %.1f,%.1f-%.1f,%.1f\n", image.x0, image.y0, image.x1, image.y1).utf8))
            }
            trace(placed, bodySize: bodySize)
        }
        let blocks = BlockWriter(bodySize: bodySize, images: content.images).blocks(placed)
        return PDFPageText(label: content.label, blocks: blocks, header: header, orientation: orientation)
    }

    /// Every placed line with its geometry on standard error, for working on the layout rules.
    private static func trace(_ placed: [PlacedLine], bodySize: Double) {
        for p in placed {
            let l = p.line
            let row = String(format: "%@ col %.1f-%.1f box %.1f,%.1f-%.1f,%.1f size %.2f%@ regions %@ %@\n",
                             "\(LineStyle.of(p, bodySize: bodySize))", p.columnLeft, p.columnRight, l.x0, l.y0, l.x1, l.y1,
                             l.size, l.heavy ? " heavy" : "", p.regions.map(String.init).joined(separator: "/"), l.text)
            FileHandle.standardError.write(Data(row.utf8))
        }
    }

    /// Heavy is heavier than the body's face: where running text is set in a sans (黑體, common
    /// in Hong Kong and Taiwan), only bold type stands out as headings and bylines do.
    static func heavierThanBody(_ glyphs: [Glyph]) -> [Glyph] {
        let size = TextLine.dominant(glyphs.map { ($0.size, 1) })
        var counts = [0, 0, 0]
        for glyph in glyphs where abs(glyph.size - size) < 0.05 { counts[Int(min(glyph.weight, 2))] += 1 }
        guard let body = counts.indices.max(by: { counts[$0] < counts[$1] }), body > 0 else { return glyphs }
        return glyphs.map { glyph in
            var glyph = glyph
            glyph.heavy = Int(glyph.weight) > body
            return glyph
        }
    }

    /// The size most characters are set in.
    static func bodySize(_ lines: [TextLine]) -> Double {
        let size = TextLine.dominant(lines.flatMap { $0.glyphs.map { ($0.size, 1) } })
        return size > 0 ? size : 10
    }
}
