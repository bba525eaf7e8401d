import ArgumentParser
import FolioModel
import FolioParser
import FolioText
import Foundation

/// `folio parse FILE… [--json] [--script S] [--date YYYY-MM-DD]`: parse pages offline.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse page text files into articles (offline, no daemon).",
        discussion: """
        Prints a readable tree by default, the Page in proto3 JSON with --json (one object per
        file; several files give one JSON object per line). Exit status: 0 when every file was
        parsed, 1 when some file could not be read or parsed (error diagnostics), 64 on bad usage.
        """
    )

    @Argument(help: "Page text files (UTF-8, UTF-16 with a BOM, GB18030 or Big5), or - for standard input.")
    var files: [String]

    @OptionGroup var encoding: EncodingOption

    @Flag(help: "Print the Page as proto3 JSON.")
    var json = false

    @Option(help: "Script of the printed text: original, simplified, traditional or taiwan.")
    var script: String = "original"

    @Option(help: "Page date YYYY-MM-DD (otherwise guessed from the file name).")
    var date: String?

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
        let parser = PageParser()
        var failed = false
        for path in files {
            switch readPage(path) {
            case .failure(let error) where path == PageInput.standardInput:
                FileHandle.standardError.write(Data("folio parse: standard input: \(error.message)\n".utf8))
                failed = true
            case .failure(let error):
                FileHandle.standardError.write(Data("folio parse: \(path): \(error.message)\n".utf8))
                failed = true
            case .success(let data):
                var info: Folio_V1_PageInfo?
                if let date {
                    var i = Folio_V1_PageInfo()
                    i.date = date
                    info = i
                }
                let source = path == PageInput.standardInput ? "" : path
                var page = parser.parse(data: data, source: source, info: info, pageID: nil)
                if form != .original { page = ScriptOutput.convert(page, to: form) }
                if page.diagnostics.contains(where: { $0.severity == .error }) { failed = true }
                if json {
                    print(try FolioJSON.string(page))
                } else {
                    print(PageTree.render(page), terminator: "")
                }
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// The page as UTF-8 bytes. Bytes no supported encoding decodes go to the parser as they
    /// are: its binary and invalid-UTF-8 diagnostics say what is wrong with them, line by line.
    private func readPage(_ path: String) -> Result<[UInt8], PageInput.ReadError> {
        PageInput.bytes(path).flatMap { bytes in
            switch PageDecoder.decode(bytes, encoding: encoding.encoding) {
            case .success(let decoded): return .success(Array(decoded.text.utf8))
            case .failure(let error) where encoding.encoding != nil:
                return .failure(PageInput.ReadError(message: error.message))
            case .failure: return .success(bytes)
            }
        }
    }

    static func isISODate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let m = Int(parts[1]), let d = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(m) && (1...31).contains(d)
    }
}
