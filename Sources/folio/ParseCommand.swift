import ArgumentParser
import FolioBuildInfo
import FolioModel
import FolioParser
import FolioPDF
import FolioText
import Foundation

/// `folio parse FILE… [--json] [--script S] [--date YYYY-MM-DD]`: parse pages offline.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse page text files into articles (offline, no daemon).",
        discussion: """
        Prints a readable tree by default, the Page in proto3 JSON with --json (one object per
        file; several files give one JSON object per line). A PDF is read through its text layer
        and gives one page per PDF page (--page N: only page N); --pdf-text prints the page text
        read from it instead of parsing it (Folio's laid-out form: one page of it, e.g. with \
        --page N, is page text that `folio parse` and `folio ingest` read again; several pages \
        are separated by form feeds and `page N label L` lines). Exit status: 0 when every file was
        parsed, 1 when some file could not be read or parsed (error diagnostics, named on stderr), 64 on bad usage.
        """
    )

    @Argument(help: "Page text files (UTF-8, UTF-16 with a BOM, GB18030 or Big5), PDFs, or - for standard input.")
    var files: [String]

    @OptionGroup var encoding: EncodingOption

    @Flag(help: "Print the Page as proto3 JSON.")
    var json = false

    @Option(help: "Script of the printed text: original, simplified, traditional or taiwan.")
    var script: String = "original"

    @Option(help: "Page date YYYY-MM-DD (otherwise guessed from the file name).")
    var date: String?

    @Option(help: ArgumentHelp("Only page N (from 1) of a PDF.", valueName: "N"))
    var page: Int?

    @Flag(name: .customLong("pdf-text"), help: "Print the text read from a PDF's pages instead of parsing it.")
    var pdfText = false

    @Flag(name: .customLong("rule-names"), help: "Find people, places and organizations by the hand-written rules alone (the default before the learnt tagger).")
    var ruleNames = false

    func validate() throws {
        guard OutputForm(name: script) != nil else {
            throw ValidationError("unknown --script '\(script)': use original, simplified, traditional or taiwan")
        }
        if let date, !Self.isISODate(date) {
            throw ValidationError("--date must be YYYY-MM-DD, got '\(date)'")
        }
    }

    func run() throws {
        let form = OutputForm(name: script) ?? .original
        let parser = ruleNames ? PageParser(entityRecognizer: .rules) : PageParser()
        var failed = false
        for path in files {
            switch readPage(path) {
            case .failure(let error) where path == PageInput.standardInput:
                StandardError.write("folio parse: standard input: \(error.message)\n")
                failed = true
            case .failure(let error):
                StandardError.write("folio parse: \(path): \(error.message)\n")
                failed = true
            case .success(let (data, repair)):
                let source = path == PageInput.standardInput ? "" : path
                switch PDFInput.pages(data, only: page) {
                case .none where path.lowercased().hasSuffix(".pdf"):
                    // As `folio ingest` says: a damaged download is not page text.
                    StandardError.write("folio parse: \(path): not a PDF (no %PDF- header)\n")
                    failed = true
                case .none where page != nil:
                    StandardError.write("folio parse: \(path): --page is for PDFs, and this is page text\n")
                    failed = true
                case .none:
                    var parsed = parser.parse(data: data, source: source, info: pageInfo(label: nil), pageID: nil)
                    if let repair {
                        // The reader's note names the bytes and their encoding: it stands for the parser's.
                        parsed.diagnostics.removeAll { $0.code == "input-repaired" && $0.message.contains("before the parse") }
                        parsed.diagnostics.insert(repair, at: 0)
                    }
                    if try !emit(parsed, form, name: path == PageInput.standardInput ? "standard input" : path) { failed = true }
                case .failure(let error):
                    StandardError.write("folio parse: \(path): \(error.message)\n")
                    failed = true
                case .success(let pages):
                    let document = PDFInput.documentName(file: path, bytes: data)
                    for (number, pdfPage) in pages {
                        if pdfText {
                            // One page alone stays page text that parses again (its first line marks the form).
                            let header = pages.count > 1 ? "\u{0C}page \(number) label \(pdfPage.label)\n" : ""
                            Terminal.write(header + PDFInput.text(pdfPage))
                            continue
                        }
                        guard pdfPage.hasText else {
                            StandardError.write("folio parse: \(path): page \(number): \(PDFInput.scannedPage)\n")
                            failed = true
                            continue
                        }
                        if let message = pdfPage.orientation.message {
                            StandardError.write("folio parse: \(path): page \(number): warning: \(message)\n")
                        }
                        let parsed = parser.parse(data: Array(PDFInput.text(pdfPage).utf8), source: source,
                                                  info: pageInfo(label: PDFInput.infoLabel(pdfPage, number: number)),
                                                  pageID: PDFInput.pageID(file: document, label: pdfPage.label))
                        if try !emit(parsed, form, name: "\(path): page \(number)") { failed = true }
                    }
                }
            }
        }
        if failed { throw ExitCode(1) }
    }

    private func pageInfo(label: String?) -> Folio_V1_PageInfo? {
        guard date != nil || label != nil else { return nil }
        var info = Folio_V1_PageInfo()
        if let date { info.date = date }
        if let label { info.pageLabel = label }
        return info
    }

    /// Prints the page; false when the parser reported an error on it, which stderr then names
    /// (a non-zero exit always says why there).
    private func emit(_ parsed: Folio_V1_Page, _ form: OutputForm, name: String) throws -> Bool {
        var page = parsed
        if form != .original { page = ScriptOutput.convert(page, to: form) }
        if json {
            Terminal.out(try FolioJSON.string(page))
        } else {
            Terminal.write(PageTree.render(page))
        }
        let errors = parsed.diagnostics.filter { $0.severity == .error }
        for error in errors {
            let line = error.line > 0 ? "line \(error.line): " : ""
            StandardError.write("folio parse: \(name): \(line)\(error.code): \(error.message)\n")
        }
        return errors.isEmpty
    }

    /// The page as UTF-8 bytes. Bytes no supported encoding decodes go to the parser as they
    /// are: its binary and invalid-UTF-8 diagnostics say what is wrong with them, line by line.
    /// PDF bytes stay as they are, for the PDF reader.
    private func readPage(_ path: String) -> Result<(bytes: [UInt8], repair: Folio_V1_Diagnostic?), PageInput.ReadError> {
        PageInput.bytes(path).flatMap { bytes in
            if PDFSniffer.looksLikePDF(bytes) { return .success((bytes, nil)) }
            switch PageDecoder.decode(bytes, encoding: encoding.encoding) {
            case .success(let decoded): return .success((Array(decoded.text.utf8), decoded.repairDiagnostic))
            case .failure(let error) where encoding.encoding != nil:
                return .failure(PageInput.ReadError(message: error.message))
            case .failure: return .success((bytes, nil))
            }
        }
    }

    static func isISODate(_ s: String) -> Bool { CalendarDay.isValid(s) }
}
