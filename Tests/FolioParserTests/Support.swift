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
func page(_ blocks: String...) -> String { page(blocks) }
func page(_ blocks: [String]) -> String { blocks.joined(separator: "\n\n") + "\n" }

func parse(_ text: String, source: String = "test.txt") -> Folio_V1_Page {
    PageParser().parse(text: text, source: source)
}

/// Invented sentences of two stories (a park, a forest) that the column-order tests cut and
/// interleave the way pdftotext's default order does.
enum ParkStory {
    static let park = "今年春季，城东公园迎来游客高峰，园方增设了三条步行线路，并在入口处设置了导览牌。"
    static let platform = "此外，园方还计划在湖边新建一座观景平台，供游人赏景，平台预计在五月底以前建成，届时将免费对市民开放，园方还将在平台旁种植一片樱花林。"
    static let night = "据介绍，公园还将在暑期开放夜间游览，方便市民纳凉，园内的茶室也会延长营业时间。"
    static let water = "林场负责人说，今年雨水充足，新栽的树苗长势良好，秋后还将补种一批。"
}
