import Foundation

/// The committed PDFs the tests read (Tests/Tools/make_pdf_fixtures.py, Tests/Fixtures/pdfbed).
enum PDFFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    static var twoPage: [UInt8] { get throws { try bytes("Tests/Fixtures/pdf/two-page.pdf") } }
    static var imageCaption: [UInt8] { get throws { try bytes("Tests/Fixtures/pdf/image-caption.pdf") } }
    static var scanned: [UInt8] { get throws { try bytes("Tests/Fixtures/pdfbed/scanned-dev-00-19980103-p2.pdf") } }
}
