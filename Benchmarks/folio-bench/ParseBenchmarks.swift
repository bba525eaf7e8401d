import ArgumentParser
import FolioEntities
import FolioModel
import FolioParser
import Foundation
import NIOConcurrencyHelpers

let parseBenchmarks: [ParsableCommand.Type] = [ParseBenchmark.self, NamesDump.self, TagSpeed.self]

/// `folio-bench parse`: parse throughput on a corpus built from PFR (all days, laid out as
/// pages, replicated to the requested size). Prints MB/s overall and per core.
struct ParseBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Measure page parsing throughput (MB/s) on a replicated PFR corpus.")

    @Option(help: "PFR articles JSONL.")
    var corpus = "../shared/corpus/pfr1998/articles-01-20.jsonl"

    @Option(help: "Or a folder of page .txt files (e.g. Tests/Fixtures/pages) instead of the JSONL.")
    var pages: String?

    @Option(help: "Corpus size to reach by replication, in MB.")
    var megabytes = 50

    @Option(help: "Parsing threads.")
    var threads = 1

    @Flag(help: "Parse structure only, without entity recognition.")
    var noEntities = false

    @Flag(help: "Find names with the learnt tagger alone instead of the default (tagger + precise rules).")
    var tagger = false

    @Flag(help: "Find names with the tagger, and every rule where it is silent.")
    var taggerAndRules = false

    @Flag(help: "Find names with the tagger and the rules' precise kinds (the default; accepted for older scripts).")
    var combined = false

    @Flag(help: "Find names with the hand-written rules alone (the default before the ninth round).")
    var rules = false

    func run() throws {
        let base = try pages.map(Self.loadPages) ?? Self.buildPages(fromJSONL: corpus)
        guard !base.isEmpty else { throw ValidationError("no pages in the corpus") }
        var texts: [String] = []
        var bytes = 0
        while bytes < megabytes * 1_000_000 {
            for t in base {
                texts.append(t)
                bytes += t.utf8.count
            }
        }
        let parser = noEntities ? PageParser(entityRecognizer: nil) : tagger ? PageParser(entityRecognizer: .taggerOnly)
            : taggerAndRules ? PageParser(entityRecognizer: .taggerAndRules) : rules ? PageParser(entityRecognizer: .rules) : PageParser()
        _ = parser.parse(text: base[0], source: "warmup.txt")  // builds the fold and bigram tables
        print("corpus: \(texts.count) pages, \(String(format: "%.1f", Double(bytes) / 1e6)) MB (\(base.count) distinct pages), threads: \(threads), entities: \(noEntities ? "off" : tagger ? "on (names by the tagger)" : taggerAndRules ? "on (names by the tagger + all rules)" : rules ? "on (names by the rules alone)" : "on (names by the tagger + precise rules, the default)")")

        let sample = Array(base.joined().utf8)
        let before = MachineProbe.measure(text: sample)
        let n = max(threads, 1)
        let pages = texts
        // Each worker keeps its own figures and hands them over once, at its end.
        let results = NIOLockedValueBox<[(latencies: [Double], articles: Int, cpu: Double)]>([])
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: n) { worker in
            let cpu0 = threadCPUSeconds()
            var latencies: [Double] = []
            latencies.reserveCapacity(pages.count / n + 1)
            var articles = 0
            var i = worker
            while i < pages.count {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let page = parser.parse(text: pages[i], source: "bench-\(i).txt")
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
                articles += page.articles.count
                i += n
            }
            let cpu = threadCPUSeconds() - cpu0
            results.withLockedValue { $0.append((latencies, articles, cpu)) }
        }
        let collected = results.withLockedValue { $0 }
        let latencies = collected.flatMap(\.latencies)
        let articleCounts = collected.map(\.articles)
        let cpu = collected.map(\.cpu)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let mbps = Double(bytes) / 1e6 / seconds
        let sorted = latencies.sorted()
        print(String(format: "parsed %d articles in %.2f s", articleCounts.reduce(0, +), seconds))
        print(String(format: "throughput: %.1f MB/s total, %.1f MB/s per core", mbps, mbps / Double(n)))
        // On a shared machine wall time counts other processes' work: CPU time is the cost of parsing.
        print(String(format: "CPU time: %.2f s on %d thread(s): %.1f MB/s per CPU-second", cpu.reduce(0, +), n, Double(bytes) / 1e6 / max(cpu.reduce(0, +), 1e-9)))
        print(String(format: "page latency: p50 %.0f µs, p99 %.0f µs (mean page %.1f KB)",
                     sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 99 / 100)],
                     Double(bytes) / Double(texts.count) / 1e3))
        // The machine before and after the run; the ratio is against their mean.
        let after = MachineProbe.measure(text: sample)
        print(before.line + " (before)")
        print(after.line + " (after)")
        let probe = MachineProbe(zlibMBPerSecond: (before.zlibMBPerSecond + after.zlibMBPerSecond) / 2,
                                 memoryReadNanoseconds: (before.memoryReadNanoseconds + after.memoryReadNanoseconds) / 2)
        print(probe.ratioLine("parse per CPU-second", megabytesPerSecond: Double(bytes) / 1e6 / max(cpu.reduce(0, +), 1e-9), target: 20))
    }

    static func loadPages(_ dir: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }.sorted()
        return try names.map { try String(contentsOfFile: dir + "/" + $0, encoding: .utf8) }
    }

    /// One page per (date, page) of PFR: headline, paragraphs, blank lines between blocks.
    static func buildPages(fromJSONL path: String) throws -> [String] {
        let data = try String(contentsOfFile: path, encoding: .utf8)
        var order: [String] = []
        var pages: [String: [String]] = [:]
        for line in data.split(separator: "\n") {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let date = obj["date"] as? String, let paragraphs = obj["paragraphs"] as? [String] else { continue }
            let key = date + "-" + String(describing: obj["page"] ?? "")
            if pages[key] == nil { order.append(key); pages[key] = [] }
            pages[key]!.append(paragraphs.joined(separator: "\n\n"))
        }
        return order.map { pages[$0]!.joined(separator: "\n\n") + "\n" }
    }
}
