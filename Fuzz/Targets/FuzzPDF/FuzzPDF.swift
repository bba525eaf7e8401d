import FolioParser
import FolioPDF
import Foundation
import FuzzDriver

// The PDF path on arbitrary bytes: poppler opens them, the layout reader turns every page into
// role-marked blocks, and the parser reads the laid-out text. Bytes poppler refuses must come back
// as a typed PDFError with a message; nothing may take the process down.

private let parser = PageParser(entityRecognizer: nil)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPDF(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let pages = try PDFPageReader.read(bytes)
        precondition(!pages.isEmpty, "a readable PDF gave no pages")
        for page in pages {
            precondition(!page.label.isEmpty, "a page without a label")
            let text = LaidOutText.render(page.blocks.map {
                LaidOutText.Block(LaidOutText.Role(rawValue: $0.role.rawValue) ?? .paragraph, $0.text)
            })
            _ = parser.parse(text: text)
        }
    } catch let error as PDFError {
        precondition(!error.message.isEmpty, "a PDF error without a message")
    } catch {
        preconditionFailure("an untyped error: \(error)")
    }
    return 0
}

@_cdecl("FuzzPDF_main")
public func fuzzPDFMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    folio_fuzz_run(argc, argv) { data, size in data.map { fuzzPDF($0, size) } ?? 0 }
}
