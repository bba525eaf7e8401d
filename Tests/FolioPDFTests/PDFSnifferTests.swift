import XCTest
@testable import FolioPDF

final class PDFSnifferTests: XCTestCase {
    func testPDFHeaderIsRecognised() {
        XCTAssertTrue(PDFSniffer.looksLikePDF(Array("%PDF-1.7\n%\u{E2}\n".utf8)))
        XCTAssertTrue(PDFSniffer.looksLikePDF(Array("\u{FEFF}junk%PDF-1.4".utf8)))
    }

    func testPageTextIsNotAPDF() {
        XCTAssertFalse(PDFSniffer.looksLikePDF(Array("人民日报\n\n标题\n".utf8)))
        XCTAssertFalse(PDFSniffer.looksLikePDF([UInt8]()))
        XCTAssertFalse(PDFSniffer.looksLikePDF(Array("%PD".utf8)))
    }
}
