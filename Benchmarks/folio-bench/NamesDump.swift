import ArgumentParser
import FolioEntities
import FolioModel
import FolioParser
import Foundation

/// `folio-bench names-dump`: every page parsed with the tagger's names, as JSON lines, for
/// comparing two builds' output byte for byte (a speed change must not change one name).
struct NamesDump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "names-dump",
        abstract: "Parse pages (files, folders of .txt, PFR JSONL laid out as pages) and print each Page as one JSON line.")

    @Argument(help: "Page .txt files, folders of them (recursively), or PFR .jsonl files.")
    var inputs: [String] = []

    @Flag(help: "Names by the rules (default: by the tagger).")
    var rules = false

    func run() throws {
        let parser = PageParser(entityRecognizer: rules ? .rules : .taggerOnly)
        for (name, text) in try inputs.flatMap(Self.pages) {
            let page = parser.parse(text: text, source: name)
            print(name + "\t" + (try page.jsonString()))
        }
    }

    static func pages(_ path: String) throws -> [(String, String)] {
        if path.hasSuffix(".jsonl") {
            let pages = try ParseBenchmark.buildPages(fromJSONL: path)
            return pages.enumerated().map { ("\(path)#\($0.offset)", $0.element) }
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw ValidationError("no such file: \(path)") }
        guard isDir.boolValue else {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return [(path, String(decoding: data, as: UTF8.self))]
        }
        let names = (FileManager.default.subpaths(atPath: path) ?? []).sorted()
        return try names.compactMap { sub -> (String, String)? in
            let full = path + "/" + sub
            var dir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue else { return nil }
            let data = try Data(contentsOf: URL(fileURLWithPath: full))
            return (full, String(decoding: data, as: UTF8.self))
        }
    }
}
