import ArgumentParser
import FolioModel
import FolioParser
import Foundation

/// Reading one page's bytes from a file or, for `-`, standard input, and decoding them.
enum PageInput {
    /// Pages larger than this are refused: a page is a few tens of kilobytes.
    static let maxPageBytes = 16 << 20
    /// The path that means standard input.
    static let standardInput = "-"

    struct ReadError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// The raw bytes (at most `maxPageBytes`); "-" reads standard input to its end.
    static func bytes(_ path: String) -> Result<[UInt8], ReadError> {
        let handle: FileHandle
        if path == standardInput {
            handle = FileHandle.standardInput
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return .failure(ReadError(message: "no such file"))
            }
            if isDirectory.boolValue { return .failure(ReadError(message: "is a directory, not a page file")) }
            // open(2) itself, for its errno: EMFILE under a tight ulimit is no permission problem.
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                return .failure(ReadError(message: "cannot open (\(String(cString: strerror(errno))))"))
            }
            handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        }
        defer { if path != standardInput { try? handle.close() } }
        var data = Data()
        // readData(ofLength:) may return less than asked on a pipe: read until the end or the cap.
        while data.count <= maxPageBytes {
            let chunk = handle.readData(ofLength: maxPageBytes + 1 - data.count)
            if chunk.isEmpty { break }
            data.append(chunk)
        }
        if data.count > maxPageBytes {
            return .failure(ReadError(message: "larger than \(maxPageBytes >> 20) MiB: not a page"))
        }
        if data.isEmpty { return .failure(ReadError(message: path == standardInput ? "standard input is empty" : "empty file")) }
        return .success([UInt8](data))
    }

    /// The page as text: `encoding`, else detected (UTF-8, UTF-16 with BOM, GB18030, Big5).
    static func text(_ path: String, encoding: PageEncoding?) -> Result<String, ReadError> {
        bytes(path).flatMap { text($0, encoding: encoding, name: path == standardInput ? "standard input" : path) }
    }

    /// Bytes already read as text: `encoding`, else detected. What the decoder repaired (a few bytes
    /// no encoding takes, stray NUL bytes) is reported under `name`.
    static func text(_ bytes: [UInt8], encoding: PageEncoding?, name: String) -> Result<String, ReadError> {
        PageDecoder.decode(bytes, encoding: encoding).mapError { ReadError(message: $0.message) }.flatMap { decoded in
            // As `folio parse` and foliod: NUL bytes, or mostly control bytes, are not a page.
            if let reason = TextCheck.binaryReason(decoded.text.utf8) { return .failure(ReadError(message: reason)) }
            if let note = decoded.repairNote { Terminal.error("\(name): \(note)") }
            // Sent as they are: foliod's parser drops them, and the page's diagnostics say so.
            let nuls = decoded.text.utf8.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            if nuls > 0 { Terminal.error("\(name): \(nuls == 1 ? "1 NUL byte" : "\(nuls) NUL bytes") dropped") }
            return .success(decoded.text)
        }
    }
}

extension PageEncoding: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// `--encoding`, shared by parse and ingest.
struct EncodingOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Text encoding of the pages: utf-8, utf-16, utf-16le, utf-16be, gb18030 or big5 (default: detected).",
        valueName: "name"))
    var encoding: PageEncoding?
}
