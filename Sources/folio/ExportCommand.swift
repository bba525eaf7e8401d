import ArgumentParser
import FolioBuildInfo
import FolioClient
import FolioModel
import Foundation

/// `folio export`: the whole archive, or the articles a filter selects, in one ExportArticles
/// stream: NDJSON (full articles), CSV (one row per article) or CSV of entity mentions.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export articles: NDJSON (whole articles), CSV per article, or CSV per entity mention.",
        discussion: """
            One ExportArticles call streams every selected article. Formats: ndjson (one Article per \
            line, proto3 JSON), csv (\(ExportRows.articleColumns.joined(separator: ","))) and mentions \
            (\(ExportRows.mentionColumns.joined(separator: ","))). Offsets are Unicode scalars into the \
            field named (paragraph indexes lead then body; caption indexes captions). --timeout bounds \
            the whole export (default: none). A progress line is drawn on stderr when it is a terminal. \
            folio stops reading foliod's answers while 16 MiB of them wait for its output: a reader of \
            the output that pauses for longer than foliod's --write-timeout (30 s) gets the export cut, \
            which folio says, with exit 1.
            \(daemonExitCodesHelp)
            """
    )

    enum Format: String, CaseIterable, ExpressibleByArgument {
        case ndjson, csv, mentions
    }

    @Option(name: .shortAndLong, help: "ndjson, csv or mentions.")
    var format: Format = .ndjson

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: "Only articles of this section (the rubric, or the page header's where no rubric is).") var section: String?
    @Option(name: .long, help: "Only articles by this author.") var author: String?
    @Option(name: .customLong("from"), help: ArgumentHelp("First page date, YYYY-MM-DD.", valueName: "date"))
    var dateFrom: String?
    @Option(name: .customLong("to"), help: ArgumentHelp("Last page date, YYYY-MM-DD.", valueName: "date"))
    var dateTo: String?
    @Option(name: .customLong("page"), help: ArgumentHelp("Only articles of this page id.", valueName: "id"))
    var pageID: String?
    @Option(name: .long, help: "Only articles mentioning this entity (its key or any form it is printed in, either script).") var entity: String?

    @Option(name: .long, help: "Text form: original, simplified, traditional or taiwan.")
    var script: DaemonScript = .original

    @Flag(name: .customLong("no-progress"), help: "Never draw the progress line.")
    var noProgress = false

    @OptionGroup var connection: DaemonConnectionOptions

    func validate() throws {
        for date in [dateFrom, dateTo].compactMap({ $0 }) where !ParseCommand.isISODate(date) {
            throw ValidationError("dates must be YYYY-MM-DD, got '\(date)'")
        }
    }

    func run() async throws {
        var request = Folio_V1_ExportArticlesRequest()
        if let section { request.filter.section = section }
        if let author { request.filter.author = author }
        if let dateFrom { request.filter.dateFrom = dateFrom }
        if let dateTo { request.filter.dateTo = dateTo }
        if let pageID { request.filter.pageID = pageID }
        if let entity { request.filter.entity = entity }
        request.script = script.proto

        let sink: ExportSink
        do {
            sink = try ExportSink(path: output)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(DaemonExit.failure)
        }
        let showProgress = Terminal.stderrIsTTY && !noProgress && !(output == nil && Terminal.stdoutIsTTY)
        let written: Int
        do {
            written = try await export(request, to: sink, showProgress: showProgress)
        } catch {
            sink.discard()
            throw error
        }
        do {
            try sink.close()
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(DaemonExit.failure)
        }
        if output != nil && Terminal.stderrIsTTY { StandardError.write("\(written) articles\n") }
    }

    /// Streams the articles into `sink`; returns how many.
    private func export(_ request: Folio_V1_ExportArticlesRequest, to sink: ExportSink, showProgress: Bool) async throws -> Int {
        try await connection.run(defaultTimeout: nil) { client in
            var total: UInt32 = 0
            if showProgress {  // one small call for the bar's denominator
                var count = request.filter
                count.pageSize = 1
                total = try await client.listArticles(count).total
            }
            let progress = ExportProgress(total: Int(total), enabled: showProgress)
            if format != .ndjson {
                sink.write(ExportRows.csvLine(format == .csv ? ExportRows.articleColumns : ExportRows.mentionColumns))
            }
            var articles = 0
            do {
                for try await article in client.serverStream(.exportArticles, request, of: Folio_V1_Article.self) {
                    switch format {
                    case .ndjson: sink.write(try FolioJSON.string(article) + "\n")
                    case .csv: sink.write(ExportRows.csvLine(ExportRows.articleRow(article)))
                    case .mentions:
                        for row in ExportRows.mentionRows(article) { sink.write(ExportRows.csvLine(row)) }
                    }
                    articles += 1
                    progress.advance(to: articles)
                }
            } catch let error as FolioError where Self.cutShort(error) && sink.longestStall >= Self.telltaleStall {
                progress.finish()
                Terminal.error(Self.cutForUnreadOutput(error, stall: sink.longestStall, to: output))
                throw ExitCode(DaemonExit.failure)
            }
            progress.finish()
            return articles
        }
    }

    /// An output blocked this long while the connection was lost is the likely cause: folio stops
    /// reading foliod's answers once `streamReadAhead` (16 MiB) of them wait for its output, and
    /// foliod closes a connection whose answers go unread for its --write-timeout (30 s by default).
    static let telltaleStall: Duration = .seconds(1)

    /// foliod closed the connection: between frames (lost) or inside one (a frame cut short).
    static func cutShort(_ error: FolioError) -> Bool {
        error.kind == .connectionLost || (error.kind == .protocolViolation && error.message.contains("closed inside a frame"))
    }

    /// The lost export explained: folio's own output, not foliod, stopped it.
    static func cutForUnreadOutput(_ error: FolioError, stall: Duration, to output: String?) -> String {
        let seconds = Double(stall.components.seconds) + Double(stall.components.attoseconds) / 1e18
        let held = String(format: "%.1f", seconds)
        let reader = output.map { "output to \($0) was blocked" } ?? "standard output was not read"
        let advice = output == nil ? "Read folio's output steadily (or export to a file with -o and read that)"
                                   : "Write the export where it is taken faster"
        return "foliod closed the export: folio's \(reader) for \(held) s, so folio stopped reading foliod's answers, and "
            + "foliod ends a connection whose answers go unread for its write timeout (--write-timeout, 30 s by default). "
            + "\(advice), or raise foliod's --write-timeout (\(error.message))"
    }
}

/// Buffered output to standard output or a file. Standard output is folio's own (a reader that
/// went away ends folio by SIGPIPE, as every command; another write error with its reason and exit
/// 1). A regular file is written beside it under a temporary name and renamed over it when the
/// export is whole: an export that fails (no daemon, a lost connection) leaves the previous file as it was.
final class ExportSink {
    struct WriteError: Error, CustomStringConvertible { let description: String }

    /// nil: standard output.
    private let file: UnsafeMutablePointer<FILE>?
    private let path: String?
    /// The file written until `close` renames it to `path` (nil: `path` itself, not a regular file).
    private var temporary: String?
    private var buffer: [UInt8] = []
    /// The longest a single write waited for the output to take it (a pipe whose reader paused):
    /// `ExportCommand.cutForUnreadOutput` names it when foliod then cut the export.
    private(set) var longestStall: Duration = .zero

    init(path: String?) throws {
        self.path = path
        guard let path else {
            file = nil
            return
        }
        var existing = stat()
        let exists = stat(path, &existing) == 0
        if exists && existing.st_mode & S_IFMT != S_IFREG {
            // A device or a pipe (/dev/null, a FIFO): written as it is, never replaced.
            guard let opened = fopen(path, "w") else { throw Self.cannotWrite(path) }
            file = opened
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\((path as NSString).lastPathComponent).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw Self.cannotWrite(path) }
        if exists { fchmod(fd, existing.st_mode & 0o7777) }
        guard let opened = fdopen(fd, "w") else {
            Foundation.close(fd)
            unlink(temporary)
            throw Self.cannotWrite(path)
        }
        file = opened
        self.temporary = temporary
        TemporaryFile.removeOnSignal(temporary)
    }

    private static func cannotWrite(_ path: String) -> WriteError {
        WriteError(description: "\(path): cannot write (\(String(cString: strerror(errno))))")
    }

    func write(_ text: String) {
        let started = ContinuousClock.now
        defer { longestStall = max(longestStall, ContinuousClock.now - started) }
        guard file != nil else { return StandardOutput.shared.write(text) }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        guard let file else { return }
        if !buffer.isEmpty { _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) } }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        guard let file, let path else { return StandardOutput.shared.flush() }
        flush()
        var failed = fflush(file) != 0 || ferror(file) != 0
        let reason = failed ? String(cString: strerror(errno)) : ""
        failed = fclose(file) != 0 || failed
        if let temporary {
            self.temporary = nil
            if failed || rename(temporary, path) != 0 {
                unlink(temporary)
                failed = true
            }
            TemporaryFile.removeOnSignal(nil)
        }
        if failed { throw WriteError(description: "\(path): write failed\(reason.isEmpty ? "" : " (\(reason))")") }
    }

    /// The export failed: its temporary file goes, the file it would have replaced stays.
    func discard() {
        guard let temporary, let file else { return }
        self.temporary = nil
        fclose(file)
        unlink(temporary)
        TemporaryFile.removeOnSignal(nil)
    }
}

/// The one temporary file folio may have open, removed when folio is ended by SIGINT, SIGTERM or
/// SIGHUP (Ctrl-C, kill, a closed terminal), which then still end it as before (exit 130/143/129).
/// Only SIGKILL leaves it behind.
enum TemporaryFile {
    /// A C string for the handler: unlink(2) is async-signal-safe, Swift strings are not.
    nonisolated(unsafe) private static var path: UnsafeMutablePointer<CChar>?
    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// `temporary` nil: nothing to remove any more (renamed or removed already).
    static func removeOnSignal(_ temporary: String?) {
        let previous = path
        path = temporary.map { strdup($0) }
        free(previous)
        for number in signals {
            var action = sigaction()
            sigaction(number, nil, &action)
            // A signal folio was started ignoring (nohup, `&` in a script) stays ignored.
            if let handler = action.__sigaction_handler.sa_handler,
               unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            signal(number, temporary == nil ? SIG_DFL : { number in
                if let path = TemporaryFile.path { unlink(path) }
                // Default again and raised anew: delivered once this handler returns, ending folio by it.
                signal(number, SIG_DFL)
                raise(number)
            })
        }
    }
}

/// The progress line of `folio export` on stderr.
final class ExportProgress {
    private let total: Int
    private let enabled: Bool
    private let started = ContinuousClock.now
    private var lastDraw = ContinuousClock.now

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func advance(to done: Int) {
        guard enabled, ContinuousClock.now - lastDraw > .milliseconds(100) || done == total else { return }
        lastDraw = ContinuousClock.now
        let width = 30
        let filled = total > 0 ? min(width, done * width / total) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let seconds = Double((ContinuousClock.now - started).components.seconds) + 1e-9
        Terminal.status("\(bar) \(done)/\(total) articles  \(Int(Double(done) / seconds))/s")
    }

    func finish() {
        if enabled { Terminal.clearStatus() }
    }
}
