import CPoppler
import Foundation

/// An open PDF (through poppler-glib). Not shared between threads: open one per reader.
final class PDFDocument {
    private let document: OpaquePointer

    /// Opens the bytes; damaged, truncated or non-PDF bytes give `.unreadable`, never a crash.
    init(bytes: [UInt8]) throws {
        var message: UnsafeMutablePointer<CChar>?
        let opened = bytes.withUnsafeBytes { raw in
            folio_pdf_open(raw.baseAddress, gsize(raw.count), &message)
        }
        guard let opened else {
            let detail = message.map { String(cString: $0) } ?? "not a PDF"
            g_free(message)
            if detail.localizedCaseInsensitiveContains("password") || detail.localizedCaseInsensitiveContains("encrypt") {
                throw PDFError(.encrypted, "the PDF is encrypted: \(detail)")
            }
            throw PDFError(.unreadable, "not a readable PDF: \(detail)")
        }
        document = opened
    }

    deinit { folio_pdf_release(UnsafeMutableRawPointer(document)) }

    var pageCount: Int { Int(poppler_document_get_n_pages(document)) }

    /// The glyphs, image boxes and label of page `index` (0-based).
    func page(_ index: Int) throws -> PDFPageContent {
        guard index >= 0, index < pageCount, let page = poppler_document_get_page(document, Int32(index)) else {
            throw PDFError(.noSuchPage, "page \(index + 1) is not in the PDF (\(pageCount) pages)")
        }
        defer { folio_pdf_release(UnsafeMutableRawPointer(page)) }
        var width = 0.0, height = 0.0
        poppler_page_get_size(page, &width, &height)
        let label = Self.take(poppler_page_get_label(page)) ?? ""
        return PDFPageContent(label: label.isEmpty ? String(index + 1) : label, width: width, height: height,
                              glyphs: Self.glyphs(page), images: Self.images(page))
    }

    /// Characters of `poppler_page_get_text` with their rectangles (same offsets) and font runs.
    private static func glyphs(_ page: OpaquePointer) -> [Glyph] {
        guard let text = take(poppler_page_get_text(page)) else { return [] }
        var rectangles: UnsafeMutablePointer<PopplerRectangle>?
        var count: guint = 0
        guard poppler_page_get_text_layout(page, &rectangles, &count) != 0, let rectangles else { return [] }
        defer { g_free(rectangles) }
        let runs = fontRuns(page)
        // Offsets count Unicode scalars: one rectangle per scalar of the text.
        let scalars = Array(text.unicodeScalars)
        let n = min(scalars.count, Int(count))
        if ProcessInfo.processInfo.environment["FOLIO_PDF_TRACE"] != nil {
            FileHandle.standardError.write(Data("text \(scalars.count) scalars, \(count) rectangles, \(runs.count) runs, last run end \(runs.last?.end ?? -1)\n".utf8))
        }
        var glyphs: [Glyph] = []
        glyphs.reserveCapacity(n)
        var run = 0
        var spaced = false
        var broken = false
        for i in 0..<n {
            let scalar = scalars[i]
            if scalar.properties.isWhitespace && scalar != "\u{3000}" {
                spaced = scalar == " " || scalar == "\t"
                broken = broken || scalar == "\n" || scalar == "\r"
                continue
            }
            defer { spaced = false; broken = false }
            while run < runs.count && runs[run].end < i { run += 1 }
            let font = run < runs.count && runs[run].start <= i ? runs[run] : FontRun(start: i, end: i, size: 0, weight: 0, light: false)
            let r = rectangles[i]
            guard r.x1.isFinite, r.y1.isFinite, r.x2.isFinite, r.y2.isFinite else { continue }
            glyphs.append(Glyph(character: Character(scalar), x0: min(r.x1, r.x2), y0: min(r.y1, r.y2),
                                x1: max(r.x1, r.x2), y1: max(r.y1, r.y2),
                                size: font.size > 0 ? font.size : abs(r.y2 - r.y1), heavy: font.weight > 0,
                                light: font.light, spaceBefore: spaced, breakBefore: broken, weight: font.weight))
        }
        return glyphs
    }

    private struct FontRun {
        var start: Int
        var end: Int
        var size: Double
        var weight: UInt8
        /// Near-white text: set reversed on a dark bar (a section's name).
        var light: Bool
    }

    private static func fontRuns(_ page: OpaquePointer) -> [FontRun] {
        guard let list = poppler_page_get_text_attributes(page) else { return [] }
        defer { poppler_page_free_text_attributes(list) }
        var runs: [FontRun] = []
        var node: UnsafeMutablePointer<GList>? = list
        while let current = node {
            if let data = current.pointee.data {
                let attributes = data.assumingMemoryBound(to: PopplerTextAttributes.self).pointee
                let name = attributes.font_name.map { String(cString: $0) } ?? ""
                let c = attributes.color
                runs.append(FontRun(start: Int(attributes.start_index), end: Int(attributes.end_index),
                                    size: attributes.font_size, weight: FontFace.weight(name),
                                    light: min(c.red, c.green, c.blue) >= FontFace.lightComponent))
            }
            node = current.pointee.next
        }
        return runs.sorted { $0.start < $1.start }
    }

    private static func images(_ page: OpaquePointer) -> [Box] {
        guard let list = poppler_page_get_image_mapping(page) else { return [] }
        defer { poppler_page_free_image_mapping(list) }
        var boxes: [Box] = []
        var node: UnsafeMutablePointer<GList>? = list
        while let current = node {
            if let data = current.pointee.data {
                let area = data.assumingMemoryBound(to: PopplerImageMapping.self).pointee.area
                boxes.append(Box(x0: min(area.x1, area.x2), y0: min(area.y1, area.y2),
                                 x1: max(area.x1, area.x2), y1: max(area.y1, area.y2)))
            }
            node = current.pointee.next
        }
        return boxes
    }

    /// A glib string as a Swift string, freeing it.
    private static func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        defer { g_free(pointer) }
        return String(cString: pointer)
    }
}

/// Reading a face's weight class from its PostScript name.
enum FontFace {
    /// Colour components (of 65535) all this high: white or nearly, text no page prints on paper white.
    static let lightComponent: UInt16 = 0xE000
    private static let sansMarks = ["sans", "hei", "gothic"]
    private static let boldMarks = ["bold", "black", "heavy", "medium", "semibold", "demi"]
    /// Faces lighter than a regular one (a caption's light sans, DemiLight is no demibold).
    private static let lightMarks = ["light", "thin"]

    /// 0 a regular serif (Song, Ming) or a light face, 1 a regular sans (Hei, Gothic), 2 a bold or heavier face.
    static func weight(_ name: String) -> UInt8 {
        let lower = name.lowercased()
        if lightMarks.contains(where: { lower.contains($0) }) { return 0 }
        if boldMarks.contains(where: { lower.contains($0) }) { return 2 }
        return sansMarks.contains { lower.contains($0) } ? 1 : 0
    }
}
