import FolioModel
import Foundation

/// Test pages: the seed page, and small pages laid out from People's Daily articles
/// (../shared/corpus/pfr1998): headline, blank line, paragraphs separated by blank lines.
/// Without the shared corpus (a clean clone in CI) the repository's own copies are used: the
/// bundled sample seed page and the generated pages in Tests/Fixtures/pages.
enum TestPages {
    static let seedPath: String = {
        let shared = PackagePaths.corpus.appendingPathComponent("seed-page.txt").path
        if FileManager.default.fileExists(atPath: shared) { return shared }
        return PackagePaths.root.appendingPathComponent("Sources/FolioServer/Resources/sample/seed-page.txt").path
    }()

    static let seed: String = (try? String(contentsOfFile: seedPath, encoding: .utf8)) ?? ""

    /// Fixture pages of the repository, used when the shared corpus is absent.
    static let fixturePages: [String] = {
        let folder = PackagePaths.root.appendingPathComponent("Tests/Fixtures/pages")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().compactMap {
            try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }
    }()

    struct Article: Decodable {
        let id: String
        let date: String
        let page: Int
        let paragraphs: [String]
    }

    /// The first 300 articles of the corpus (enough for every test; read once).
    static let articles: [Article] = {
        let url = PackagePaths.corpus.appendingPathComponent("pfr1998/articles-01-20.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").prefix(300).compactMap {
            try? decoder.decode(Article.self, from: Data($0.utf8))
        }
    }()

    /// Page `index`: `count` consecutive articles starting at index*count (wrapping around).
    static func small(_ index: Int, articlesPerPage count: Int = 3) -> (text: String, date: String) {
        guard !articles.isEmpty else {
            guard !fixturePages.isEmpty else { return (seed, "") }
            return (fixturePages[index % fixturePages.count], "")
        }
        let chosen = (0..<count).map { articles[(index * count + $0) % articles.count] }
        let text = chosen.map { $0.paragraphs.joined(separator: "\n\n") }.joined(separator: "\n\n\n")
        return (text + "\n", chosen[0].date)
    }

    static func ingestRequest(_ index: Int, articlesPerPage: Int = 3, id: String? = nil) -> Folio_V1_IngestRequest {
        let page = small(index, articlesPerPage: articlesPerPage)
        var request = Folio_V1_IngestRequest()
        request.text = page.text
        request.source = "pfr-\(index).txt"
        request.info.publication = "人民日报"
        request.info.date = page.date
        request.info.pageLabel = String(format: "%02d", index % 100)
        request.pageID = id ?? "test-page-\(index)"
        return request
    }

    static func seedRequest(id: String = "seed") -> Folio_V1_IngestRequest {
        var request = Folio_V1_IngestRequest()
        request.text = seed
        request.source = "seed-page.txt"
        request.pageID = id
        return request
    }

    /// Page text of about `bytes` bytes (repeated seed page) for compression and slow calls.
    static func large(bytes: Int) -> String {
        var text = ""
        while text.utf8.count < bytes { text += seed + "\n\n" }
        return text
    }
}
