import FolioParser
import FolioPDF
import Foundation

/// PDF files given to `parse` and `ingest`: read through poppler into one page text per PDF page.
enum PDFInput {
    /// The file's pages (only page `only`, from 1, when given) when its bytes are a PDF; nil when
    /// they are not (page text). A PDF that cannot be read, or has no text layer, is an error.
    static func pages(_ bytes: [UInt8], only: Int? = nil) -> Result<[(number: Int, page: PDFPageText)], PDFError>? {
        guard PDFSniffer.looksLikePDF(bytes) else { return nil }
        do {
            let pages = try PDFPageReader.read(bytes, only: only)
            return .success(pages.enumerated().map { (number: only ?? $0.offset + 1, page: $0.element) })
        } catch let error as PDFError {
            return .failure(error)
        } catch {
            return .failure(PDFError(.unreadable, "not a readable PDF: \(error)"))
        }
    }

    /// Why a page of a PDF with text elsewhere gives none.
    static let scannedPage = "no text layer (a scan?): nothing to parse without OCR"

    /// The name a PDF's page ids start with: its file, or for standard input `pdf-` and a hash of its
    /// bytes (bare labels would make every piped PDF's page 1 the same page).
    static func documentName(file: String, bytes: [UInt8]) -> String {
        file == PageInput.standardInput ? "pdf-" + PageIdentity.contentHash(bytes) : file
    }

    /// The page id of page `label` of `file`: the file's stem and the label (`1998-01-03.pdf`, A2 → `1998-01-03-a2`).
    /// `relative`: the PDF's path inside the folder it was found in (or as a manifest names it),
    /// whose folders are part of the id like a text page's; else the file's name alone.
    static func pageID(file: String, relative: String? = nil, label: String) -> String? {
        let stem = ((relative ?? (file as NSString).lastPathComponent) as NSString).deletingPathExtension
        return PageIdentity.id(fromRelativePath: stem + "/" + label)
    }

    /// The label a PDF page's info carries: the PDF's own, unless the PDF has none (poppler then
    /// numbers the pages 1, 2, 3…) and the page header says which page of the paper it is
    /// (`第八版` → `8`). Page ids keep the PDF's label either way.
    static func infoLabel(_ page: PDFPageText, number: Int) -> String {
        guard page.label == String(number), let header = page.header else { return page.label }
        let printed = Masthead.pageLabel(inHeader: header)
        return printed.isEmpty ? page.label : printed
    }

    /// The page text sent to the parser: the laid-out form, the page header first, each block with its role.
    static func text(_ page: PDFPageText) -> String {
        var header = page.header.map { [LaidOutText.Block(.masthead, $0)] } ?? []
        if let code = page.orientation.diagnosticCode, let message = page.orientation.message {
            header.append(LaidOutText.Block(.note, code + " " + message))
        }
        return LaidOutText.render(header + page.blocks.map { block in
            LaidOutText.Block(LaidOutText.Role(rawValue: block.role.rawValue) ?? .paragraph, block.text)
        })
    }

}
