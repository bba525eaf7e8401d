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

// AB-TEMP: the tagger alone on PFR paragraphs, variants alternated round by round.
struct TagSpeed: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag-speed")
    @Option var rounds = 9
    @Option var modes = "0"
    @Option var articles = 3000
    func run() throws {
        let lines = try String(contentsOfFile: "../shared/corpus/pfr1998/articles-01-20.jsonl", encoding: .utf8).split(separator: "\n").prefix(articles)
        var paragraphs: [String] = []
        var bytes = 0
        for line in lines {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let ps = obj["paragraphs"] as? [String] else { continue }
            paragraphs += ps; bytes += ps.reduce(0) { $0 + $1.utf8.count }
        }
        let r = EntityRecognizer.taggerOnly
        let ms = modes.split(separator: ",").compactMap { Int($0) }
        var best = [Int: [Double]]()
        var sink = 0
        for _ in 0..<rounds {
            for m in ms {
                EntityRecognizer.setTaggerAB(m)
                let t0 = threadCPUSeconds()
                for p in paragraphs { sink &+= r.tagNames(p).count }
                best[m, default: []].append(Double(bytes) / 1e6 / (threadCPUSeconds() - t0))
            }
        }
        for m in ms { let v = best[m]!.sorted(); print("mode \(m): median \(String(format: "%.1f", v[v.count / 2])) best \(String(format: "%.1f", v.last!)) MB/s (\(sink))") }
    }
}
