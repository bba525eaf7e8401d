import ArgumentParser
import FolioClient
import FolioModel
import FolioParser
import FolioPDF
import Foundation

/// `folio ingest FILE|DIR…`: uploads pages to foliod, several at once, and prints each page id.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store pages in foliod (files, or folders of .txt and .pdf files).",
        discussion: """
            Prints one line per acknowledged page: its id, the file and the article count \
            (--json: one IngestResponse per line). Exits 0 only when every page was acknowledged; \
            when pages failed for one reason, with its code below, for different reasons with 1. \
            A PDF is read through its text layer and sends one page per PDF page (id: its path \
            inside the folder ingested, or as a manifest row names it, else its file stem, and the \
            page label, shown as FILE#N; from standard input pdf- and a hash of its bytes; a \
            manifest row's id for a PDF of several pages is the stem); a PDF with no text layer is \
            refused and nothing of it is stored. A manifest row may name one page of a PDF as \
            FILE.pdf#N (N from 1) and give that page its own publication, date, page_label and id; a \
            PDF named by page sends only the pages named. A PDF named both whole and by page, a page \
            it does not have or a page named twice is an error naming the manifest line, and \
            nothing is stored. With --replace, a PDF stored again loses the pages it no longer has \
            (a line each: removed); a PDF named by page keeps the stored pages its rows leave out.
            \(daemonExitCodesHelp)
            """
    )

    @Argument(help: ArgumentHelp("Page files or PDFs, folders searched recursively for *.txt and *.pdf, or - for standard input.",
                                 valueName: "path"))
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "A batch: CSV (header row) or JSON lines with file, publication, date, page_label, id per page (file: FILE.pdf#N for page N of a PDF).",
        valueName: "file"))
    var manifest: String?

    @OptionGroup var encoding: EncodingOption

    @Option(name: .long, help: "Uploads in flight at once.")
    var concurrency = 4

    @Option(name: .long, help: "Publication name stored with every page.")
    var publication: String?

    @Option(name: .long, help: "Page date (YYYY-MM-DD) stored with every page.")
    var date: String?

    @Option(name: .customLong("page-label"), help: "Page label (e.g. 01, A3); only with a single file.")
    var pageLabel: String?

    @Option(name: .customLong("id"), help: "Page id to store under; only with a single file.")
    var pageID: String?

    @Flag(name: .long, help: "Overwrite a stored page that has the same id (otherwise it is refused).")
    var replace = false

    @Flag(name: .long, help: "Print one IngestResponse per line as JSON.")
    var json = false

    @Flag(name: .customLong("no-progress"), help: "Never draw the progress bar.")
    var noProgress = false

    @OptionGroup var connection: DaemonConnectionOptions

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        if paths.isEmpty && manifest == nil { throw ValidationError("give page files or folders, - or --manifest FILE") }
        if let date, !ParseCommand.isISODate(date) { throw ValidationError("--date must be YYYY-MM-DD, got '\(date)'") }
        if pageID?.isEmpty == true { throw ValidationError("--id must not be empty") }
    }

    func run() async throws {
        let listed: [PageManifest.Entry]
        do {
            listed = try manifest.map(PageManifest.load)?.entries ?? []
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(DaemonExit.failure)
        }
        let rows = ManifestRows(listed)
        let found = try PageFiles.collect(paths)
        found.refused.forEach { Terminal.error($0) }
        let files = found.files + rows.files
        if files.count != 1 && (pageID != nil || pageLabel != nil) {
            throw ValidationError("--id and --page-label need exactly one page file (found \(files.count))")
        }
        guard !files.isEmpty else {
            Terminal.error("no page files found in \(paths.joined(separator: " "))")
            throw ExitCode(DaemonExit.failure)
        }
        let expanded = PageUploads.expand(files, only: rows.pages)
        let uploads = expanded.uploads
        if uploads.count > 1 && uploads.count != files.count && (pageID != nil || pageLabel != nil) {
            throw ValidationError("--id and --page-label need exactly one page (a PDF of \(uploads.count) pages was given)")
        }
        // A row naming a whole PDF of several pages cannot give them one label: each carries its
        // own, or gets one from a row of its own (FILE.pdf#N).
        var problems = rows.problems + rows.missingPages(pageCounts: expanded.pageCounts, uploads: uploads)
        var labelled: Set<String> = []
        for page in uploads where page.pagesInFile > 1 {
            guard let entry = rows.entry(for: page), entry.page == nil, entry.pageLabel != nil,
                  labelled.insert(page.file).inserted else { continue }
            problems.append("\(entry.place): \(page.file): a manifest's page_label needs a single page, and this PDF has "
                + "\(page.pagesInFile) (each carries its own label; a row per page, \(page.file)#1 and on, labels each)")
        }
        // A manifest's rows are data, not usage: exit 1 like its other faults (a bad date, page 0).
        guard problems.isEmpty else {
            problems.forEach { Terminal.error($0) }
            Terminal.error("nothing was ingested")
            throw ExitCode(DaemonExit.failure)
        }
        // Two inputs named alike (a/x.txt and b/x.txt given one by one: ids come from file names)
        // would be one page: the second refused, or with --replace the first lost.
        var named: [String: String] = [:]
        var clashes: [String] = []
        for page in uploads {
            guard let id = plannedID(page, source: found.sources[page.file], entry: rows.entry(for: page)) else { continue }
            if let other = named[id], other != page.shown { clashes.append("\(other) and \(page.shown) would both be page \(id)") }
            named[id] = named[id] ?? page.shown
        }
        guard clashes.isEmpty else {
            clashes.forEach { Terminal.error($0) }
            Terminal.error("nothing was ingested: give them ids of their own (a manifest's id column), or ingest them apart")
            throw ExitCode(DaemonExit.failure)
        }
        let refused = expanded.refused + found.refused.count
        let total = uploads.count + refused
        let progress = IngestProgress(total: total, enabled: Terminal.stderrIsTTY && !noProgress)
        var outcome = Outcome()
        if !uploads.isEmpty {
            outcome = try await connection.run { client in
                try await upload(uploads, sources: found.sources, rows: rows,
                                 partlySent: rows.partlyNamed(pageCounts: expanded.pageCounts).union(expanded.withRefusedPages),
                                 client: client, progress: progress)
            }
        }
        progress.finish()
        outcome.failed += refused
        if refused > 0 { outcome.failureCodes.insert(DaemonExit.failure) }
        if !outcome.failureCodes.isEmpty {
            if total > 1 { Terminal.error("\(outcome.failed) of \(total) pages were not acknowledged") }
            // One reason for every failure is its code; failures for different reasons are 1.
            throw ExitCode(outcome.failureCodes.count == 1 ? outcome.failureCodes.first! : DaemonExit.failure)
        }
    }

    /// One page's upload. A struct, not a `(String, Result<…>)` tuple: Swift 6.3.1 at -O
    /// miscompiles a throwing task group whose child closure returns such a tuple from both a
    /// `do` and its `catch` — `next()` then yields nothing or garbage (the release `folio ingest`
    /// printed no line, or crashed). Reproducer in the commit that introduced this type.
    private struct Attempt: Sendable {
        let file: String
        let shown: String
        let result: Result<Folio_V1_IngestResponse, any Error>
    }

    private struct Outcome {
        var failed = 0
        var failureCodes: Set<Int32> = []
        /// Per PDF file, the page ids stored from it; files with a page not stored are left out.
        var pdfPages: [String: Set<String>] = [:]
        var pdfFailed: Set<String> = []
    }

    /// `partlySent`: PDFs of which only some pages are sent (a manifest named the others not, or a
    /// page was refused): --replace drops none of their stored pages.
    private func upload(_ files: [PageUpload], sources: [String: String], rows: ManifestRows, partlySent: Set<String>,
                        client: FolioClient, progress: IngestProgress) async throws -> Outcome {
        // Connect first so that a missing daemon is one clear error, not one per file.
        try await client.connect()
        var outcome = Outcome()
        let pdfFiles = Set(files.filter { $0.pdfPage != nil }.map(\.file)).subtracting(partlySent)
        var lost: FolioError?
        var acknowledged = 0
        var inFlightWhenLost: [String] = []
        var notSent: [String] = []
        try await withThrowingTaskGroup(of: Attempt.self) { group in
            var pending = files[...]
            func startNext() {
                guard let page = pending.popFirst() else { return }
                let file = page.file, entry = rows.entry(for: page)
                group.addTask {
                    do {
                        return Attempt(file: file, shown: page.shown, result: .success(
                            try await ingest(page, source: sources[file], entry: entry, client: client)))
                    } catch {
                        return Attempt(file: file, shown: page.shown, result: .failure(error))
                    }
                }
            }
            for _ in 0..<min(concurrency, files.count) { startNext() }
            while let attempt = try await group.next() {
                let file = attempt.shown, result = attempt.result
                switch result {
                case .success(let response):
                    if pdfFiles.contains(attempt.file) { outcome.pdfPages[attempt.file, default: []].insert(response.pageID) }
                    progress.clear()
                    if json {
                        try Terminal.json(response)
                    } else {
                        let replaced = response.replaced ? ", replaced" : ""
                        Terminal.out("\(response.pageID)\t\(PageFolder.oneField(file))\t\(response.articleIds.count) articles\(replaced)")
                    }
                    // Each acknowledged page reaches the log at once: an import stopped by Ctrl-C or
                    // SIGTERM leaves a log of what was stored, not an empty buffer.
                    StandardOutput.shared.flush()
                    acknowledged += 1
                    progress.advance(failed: false)
                case .failure(let error):
                    if let folio = error as? FolioError, folio.kind == .cannotConnect || folio.kind == .connectionLost {
                        // The daemon went away: nothing else will succeed. Start nothing more, let
                        // the calls in flight end, then say what became of every page.
                        lost = lost ?? folio
                        if folio.kind == .connectionLost && !Self.refusedAtConnect(folio) { inFlightWhenLost.append(file) } else { notSent.append(file) }
                        notSent += pending.map(\.shown)
                        pending = []
                        continue
                    }
                    outcome.pdfFailed.insert(attempt.file)
                    progress.clear()
                    Terminal.error("\(file): \((error as? FolioError).map(Self.explained) ?? "\(error)")")
                    outcome.failed += 1
                    outcome.failureCodes.insert((error as? FolioError).map(DaemonExit.code(for:)) ?? DaemonExit.failure)
                    progress.advance(failed: true)
                }
                startNext()
            }
        }
        if let lost {
            progress.clear()
            Self.reportLoss(lost, acknowledged: acknowledged, refused: outcome.failed, total: files.count,
                            inFlight: inFlightWhenLost, notSent: notSent)
            throw lost
        }
        if replace { try await removeDroppedPDFPages(outcome, sources: sources, client: client) }
        return outcome
    }

    /// A failure's message; a write of unknown outcome says how to learn it.
    static func explained(_ error: FolioError) -> String {
        guard error.kind == .outcomeUnknown else { return error.message }
        return error.message + ": the page may have been stored or not; check with folio list or folio page ID, or run the "
            + "same command again (a page already stored is acknowledged again, not stored twice)"
    }

    /// foliod refused the connection at its connection limits (per uid, or in all): it read nothing
    /// from it, so no call sent on it was stored (docs/protocol.md).
    static func refusedAtConnect(_ error: FolioError) -> Bool {
        error.kind == .connectionLost && error.code == .resourceExhausted && error.message.contains("too many connections")
    }

    /// What became of an import whose connection was lost: pages acknowledged (stored), in flight
    /// (stored or not: the answer was lost), never sent, and how to finish.
    static func reportLoss(_ error: FolioError, acknowledged: Int, refused: Int, total: Int, inFlight: [String], notSent: [String]) {
        if refusedAtConnect(error) {
            Terminal.error("foliod refused the connection: \(acknowledged) of \(total) pages acknowledged, \(refused) refused, "
                           + "\(inFlight.count + notSent.count) not sent")
        } else {
            Terminal.error("foliod went away during the import: \(acknowledged) of \(total) pages acknowledged, \(refused) refused, "
                           + "\(inFlight.count) in flight (stored or not), \(notSent.count) not sent")
        }
        let shown = 20
        for file in (inFlight + notSent).prefix(shown) { Terminal.error("not acknowledged: \(file)") }
        if inFlight.count + notSent.count > shown { Terminal.error("… and \(inFlight.count + notSent.count - shown) more not acknowledged") }
        Terminal.error(refusedAtConnect(error)
            ? "run the same command again once fewer connections are open to foliod: a page already stored is acknowledged again, not stored twice"
            : "run the same command again once foliod is back: a page already stored is acknowledged again, not stored twice")
    }

    /// A PDF stored again with --replace: its pages it no longer has (a revised edition of fewer
    /// pages) are deleted, or they would be served beside the new ones. Only for a PDF whose every
    /// page was stored; the stored pages it had are those sent under its source name with ids of
    /// its own (its stem and a label, as the ids just given): pages stored under a manifest's
    /// names, or from another PDF of the same name under other ids, are not its to drop.
    private func removeDroppedPDFPages(_ outcome: Outcome, sources: [String: String], client: FolioClient) async throws {
        var kept: [String: (file: String, ids: Set<String>, stems: Set<Substring>)] = [:]
        for (file, ids) in outcome.pdfPages where !outcome.pdfFailed.contains(file) {
            kept[Self.source(of: file, found: sources[file])] = (file, ids, Set(ids.compactMap(Self.idStem)))
        }
        guard !kept.isEmpty else { return }
        var dropped: [(id: String, file: String)] = []
        var request = Folio_V1_ListPagesRequest()
        request.pageSize = 1000
        repeat {
            let listed = try await client.listPages(request)
            for page in listed.pages {
                if let pdf = kept[page.source], !pdf.ids.contains(page.id), let stem = Self.idStem(page.id), pdf.stems.contains(stem) {
                    dropped.append((page.id, pdf.file))
                }
            }
            request.pageToken = listed.nextPageToken
        } while !request.pageToken.isEmpty
        for page in dropped {
            let deleted = try await client.deletePage(id: page.id)
            Terminal.out("\(deleted.pageID)\t\(PageFolder.oneField(page.file))\t\(deleted.articlesRemoved) articles removed: the PDF no longer has this page")
        }
    }

    private func ingest(_ page: PageUpload, source: String?, entry: PageManifest.Entry?,
                        client: FolioClient) async throws -> Folio_V1_IngestResponse {
        let file = page.file
        var request = Folio_V1_IngestRequest()
        if let pdfPage = page.pdfPage {
            request.text = PDFInput.text(pdfPage)
        } else if let bytes = page.standardInput {
            request.text = try PageInput.text(bytes, encoding: encoding.encoding, name: "standard input").get()
        } else {
            request.text = try PageFiles.read(file, encoding: encoding.encoding)
        }
        request.source = Self.source(of: file, found: source)
        if let id = explicitID(page, source: source, entry: entry) { request.pageID = id }
        if let pdfPage = page.pdfPage { request.info.pageLabel = PDFInput.infoLabel(pdfPage, number: page.pageNumber ?? 1) }
        request.replace = replace
        if let publication { request.info.publication = publication }
        if let date { request.info.date = date }
        if let pageLabel { request.info.pageLabel = pageLabel }
        // A manifest row is this page's own metadata: it wins over the flags given for all pages.
        if let entry {
            if let publication = entry.publication { request.info.publication = publication }
            if let date = entry.date { request.info.date = date }
            if let label = entry.pageLabel { request.info.pageLabel = label }
        }
        return try await client.ingest(request)
    }

    /// The name sent with a page: its path inside the folder it was found in, else the file's name
    /// (standard input has none: foliod derives the page id from the text).
    /// A PDF page's id less its label (`report-3` → `report`).
    static func idStem(_ id: String) -> Substring? {
        id.lastIndex(of: "-").map { id[..<$0] }
    }

    private static func source(of file: String, found: String?) -> String {
        found ?? (file == PageInput.standardInput ? "" : (file as NSString).lastPathComponent)
    }

    /// The page id the request names, when it names one: a manifest row's, else --id, else a PDF
    /// page's (from its label), else a page in a subfolder's (from its whole relative path, so that
    /// a/01.txt and b/01.txt stay two pages).
    private func explicitID(_ page: PageUpload, source: String?, entry: PageManifest.Entry?) -> String? {
        if let id = entry?.id {
            // A row for a whole PDF of several pages: its id names the paper, each page adds its
            // label (id-a2). A row for one page (FILE.pdf#N) names that page.
            guard entry?.page == nil, page.pagesInFile > 1, let pdfPage = page.pdfPage else { return id }
            return PageIdentity.id(fromRelativePath: id + "/" + pdfPage.label) ?? id
        }
        if let pageID { return pageID }
        // The path inside the folder it was found in, or as a manifest row names it (relative to the
        // manifest): 1998/01/05/page-03.txt and 1998/01/06/page-03.txt stay two pages either way.
        let relative = source ?? entry?.relative
        let name = relative ?? Self.source(of: page.file, found: nil)
        if let pdfPage = page.pdfPage, let id = PDFInput.pageID(file: page.document ?? page.file, relative: relative, label: pdfPage.label) {
            return id
        }
        return name.contains("/") ? PageIdentity.id(fromRelativePath: name) : nil
    }


    /// The id the page will be stored under, as foliod derives it when the request names none;
    /// nil when it comes from the text (standard input, a name without letters or digits).
    private func plannedID(_ page: PageUpload, source: String?, entry: PageManifest.Entry?) -> String? {
        explicitID(page, source: source, entry: entry) ?? PageIdentity.id(fromSource: Self.source(of: page.file, found: source))
    }
}

/// Finding and reading page files.
enum PageFiles {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Files as given, plus the page files of the given folders (`PageFolder`), with the source name
    /// of each file found in a folder: its path inside that folder; and what could not be taken.
    static func collect(_ paths: [String]) throws -> (files: [String], sources: [String: String], refused: [String]) {
        var files: [String] = []
        var sources: [String: String] = [:]
        var refused: [String] = []
        for path in paths {
            if path == PageInput.standardInput {
                files.append(path)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                // An argument that was not UTF-8 reaches us with U+FFFD where its bytes were.
                let why = path.unicodeScalars.contains("\u{FFFD}")
                    ? " (its name is not UTF-8, which folio needs: rename it, e.g. with convmv -f gbk -t utf-8)" : ""
                Terminal.error("\(path): no such file or folder\(why)")
                throw ExitCode(DaemonExit.failure)
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let folder = PageFolder(root: path)
            for (file, source) in folder.files {
                files.append(file)
                sources[file] = source
            }
            refused += folder.refused
        }
        return (files, sources, refused)
    }

    static func read(_ file: String, encoding: PageEncoding?) throws -> String {
        switch PageInput.text(file, encoding: encoding) {
        case .success(let text): return text
        case .failure(let error): throw ReadError(description: error.message)
        }
    }
}
