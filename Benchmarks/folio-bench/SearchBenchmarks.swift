import ArgumentParser
import FolioIndex
import FolioModel
import FolioTestSupport
import Foundation

let searchBenchmarks: [ParsableCommand.Type] = [SearchBenchmark.self, SearchStartupProbe.self]

/// `folio-bench search`: builds the index over pfr1998 replicated to N articles, measures build time,
/// snapshot start-up (in a fresh process), memory, and query latency for 1–4 character and two-term
/// queries, and runs Xapian and SQLite FTS5 on the same corpus and queries for comparison.
struct SearchBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search",
                                                    abstract: "Search index: build, start-up, memory, latency vs Xapian and FTS5.")

    @Option(help: "Articles in the benchmark corpus (pfr1998 replicated with ids changed).")
    var articles = 100_000
    @Option(help: "pfr1998 JSONL file.")
    var corpus = "../shared/corpus/pfr1998/articles-01-20.jsonl"
    @Option(help: "Queries per class.")
    var queries = 300
    @Option(help: "Working directory for the snapshot and peer files.")
    var workDir = NSTemporaryDirectory() + "folio-bench-search"
    @Flag(help: "Skip the Xapian and FTS5 peers.")
    var noPeers = false
    @Option(help: "Peers to run (repeatable): xapian, fts5. Default: both; xapian alone takes ~15 min at 100k.")
    var peer: [String] = ["xapian", "fts5"]
    @Option(help: "Query classes to run (repeatable, e.g. \"3 chars\"); default: all.")
    var only: [String] = []
    @Option(help: "Extra unrecorded passes of the full answers per class before measuring (for perf record).")
    var profilePasses = 0
    @Option(help: "Directory of the peer scripts.")
    var peers = "Benchmarks/peers"

    func run() throws {
        lineBufferStandardOutput()  // figures appear as they are measured, even into a file
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let base = try PFRCorpus.articles(jsonl: corpus)
        guard !base.isEmpty else { throw ValidationError("no articles in \(corpus)") }
        var all: [Folio_V1_Article] = []
        all.reserveCapacity(articles)
        var replica = 0
        while all.count < articles {
            all += PFRCorpus.replicate(base, replica: replica).prefix(articles - all.count)
            replica += 1
        }
        let texts = all.map(Self.searchableText)
        let corpusBytes = texts.reduce(0) { $0 + $1.utf8.count }
        print("corpus: \(all.count) articles, \(Self.mb(corpusBytes)) MB of text (UTF-8), \(replica) replicas")

        let rssBefore = residentBytes()
        let buildStart = Date()
        let cpuStart = clock()
        let index = SearchIndex()
        index.add(articles: all)
        let buildSeconds = Date().timeIntervalSince(buildStart)
        let buildCPU = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
        print(String(format: "build: %.2f s, %.2f CPU-s (%.1f MB/s), %d terms, RSS growth %.0f MB",
                     buildSeconds, buildCPU, Double(corpusBytes) / 1e6 / buildSeconds, index.termCount,
                     Double(residentBytes() - rssBefore) / 1e6))
        let parts = index.memoryBreakdown.map { String(format: "%@ %.0f MB", $0.part as NSString, Double($0.bytes) / 1e6) }
        print(String(format: "index: %.0f MB = %.2f× corpus text (%@)", Double(index.indexBytes) / 1e6,
                     Double(index.indexBytes) / Double(corpusBytes), parts.joined(separator: ", ") as NSString))

        let snapshot = workDir + "/index.snap"
        let saveStart = Date()
        try index.writeSnapshot(to: snapshot, key: "bench")
        print(String(format: "snapshot: written in %.2f s, %.0f MB", Date().timeIntervalSince(saveStart),
                     Double((try? FileManager.default.attributesOfItem(atPath: snapshot)[.size] as? Int) ?? 0) / 1e6))
        let startup = try probeStartup(snapshot: snapshot)
        print(String(format: "start-up from snapshot (fresh process): %.0f ms, RSS %.0f MB = %.2f× corpus text",
                     startup.milliseconds, Double(startup.rss) / 1e6, Double(startup.rss) / Double(corpusBytes)))

        let querySets = QueryGenerator(texts: Array(texts.prefix(base.count))).querySets(perClass: queries)
            .filter { only.isEmpty || only.contains($0.0) }
        var ours: [String: LatencySummary] = [:]
        var idsOnly: [String: LatencySummary] = [:]
        var totals: [String: [Int]] = [:]
        for (name, set) in querySets {
            var latencies: [Double] = []
            var idLatencies: [Double] = []
            var counts: [Int] = []
            var firstPages: [[String]] = []
            for _ in 0..<profilePasses {
                for query in set {
                    var request = Folio_V1_SearchRequest()
                    request.query = query
                    _ = try index.search(request)
                }
            }
            for query in set {
                var request = Folio_V1_SearchRequest()
                request.query = query
                let start = DispatchTime.now().uptimeNanoseconds
                let response = try index.search(request)
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
                counts.append(Int(response.total))
                firstPages.append(response.hits.map(\.articleID))
            }
            // The same queries answered as the peers answer them, in a separate pass (so that no
            // query finds its postings warm from the full answer): top 10 ids and the exact total.
            for (position, query) in set.enumerated() {
                let idStart = DispatchTime.now().uptimeNanoseconds
                let top = try index.topArticleIDs(query, limit: 10)
                idLatencies.append(Double(DispatchTime.now().uptimeNanoseconds - idStart) / 1000)
                guard top.total == counts[position], top.ids == firstPages[position] else {
                    throw ValidationError("ids-only answer differs from the full answer for \(query)")
                }
            }
            ours[name] = LatencySummary(latencies)
            idsOnly[name] = LatencySummary(idLatencies)
            totals[name] = counts
            print(String(format: "folio %@: median %.1f µs, p99 %.1f µs (ids+total only: median %.1f µs, p99 %.1f µs), %d of %d queries with hits",
                         name as NSString, ours[name]!.median, ours[name]!.p99, idsOnly[name]!.median, idsOnly[name]!.p99,
                         counts.filter { $0 > 0 }.count, counts.count))
        }

        var peerResults: [String: PeerResult] = [:]
        if !noPeers {
            let docsPath = workDir + "/docs.tsv", queriesPath = workDir + "/queries.tsv"
            try Self.writePeerInput(ids: all.map(\.id), texts: texts, to: docsPath)
            try querySets.flatMap { name, set in set.map { "\(name)\t\($0)" } }.joined(separator: "\n")
                .write(toFile: queriesPath, atomically: true, encoding: .utf8)
            for peer in self.peer {
                do {
                    peerResults[peer] = try PeerResult.run(script: "\(peers)/\(peer)_peer.py", docs: docsPath,
                                                           queries: queriesPath, workDir: workDir)
                } catch {
                    print("peer \(peer) failed: \(error)")
                }
            }
        }
        printTable(querySets: querySets, ours: ours, idsOnly: idsOnly, totals: totals, peers: peerResults,
                   startup: startup, buildSeconds: buildSeconds)
    }

    static func searchableText(_ article: Folio_V1_Article) -> String {
        ([article.headline, article.subtitle] + (article.lead + article.body).map(\.text)
            + article.captions.map(\.text) + [article.bylines.map(\.name).joined(separator: " ")])
            .joined(separator: "\n")
    }

    static func writePeerInput(ids: [String], texts: [String], to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw ValidationError("cannot write \(path)") }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ValidationError("cannot write \(path)") }
        defer { try? handle.close() }
        var buffer = ""
        for (id, text) in zip(ids, texts) {
            buffer += id + "\t" + text.replacingOccurrences(of: "\n", with: "\u{1F}").replacingOccurrences(of: "\t", with: " ") + "\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
    }

    static func mb(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }

    func probeStartup(snapshot: String) throws -> (milliseconds: Double, rss: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: process.executableURL!.path) {
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        }
        process.arguments = ["search-startup", "--snapshot", snapshot]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard fields.count == 2 else { throw ValidationError("start-up probe said: \(output)") }
        return (fields[0], Int(fields[1]))
    }

    func printTable(querySets: [(String, [String])], ours: [String: LatencySummary], idsOnly: [String: LatencySummary],
                    totals: [String: [Int]], peers: [String: PeerResult], startup: (milliseconds: Double, rss: Int),
                    buildSeconds: Double) {
        print("")
        print("folio = full Search response (top 10 with snippets and highlights, exact total); folio ids = top 10 ids + exact total, what the peers return; fts5+snip = fts5 answering with snippet() per hit, like folio's full answer")
        print("query class | folio median / p99 µs | folio ids median / p99 µs | xapian median / p99 µs | fts5 median / p99 µs | xapian/folio, fts5/folio (median) | fts5/folio ids | fts5+snip/folio | totals ≠ folio: xapian, fts5")
        print(String(repeating: "-", count: 190))
        for (name, _) in querySets {
            guard let mine = ours[name] else { continue }
            func cell(_ peer: String) -> String {
                guard let summary = peers[peer]?.latency[name] else { return "n/a" }
                return String(format: "%9.1f / %9.1f", summary.median, summary.p99)
            }
            func ratio(_ peer: String) -> String {
                guard let summary = peers[peer]?.latency[name] else { return "n/a" }
                return String(format: "%6.1f×", summary.median / max(mine.median, 0.001))
            }
            func differing(_ peer: String) -> String {
                guard let counts = peers[peer]?.totals[name], let mineCounts = totals[name] else { return "n/a" }
                return "\(zip(counts, mineCounts).filter { $0 != $1 }.count)/\(mineCounts.count)"
            }
            let ids = idsOnly[name] ?? mine
            let idsRatio = peers["fts5"]?.latency[name].map { String(format: "%6.1f×", $0.median / max(ids.median, 0.001)) } ?? "n/a"
            let snippetRatio = peers["fts5"]?.snippetLatency[name].map {
                String(format: "%6.1f× (%.1f µs)", $0.median / max(mine.median, 0.001), $0.median)
            } ?? "n/a"
            let row = [name.padding(toLength: 11, withPad: " ", startingAt: 0),
                       String(format: "%9.1f / %9.1f", mine.median, mine.p99),
                       String(format: "%9.1f / %9.1f", ids.median, ids.p99),
                       cell("xapian"), cell("fts5"), ratio("xapian") + " / " + ratio("fts5"), idsRatio, snippetRatio,
                       differing("xapian") + ", " + differing("fts5")]
            print(row.joined(separator: " | "))
        }
        for (name, peer) in peers.sorted(by: { $0.key < $1.key }) {
            print(String(format: "%@: build %.1f s (folio %.1f s)", name as NSString, peer.buildSeconds, buildSeconds))
        }
        print(String(format: "targets: median < 1000 µs, p99 < 10000 µs, start-up %.0f ms < 5000 ms", startup.milliseconds))
    }
}

/// `folio-bench search-startup`: loads a snapshot in a fresh process; prints "milliseconds rssBytes".
struct SearchStartupProbe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search-startup",
                                                    abstract: "Load an index snapshot; print load time and RSS.")
    @Option var snapshot: String
    @Option var key = "bench"

    func run() throws {
        let start = Date()
        let index = SearchIndex()
        _ = try index.loadSnapshot(from: snapshot, expectedKey: key)
        let milliseconds = Date().timeIntervalSince(start) * 1000
        var request = Folio_V1_SearchRequest()
        request.query = "中国"
        _ = try index.search(request)  // serving, not just loaded
        print("\(milliseconds) \(residentBytes())")
    }
}

struct LatencySummary {
    var median: Double
    var p99: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
    }
}

/// A peer engine's answers: per query class latencies and hit totals, read from its JSON output.
struct PeerResult {
    var buildSeconds: Double
    var latency: [String: LatencySummary]
    /// The same queries answered with a highlighted snippet per hit (FTS5 only), like Folio's full answer.
    var snippetLatency: [String: LatencySummary]
    var totals: [String: [Int]]

    static func run(script: String, docs: String, queries: String, workDir: String) throws -> PeerResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, docs, queries, workDir]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let results = object["queries"] as? [[String: Any]] else {
            throw ValidationError("\(script) exited \(process.terminationStatus)")
        }
        var latencies: [String: [Double]] = [:]
        var snippetLatencies: [String: [Double]] = [:]
        var totals: [String: [Int]] = [:]
        for result in results {
            guard let name = result["class"] as? String else { continue }
            latencies[name, default: []].append(result["micros"] as? Double ?? 0)
            if let micros = result["snippet_micros"] as? Double { snippetLatencies[name, default: []].append(micros) }
            totals[name, default: []].append(result["total"] as? Int ?? -1)
        }
        return PeerResult(buildSeconds: object["build_seconds"] as? Double ?? 0,
                          latency: latencies.mapValues(LatencySummary.init),
                          snippetLatency: snippetLatencies.mapValues(LatencySummary.init), totals: totals)
    }
}

/// Deterministic queries: runs of Han characters taken from the corpus text.
struct QueryGenerator {
    let texts: [String]

    func querySets(perClass count: Int) -> [(String, [String])] {
        var random = SplitMix64(seed: 20260101)
        func run(_ length: Int) -> String {
            while true {
                let text = Array(texts[Int(random.next() % UInt64(texts.count))].unicodeScalars)
                guard text.count > length else { continue }
                let start = Int(random.next() % UInt64(text.count - length))
                let slice = text[start..<(start + length)]
                if slice.allSatisfy({ $0.value >= 0x4E00 && $0.value <= 0x9FFF }) {
                    return String(String.UnicodeScalarView(slice))
                }
            }
        }
        return [
            ("1 char", (0..<count).map { _ in run(1) }),
            ("2 chars", (0..<count).map { _ in run(2) }),
            ("3 chars", (0..<count).map { _ in run(3) }),
            ("4 chars", (0..<count).map { _ in run(4) }),
            ("two terms", (0..<count).map { _ in "\(run(2)) \(run(2))" }),
        ]
    }
}

/// Resident set size of this process, from /proc/self/status.
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1024
    }
    return 0
}
