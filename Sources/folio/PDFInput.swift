import FolioParser
import FolioPDF
import Foundation

/// PDF files given to `parse` and `ingest`: read through poppler into one page text per PDF page.
enum PDFInput {
    /// The file's pages when its bytes are a PDF; nil when they are not (page text).
    /// A PDF that cannot be read, or has no text layer, is an error with the reader's message.
    static func pages(_ bytes: [UInt8]) -> Result<[PDFPageText], PDFError>? {
        guard PDFSniffer.looksLikePDF(bytes) else { return nil }
        do {
            return .success(try PDFPageReader.read(bytes))
        } catch let error as PDFError {
            return .failure(error)
        } catch {
            return .failure(PDFError(.unreadable, "not a readable PDF: \(error)"))
        }
    }

    /// The page id of page `label` of `file`: the file's stem and the label (`1998-01-03.pdf`, A2 → `1998-01-03-a2`).
    static func pageID(file: String, label: String) -> String? {
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        return PageIdentity.id(fromRelativePath: stem + "/" + label)
    }

    /// The page text sent to the parser: the laid-out form, each block with its role.
    static func text(_ page: PDFPageText) -> String {
        LaidOutText.render(page.blocks.map { block in
            LaidOutText.Block(LaidOutText.Role(rawValue: block.role.rawValue) ?? .paragraph, block.text)
        })
    }

    /// `--page N` (from 1) picks one page; nil keeps them all.
    static func select(_ pages: [PDFPageText], page: Int?) -> Result<[(number: Int, page: PDFPageText)], PDFError> {
        let numbered = pages.enumerated().map { (number: $0.offset + 1, page: $0.element) }
        guard let page else { return .success(numbered) }
        guard page >= 1, page <= pages.count else {
            return .failure(PDFError(.noSuchPage, "page \(page) is not in the PDF (\(pages.count) pages)"))
        }
        return .success([numbered[page - 1]])
    }
}
