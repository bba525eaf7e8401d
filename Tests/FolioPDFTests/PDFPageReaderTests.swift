import XCTest
@testable import FolioPDF

/// Reading real PDFs through poppler: the two-page fixture, a scan, and broken bytes.
final class PDFPageReaderTests: XCTestCase {
    func testTwoPagePDFGivesOnePagePerPDFPage() throws {
        let pages = try PDFPageReader.read(try PDFFixtures.twoPage)
        XCTAssertEqual(pages.map(\.label), ["1", "2"])
        XCTAssertEqual(pages[0].header, "人民日报　1998年1月3日　星期六　第2版")
    }

    func testFirstPageRolesInReadingOrder() throws {
        let page = try PDFPageReader.read(try PDFFixtures.twoPage, only: 1)[0]
        XCTAssertEqual(page.blocks.map(\.role), [.headline, .byline, .paragraph, .paragraph, .paragraph, .caption])
        XCTAssertEqual(page.blocks[0].text, "城市交通状况明显改善")
        XCTAssertEqual(page.blocks[1].text, "本报记者　王　明")
        // Paragraphs are whole across visual lines and the column break.
        XCTAssertTrue(page.blocks[2].text.hasPrefix("本报北京１月３日电"))
        XCTAssertTrue(page.blocks[2].text.hasSuffix("把更多的道路建设项目列入计划。"))
        XCTAssertTrue(page.blocks[3].text.hasPrefix("记者在现场看到"))
        XCTAssertTrue(page.blocks[3].text.hasSuffix("按时完成任务。"))
        XCTAssertEqual(page.blocks[5].text, "工人们在新建的大桥上施工。（本报记者李华摄）")
    }

    func testSecondPageRubricKickerSubtitle() throws {
        let page = try PDFPageReader.read(try PDFFixtures.twoPage, only: 2)[0]
        XCTAssertEqual(page.blocks.map(\.role), [.rubric, .kicker, .headline, .subtitle, .paragraph, .endRubric])
        XCTAssertEqual(page.blocks[0].text, "■　经济广角　JINGJI")
        XCTAssertEqual(page.blocks[1].text, "抓住机遇加快发展——")
        XCTAssertEqual(page.blocks[3].text, "——来自山区的调查")
    }

    /// A line in the body's own type right under an image box is the image's caption; the
    /// paragraphs above and below the image stay whole.
    func testTextUnderAnImageBoxIsItsCaption() throws {
        let page = try PDFPageReader.read(try PDFFixtures.imageCaption)[0]
        XCTAssertEqual(page.blocks.map(\.role), [.headline, .paragraph, .caption, .paragraph])
        XCTAssertEqual(page.blocks[2].text, "Cars cross the bridge at dawn.")
        XCTAssertTrue(page.blocks[3].text.hasPrefix("The mayor said"))
    }

    func testScanWithoutTextLayerIsRefused() throws {
        XCTAssertThrowsError(try PDFPageReader.read(try PDFFixtures.scanned)) { error in
            XCTAssertEqual((error as? PDFError)?.code, .noTextLayer)
        }
    }

    func testPageOutsideTheDocumentIsAnError() throws {
        XCTAssertThrowsError(try PDFPageReader.read(try PDFFixtures.twoPage, only: 3)) { error in
            XCTAssertEqual((error as? PDFError)?.code, .noSuchPage)
        }
    }

    func testGarbageIsUnreadable() {
        for bytes in [Array("%PDF-1.7\nnot really a pdf".utf8), [UInt8](repeating: 0xFF, count: 4096), []] {
            XCTAssertThrowsError(try PDFPageReader.read(bytes)) { error in
                XCTAssertEqual((error as? PDFError)?.code, .unreadable)
            }
        }
    }

    /// Every cut of the file either reads or fails with a typed error: never a crash.
    func testTruncatedPDFsNeverCrash() throws {
        let whole = try PDFFixtures.twoPage
        for length in stride(from: 0, to: whole.count, by: max(1, whole.count / 23)) {
            do {
                let pages = try PDFPageReader.read(Array(whole.prefix(length)))
                XCTAssertFalse(pages.isEmpty)
            } catch let error as PDFError {
                XCTAssertFalse(error.message.isEmpty)
            }
        }
    }

    /// Bytes flipped inside the file: read or a typed error.
    func testCorruptedPDFsNeverCrash() throws {
        let whole = try PDFFixtures.twoPage
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<12 {
            var bytes = whole
            for _ in 0..<40 { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            do {
                _ = try PDFPageReader.read(bytes)
            } catch let error as PDFError {
                XCTAssertFalse(error.message.isEmpty)
            }
        }
    }
}
