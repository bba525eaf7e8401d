import FolioModel
@testable import FolioParser
import Foundation

/// Paths to the shared corpus and the committed fixtures, relative to this file.
enum TestPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let seedPage = shared.appendingPathComponent("corpus/seed-page.txt")
    static let seedGold = shared.appendingPathComponent("corpus/seed-page.gold.json")
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")
    static let generatedPages = fixtures.appendingPathComponent("pages")
    static let golden = fixtures.appendingPathComponent("pages-golden")

    static func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }
}

/// Builds a page from blocks separated by one blank line (the layout of the dumps).
func page(_ blocks: String...) -> String { blocks.joined(separator: "\n\n") + "\n" }

func parse(_ text: String, source: String = "test.txt") -> Folio_V1_Page {
    PageParser().parse(text: text, source: source)
}
