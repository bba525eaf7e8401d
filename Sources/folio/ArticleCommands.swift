import ArgumentParser
import FolioClient
import FolioModel

/// `folio get ID`: one article.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show one article (--json prints the Article).",
        discussion: daemonExitCodesHelp)

    @Argument(help: "The article id (e.g. <page id>-03).")
    var id: String

    @OptionGroup var output: DaemonOutputOptions
    @OptionGroup var connection: DaemonConnectionOptions

    func run() async throws {
        let article = try await connection.run { try await $0.getArticle(id: id, script: output.script.proto) }
        if output.machineReadable { return try Terminal.json(article) }
        ArticlePrinter.print(article)
    }
}

/// `folio page ID`: one page with its articles.
struct PageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "page", abstract: "Show one page (--json prints the Page).",
        discussion: daemonExitCodesHelp)

    @Argument(help: "The page id.")
    var id: String

    @OptionGroup var output: DaemonOutputOptions
    @OptionGroup var connection: DaemonConnectionOptions

    func run() async throws {
        let page = try await connection.run { try await $0.getPage(id: id, script: output.script.proto) }
        if output.machineReadable { return try Terminal.json(page) }
        ArticlePrinter.print(page)
    }
}

/// `folio list`: article summaries, filtered.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List articles (--json prints the ListArticlesResponse with the summaries).",
        discussion: "--ndjson prints one ArticleSummary per line.\n\(daemonExitCodesHelp)")

    @Option(name: .long, help: "Only this section: the rubric, or the page header's section where no rubric is.")
    var section: String?

    @Option(name: .long, help: "Only articles by this author.")
    var author: String?

    @Option(name: .long, help: "Only articles dated on or after this day (YYYY-MM-DD).")
    var from: String?

    @Option(name: .long, help: "Only articles dated on or before this day (YYYY-MM-DD).")
    var to: String?

    @Option(name: .long, help: "Only articles of this page id.")
    var page: String?

    @Option(name: .long, help: "Only articles mentioning this entity (its key or any form it is printed in, either script).")
    var entity: String?

    @Option(name: .shortAndLong, help: "Summaries per answer (foliod's default 50).")
    var limit: UInt32?

    @Option(name: .customLong("page-token"), help: "Continue from a previous answer's next page token.")
    var pageToken: String?

    @Flag(name: .long, help: "Follow page tokens until every matching article is listed; the total is then the number listed (from --page-token: foliod's total at the last answer).")
    var all = false

    @OptionGroup var output: DaemonOutputOptions
    @OptionGroup var connection: DaemonConnectionOptions

    func validate() throws {
        for date in [from, to].compactMap({ $0 }) where !ParseCommand.isISODate(date) {
            throw ValidationError("dates must be YYYY-MM-DD, got '\(date)'")
        }
    }

    func run() async throws {
        var request = Folio_V1_ListArticlesRequest()
        request.section = section ?? ""
        request.author = author ?? ""
        request.dateFrom = from ?? ""
        request.dateTo = to ?? ""
        request.pageID = page ?? ""
        request.entity = entity ?? ""
        request.pageSize = limit ?? 0
        request.pageToken = pageToken ?? ""
        request.script = output.script.proto
        let response = try await connection.run { client in
            var merged = try await client.listArticles(request)
            guard all else { return merged }
            var next = merged.nextPageToken
            while !next.isEmpty {
                request.pageToken = next
                let more = try await client.listArticles(request)
                merged.articles += more.articles
                merged.total = more.total
                next = more.nextPageToken
                merged.nextPageToken = next
            }
            // Writes during the walk move foliod's total (the first answer's says nothing of pages
            // added or deleted since): a walk from the start lists every article that stayed, once,
            // so its total is what it listed. One from --page-token keeps the last answer's total,
            // which counts the articles before the token too.
            if (pageToken ?? "").isEmpty { merged.total = UInt32(clamping: merged.articles.count) }
            return merged
        }
        if output.json { return try Terminal.json(response) }
        if output.ndjson {
            for summary in response.articles { try Terminal.json(summary) }
            return
        }
        for summary in response.articles {
            let authors = summary.authors.isEmpty ? "" : "  " + Terminal.dim(summary.authors.joined(separator: "、"))
            let headline = summary.headline.isEmpty ? "(no headline)" : summary.headline
            let section = summary.section.isEmpty ? "" : "[\(summary.section)] "
            Terminal.out("\(summary.id)  \(summary.date)  \(section)\(Terminal.bold(headline))\(authors)")
        }
        Terminal.out(Terminal.dim("\(response.articles.count) of \(response.total) articles"))
        Terminal.moreHint(response.nextPageToken, extra: " (or --all)")
    }
}
