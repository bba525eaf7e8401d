import FolioModel
@testable import FolioParser
import FolioTestSupport
import Foundation
import Testing

/// The seed page end to end, and its readable dump compared to a committed golden file.
/// Regenerate the golden file with `FOLIO_UPDATE_GOLDEN=1 swift test --filter SeedPageTests`.
@Suite(.enabled(if: FolioTestSupport.SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) struct SeedPageTests {
    static let page: Folio_V1_Page = {
        let text = (try? TestPaths.read(TestPaths.seedPage)) ?? ""
        return PageParser().parse(text: text, source: "seed-page.txt")
    }()

    @Test func matchesTheGoldArticles() throws {
        let gold = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.seedGold)) as? [String: Any]
        let articles = try #require(gold?["articles"] as? [[String: Any]])
        #expect(Self.page.articles.map(\.headline) == articles.compactMap { $0["headline"] as? String })
        #expect(Self.page.id == "seed-page")
        #expect(Self.page.articles.flatMap(\.captions).count == 3)
        #expect(Self.page.credits.map(\.photographers) == [["崔治"]])
        #expect(Self.page.script.dominant == .traditional)
        let datelines = Self.page.articles.filter(\.hasDateline)
        #expect(datelines.count == 5)
        #expect(datelines.allSatisfy { $0.dateline.agency == "本報訊" && $0.dateline.repaired })
    }

    @Test func goldenTreeDump() throws {
        let url = TestPaths.golden.appendingPathComponent("seed-page.tree")
        let dump = PageTree.render(Self.page)
        if ProcessInfo.processInfo.environment["FOLIO_UPDATE_GOLDEN"] != nil {
            try FileManager.default.createDirectory(at: TestPaths.golden, withIntermediateDirectories: true)
            try dump.write(to: url, atomically: false, encoding: .utf8)
        }
        let golden = try TestPaths.read(url)
        #expect(dump == golden, "tree dump differs from \(url.path); regenerate with FOLIO_UPDATE_GOLDEN=1 if intended")
    }
}

/// The committed generated pages (held-out PFR days): every gold headline is found on most pages.
@Suite struct GeneratedPagesTests {
    @Test func headlinesAreRecoveredOnGeneratedPages() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPaths.generatedPages.path)
            .filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files.count >= 100)
        var found = 0, total = 0
        for name in files {
            let url = TestPaths.generatedPages.appendingPathComponent(name)
            let goldURL = url.deletingPathExtension().appendingPathExtension("gold.json")
            let gold = try JSONSerialization.jsonObject(with: Data(contentsOf: goldURL)) as? [String: Any]
            let heads = ((gold?["articles"] as? [[String: Any]]) ?? []).compactMap { $0["headline"] as? String }
            let page = PageParser().parse(data: [UInt8](try Data(contentsOf: url)), source: name)
            let got = Set(page.articles.map(\.headline))
            total += heads.count
            found += heads.filter(got.contains).count
            for a in page.articles { for b in a.lead + a.body { #expect(b.lines.allSatisfy { $0 <= page.lineCount }) } }
        }
        // Exact-string recovery is stricter than the scorer (which folds scripts); the scorer's
        // figure is measured by Tests/Tools/score_pages.sh.
        #expect(Double(found) / Double(total) >= 0.8, "headlines found: \(found)/\(total)")
    }
}
