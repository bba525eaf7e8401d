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

    @Flag(help: "Names by the tagger and the rules' precise kinds (EntityRecognizer.combined).")
    var combined = false

    func run() throws {
        let parser = PageParser(entityRecognizer: rules ? .rules : combined ? .combined : .taggerOnly)
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

/// `folio-bench tag-speed`: the tagger alone (`EntityRecognizer.tagNames`) on PFR paragraphs,
/// MB/s per CPU-second, median and best of the rounds (a steadier figure than one run on a
/// shared machine).
struct TagSpeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag-speed",
        abstract: "The tagger alone on PFR paragraphs: MB/s per CPU-second, median and best of N rounds.")

    @Option(help: "PFR articles JSONL.")
    var corpus = "../shared/corpus/pfr1998/articles-01-20.jsonl"
    @Option(help: "Rounds over the paragraphs.")
    var rounds = 9
    @Option(help: "Articles read from the start of the corpus.")
    var articles = 1000

    func run() throws {
        let lines = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").prefix(articles)
        var paragraphs: [String] = []
        var bytes = 0
        for line in lines {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let ps = obj["paragraphs"] as? [String] else { continue }
            paragraphs += ps
            bytes += ps.reduce(0) { $0 + $1.utf8.count }
        }
        let recognizer = EntityRecognizer.taggerOnly
        guard recognizer.usesTagger else { throw ValidationError("Data/tagger.bin is missing or damaged") }
        var rates: [Double] = []
        var names = 0
        for _ in 0..<max(rounds, 1) {
            names = 0
            let t0 = threadCPUSeconds()
            for p in paragraphs { names += recognizer.tagNames(p).count }
            rates.append(Double(bytes) / 1e6 / max(threadCPUSeconds() - t0, 1e-9))
        }
        rates.sort()
        print(String(format: "tagger alone: %.1f MB/s per CPU-second median, %.1f best (%d rounds, %.2f MB, %d names)",
                     rates[rates.count / 2], rates.last!, rates.count, Double(bytes) / 1e6, names))
    }
}
