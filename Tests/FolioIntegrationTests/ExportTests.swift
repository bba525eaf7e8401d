import FolioClient
import FolioModel
import Foundation
import Testing
import FolioTestSupport

/// RFC 4180 rows (quoted fields may hold commas, quotes and line breaks), for reading exports back.
func csvRows(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var quoted = false, afterQuote = false
    for scalar in text.unicodeScalars {
        if quoted {
            if scalar == "\"" { quoted = false; afterQuote = true } else { field.unicodeScalars.append(scalar) }
            continue
        }
        switch scalar {
        case "\"":
            if afterQuote { field.unicodeScalars.append("\"") }
            quoted = true
        case ",": row.append(field); field = ""
        case "\r": break
        case "\n": row.append(field); rows.append(row); row = []; field = ""
        default: field.unicodeScalars.append(scalar)
        }
        afterQuote = false
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

@Suite("folio export: every article and mention, one stream", .serialized)
struct ExportTests {
    /// Every stored article, one GetArticle each (what the export replaces).
    static func everyArticle(_ client: FolioClient) async throws -> [String: Folio_V1_Article] {
        var request = Folio_V1_ListArticlesRequest()
        request.pageSize = 1000
        var articles: [String: Folio_V1_Article] = [:]
        for summary in try await client.listArticles(request).articles {
            articles[summary.id] = try await client.getArticle(id: summary.id)
        }
        return articles
    }

    static func ingestSome(_ client: FolioClient) async throws {
        _ = try await client.ingest(TestPages.seedRequest(id: "seed-a"))
        _ = try await client.ingest(TestPages.seedRequest(id: "seed-b"))
        for index in 0..<5 { _ = try await client.ingest(TestPages.ingestRequest(index)) }
    }

    @Test("NDJSON holds every article whole; CSV one row per article")
    func articles() async throws {
        try await withDaemon { daemon, client in
            try await Self.ingestSome(client)
            let expected = try await Self.everyArticle(client)
            #expect(expected.count > 14)

            let ndjson = try await CLIRun.folio(["export"], socket: daemon.socketPath)
            #expect(ndjson.status == 0, "stderr: \(ndjson.stderr)")
            var exported: [String: Folio_V1_Article] = [:]
            for line in ndjson.lines {
                let article = try Folio_V1_Article(jsonString: line, options: FolioJSON.parseOptions)
                exported[article.id] = article
            }
            #expect(ndjson.lines.count == expected.count)
            #expect(exported == expected)

            let streamed = try await offPoolCollect(client.exportArticles())
            #expect(Dictionary(uniqueKeysWithValues: streamed.map { ($0.id, $0) }) == expected)

            let csv = try await CLIRun.folio(["export", "--format", "csv"], socket: daemon.socketPath)
            #expect(csv.status == 0, "stderr: \(csv.stderr)")
            let rows = csvRows(csv.stdout)
            #expect(rows.first == ["id", "page_id", "date", "section", "kicker", "headline", "subtitle", "authors",
                                   "dateline", "paragraphs", "text", "entities", "mentions", "captions"])
            let body = rows.dropFirst()
            #expect(body.count == expected.count)
            for row in body {
                let article = try #require(expected[row[0]])
                #expect(row[5] == article.headline)
                #expect(row[10] == (article.lead + article.body).map(\.text).joined(separator: "\n"))
                #expect(Int(row[12]) == article.entities.reduce(0) { $0 + $1.mentions.count })
                #expect(row[13] == article.captions.map(\.text).joined(separator: "\n"))
            }

            let one = try await CLIRun.folio(["export", "--page", "seed-b", "--format", "csv"], socket: daemon.socketPath)
            let ids = csvRows(one.stdout).dropFirst().map { $0[0] }
            #expect(!ids.isEmpty && ids.allSatisfy { $0.hasPrefix("seed-b-") })
        }
    }

    @Test("an export that fails leaves the file it would replace as it was")
    func failedExportKeepsTheOldFile() async throws {
        try await withDaemon { daemon, client in
            try await Self.ingestSome(client)
            let file = daemon.directory.appendingPathComponent("articles.ndjson")
            try Data("an earlier export\n".utf8).write(to: file)
            let failed = try await CLIRun.folio(["export", "--output", file.path],
                                                socket: daemon.directory.appendingPathComponent("none.sock").path)
            #expect(failed.status != 0)
            #expect(try String(contentsOf: file, encoding: .utf8) == "an earlier export\n")
            let whole = try await CLIRun.folio(["export", "--output", file.path], socket: daemon.socketPath)
            #expect(whole.status == 0, "stderr: \(whole.stderr)")
            #expect(try String(contentsOf: file, encoding: .utf8).split(separator: "\n").count > 14)
            // Nothing is left beside it.
            let names = try FileManager.default.contentsOfDirectory(atPath: daemon.directory.path)
            #expect(!names.contains { $0.contains(".tmp-") })
        }
    }

    @Test("the mentions CSV holds every entity mention with its text and offsets")
    func mentions() async throws {
        try await withDaemon { daemon, client in
            try await Self.ingestSome(client)
            let expected = try await Self.everyArticle(client)
            let run = try await CLIRun.folio(["export", "--format", "mentions", "--output",
                                              daemon.directory.appendingPathComponent("m.csv").path],
                                             socket: daemon.socketPath)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let text = try String(contentsOf: daemon.directory.appendingPathComponent("m.csv"), encoding: .utf8)
            let rows = csvRows(text)
            #expect(rows.first == ["article_id", "type", "text", "normalized", "field", "paragraph", "start", "end"])
            var perArticle: [String: Int] = [:]
            for row in rows.dropFirst() {
                perArticle[row[0], default: 0] += 1
                let article = try #require(expected[row[0]])
                let start = try #require(Int(row[6])), end = try #require(Int(row[7]))
                #expect(row[2].unicodeScalars.count == end - start, "\(row)")
                #expect(!row[2].isEmpty)
                if row[4] == "body", let paragraph = Int(row[5]) {
                    let scalars = Array((article.lead + article.body)[paragraph].text.unicodeScalars)
                    #expect(String(String.UnicodeScalarView(scalars[start..<end])) == row[2])
                }
                #expect(article.entities.contains { $0.normalized == row[3] })
            }
            let want = expected.compactMapValues { article -> Int? in
                let count = article.entities.reduce(0) { $0 + $1.mentions.count }
                return count > 0 ? count : nil
            }
            #expect(perArticle == want)
            #expect(want.values.reduce(0, +) > 50)
        }
    }
}

/// Collects a stream on a plain task (the integration tests keep blocking work off the pool).
func offPoolCollect<S: AsyncSequence>(_ stream: S) async throws -> [S.Element] {
    var items: [S.Element] = []
    for try await item in stream { items.append(item) }
    return items
}
