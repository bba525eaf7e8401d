import FolioPDF
import Foundation

/// One page to send: a page file, or one page of a PDF read beforehand.
struct PageUpload: Sendable {
    let file: String
    /// How the page is named in output lines: the file, or FILE#N for page N of a PDF.
    let shown: String
    let pdfPage: PDFPageText?
    /// Its page number in the PDF, from 1 (nil for page text).
    var pageNumber: Int? = nil
    /// Standard input's bytes, read once to tell a PDF from text (nil for a file, read when sent).
    var standardInput: [UInt8]? = nil
    /// What a PDF page's id starts with (`PDFInput.documentName`); nil for page text.
    var document: String? = nil
    /// Pages sent from this file (a PDF's text pages; 1 for page text).
    var pagesInFile = 1
}

enum PageUploads {
    /// Files → pages to send. A PDF is read here, whole: one that cannot be read or has no text
    /// layer is reported (one line) and counted in `refused`, and none of its pages is sent; a
    /// page without text in a PDF of text pages is reported and counted, the others are sent.
    /// A PDF in `only` sends only those pages (numbers from 1; the others are passed over silently).
    /// `pageCounts`: the pages of each PDF read; `withRefusedPages`: PDFs of which a page was
    /// refused (not sent, though the PDF has it).
    static func expand(_ files: [String], only: [String: Set<Int>] = [:])
        -> (uploads: [PageUpload], refused: Int, pageCounts: [String: Int], withRefusedPages: Set<String>) {
        var uploads: [PageUpload] = []
        var refused = 0
        var pageCounts: [String: Int] = [:]
        var withRefusedPages: Set<String> = []
        for file in files {
            // Standard input can be read once only: its bytes go along when they are not a PDF.
            var input: [UInt8]?
            if file == PageInput.standardInput {
                switch PageInput.bytes(file) {
                case .success(let bytes):
                    input = bytes
                case .failure(let error):
                    Terminal.error("standard input: \(error.message)")
                    refused += 1
                    continue
                }
            }
            guard input.map(PDFSniffer.looksLikePDF) ?? (file.lowercased().hasSuffix(".pdf") || startsLikePDF(file)) else {
                uploads.append(PageUpload(file: file, shown: file, pdfPage: nil, standardInput: input))
                continue
            }
            let read = (input.map { .success($0) } ?? PageInput.bytes(file)).mapError { PDFError(.unreadable, $0.message) }
                .flatMap { PDFInput.pages($0) ?? .failure(PDFError(.unreadable, "not a PDF (no %PDF- header)")) }
            let document = input.map { PDFInput.documentName(file: file, bytes: $0) } ?? file
            switch read {
            case .success(let pages):
                pageCounts[file] = pages.count
                for (number, page) in pages where only[file]?.contains(number) ?? true {
                    let shown = pages.count == 1 ? file : "\(file)#\(number)"
                    // A scanned page among text pages: refused (stored, it would be an empty page).
                    guard page.hasText else {
                        Terminal.error("\(shown): \(PDFInput.scannedPage); not stored")
                        refused += 1
                        withRefusedPages.insert(file)
                        continue
                    }
                    if let message = page.orientation.message { Terminal.error("\(shown): warning: \(message)") }
                    uploads.append(PageUpload(file: file, shown: shown, pdfPage: page, pageNumber: number, document: document,
                                              pagesInFile: pages.count))
                }
            case .failure(let error):
                Terminal.error("\(file): \(error.message)")
                refused += 1
            }
        }
        return (uploads, refused, pageCounts, withRefusedPages)
    }

    /// A file with another name that holds a PDF all the same.
    private static func startsLikePDF(_ file: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: file) else { return false }
        defer { try? handle.close() }
        return PDFSniffer.looksLikePDF([UInt8](handle.readData(ofLength: 1024)))
    }
}
