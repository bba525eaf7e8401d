import Foundation

/// One PDF page read into page text the parser takes, with the PDF's page label.
public struct PDFPageText: Sendable, Equatable {
    /// The page label (`poppler_page_get_label`), else the page number from 1.
    public var label: String
    /// The page's blocks in reading order, each with its role.
    public var blocks: [PDFBlock]
    /// The page header line (paper, date, page, section) taken off the top, if any.
    public var header: String?
}

/// PDF bytes → one `PDFPageText` per page: glyphs → lines → reading order → styled blocks.
public enum PDFPageReader {
    /// Every page; `.noTextLayer` when no page has any text (a scan), `.unreadable` for bytes
    /// poppler cannot open.
    public static func read(_ bytes: [UInt8]) throws -> [PDFPageText] {
        let document = try PDFDocument(bytes: bytes)
        guard document.pageCount > 0 else { throw PDFError(.noSuchPage, "the PDF has no pages") }
        var pages: [PDFPageText] = []
        for index in 0..<document.pageCount {
            pages.append(layout(try document.page(index)))
        }
        if pages.allSatisfy({ $0.blocks.isEmpty && $0.header == nil }) {
            throw PDFError(.noTextLayer, "the PDF has no text layer (a scan?): nothing to parse without OCR")
        }
        return pages
    }

    static func layout(_ content: PDFPageContent) -> PDFPageText {
        var lines = LineBuilder.lines(content.glyphs)
        let bodySize = Self.bodySize(lines)
        let header = PageHeader.take(&lines, bodySize: bodySize)
        let placed = ReadingOrder(bodySize: bodySize).order(lines)
        let blocks = BlockWriter(bodySize: bodySize).blocks(placed)
        return PDFPageText(label: content.label, blocks: blocks, header: header)
    }

    /// The size most characters are set in.
    static func bodySize(_ lines: [TextLine]) -> Double {
        let size = TextLine.dominant(lines.flatMap { $0.glyphs.map { ($0.size, 1) } })
        return size > 0 ? size : 10
    }
}
