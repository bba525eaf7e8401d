import ArgumentParser
import FolioClient
import FolioModel

/// `folio search QUERY`: ranked hits with highlighted snippets.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the articles foliod serves.",
        discussion: """
            Query syntax: terms (either script: a word also finds its other script's phrase form, 计划 Taiwan's 計畫; any width; accents or not: Muller finds Müller), "quoted phrases" (a space inside one must \
            meet spaces or punctuation in the text, not two words run together), -exclusions (a \
            minus before a digit is a negative number: -5℃), OR, section: author: \
            date:2022-10-01..2022-11-30 page: entity:; a “ or 「 never closed is text. \
            --json prints the SearchResponse; --ndjson one SearchHit per line (the only form with \
            --stream, which prints hits as foliod finds them and knows no total).
            \(daemonExitCodesHelp)
            """
    )

    /// `.allUnrecognized`: an exclusion such as `-沈阳` is query text, not an unknown option.
    @Argument(parsing: .allUnrecognized,
              help: "The query (several words are joined with spaces; -word excludes, no quoting needed).")
    var query: [String]

    /// Unset: a page of 10 hits, or with --stream every hit (SearchStream's limit 0).
    @Option(name: .shortAndLong, help: "Hits per page (default 10; foliod caps it at 1000); with --stream, the most hits to stream (default: every hit).")
    var limit: UInt32?

    @Option(name: .customLong("page-token"), help: "Continue from a previous answer's next page token.")
    var pageToken: String?

    @Option(name: .customLong("snippet-chars"), help: "Snippet length in characters.")
    var snippetChars: UInt32?

    @Flag(name: .long, help: "Use SearchStream: print hits as foliod finds them.")
    var stream = false

    @OptionGroup var output: DaemonOutputOptions
    @OptionGroup var connection: DaemonConnectionOptions

    func validate() throws {
        let words = query.filter { $0 != "--" }
        if words.isEmpty { throw ValidationError("Missing expected argument '<query> ...'") }
        // Exclusions take one dash; a double-dash word is a mistyped option, not a query.
        if let unknown = words.first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("Unknown option '\(unknown)'")
        }
        // A stream has hits but no SearchResponse (no total): one document would misstate it.
        if stream && output.json {
            throw ValidationError("--stream prints hits as they come: use --ndjson with it (one SearchHit per line), or drop --stream for --json's SearchResponse")
        }
    }

    func run() async throws {
        let query = self.query.filter { $0 != "--" }
        var request = Folio_V1_SearchRequest()
        request.query = query.joined(separator: " ")
        // A stream has no pages: without --limit it gives every hit (limit 0), not a page's worth.
        request.limit = limit ?? (stream ? 0 : 10)
        request.script = output.script.proto
        if let pageToken { request.pageToken = pageToken }
        if let snippetChars { request.snippetChars = snippetChars }
        try await connection.run { client in
            if stream {
                var rank = 0
                for try await hit in client.searchStream(request) {
                    rank += 1
                    try printHit(hit, rank: rank)
                }
                if !output.machineReadable && rank == 0 { Terminal.out("no hits") }
                return
            }
            let response = try await client.search(request)
            if output.json { return try Terminal.json(response) }
            if output.ndjson {
                for hit in response.hits { try Terminal.json(hit) }
                return
            }
            printHuman(response)
        }
    }

    private func printHit(_ hit: Folio_V1_SearchHit, rank: Int) throws {
        if output.machineReadable { return try Terminal.json(hit) }
        HitPrinter.print(hit, rank: rank)
    }

    private func printHuman(_ response: Folio_V1_SearchResponse) {
        guard !response.hits.isEmpty else {
            Terminal.out("no hits (\(response.total) total)")
            return
        }
        let first = Int(max(response.firstRank, 1))
        for (index, hit) in response.hits.enumerated() { HitPrinter.print(hit, rank: first + index) }
        let shown = "\(first)–\(first + response.hits.count - 1) of \(response.total)"
        let took = String(format: "%.2f ms", Double(response.tookMicros) / 1000)
        Terminal.out(Terminal.dim("\(shown) hits, \(took)"))
        if !response.nextPageToken.isEmpty {
            Terminal.out(Terminal.dim("more: folio search --page-token \(response.nextPageToken) …"))
        }
    }

}

/// Human rendering of one hit: rank, headline, where it is, and the snippet with its highlights.
enum HitPrinter {
    static func print(_ hit: Folio_V1_SearchHit, rank: Int) {
        let headline = hit.headline.isEmpty ? "(no headline)" : hit.headline
        Terminal.out("\(rank). \(Terminal.bold(headline))  \(Terminal.dim(String(format: "%.3f", hit.score)))")
        let place = [hit.articleID, hit.date, hit.section].filter { !$0.isEmpty }.joined(separator: " · ")
        Terminal.out("   \(Terminal.dim(place))")
        if !hit.snippet.isEmpty {
            Terminal.out("   \(highlighted(hit.snippet, hit.highlights))")
        }
    }

    /// Marks the highlight ranges (Unicode-scalar offsets, end exclusive) of a snippet. Off a
    /// terminal the text is printed as is. Out-of-range or overlapping ranges are clipped.
    static func highlighted(_ snippet: String, _ ranges: [Folio_V1_Highlight]) -> String {
        guard Terminal.styled, !ranges.isEmpty else { return snippet }
        let scalars = Array(snippet.unicodeScalars)
        var result = ""
        var cursor = 0
        for range in ranges.sorted(by: { $0.start < $1.start }) {
            let start = max(cursor, min(Int(range.start), scalars.count))
            let end = max(start, min(Int(range.end), scalars.count))
            guard end > start else { continue }
            result += String(String.UnicodeScalarView(scalars[cursor..<start]))
            result += Terminal.highlight(String(String.UnicodeScalarView(scalars[start..<end])))
            cursor = end
        }
        result += String(String.UnicodeScalarView(scalars[cursor...]))
        return result
    }
}

import Foundation
