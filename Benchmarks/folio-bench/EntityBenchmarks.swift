import ArgumentParser
import FolioEntities
import FolioModel
import FolioText
import Foundation

let entityBenchmarks: [ParsableCommand.Type] = [EntityBenchmark.self]

/// `folio-bench entities`: people, places and organizations on the PFR days held out from
/// training (1998-01-16..20 by default), exact span and type against the gold top-level spans,
/// for the tagger, the old rules and the peers THULAC and jieba (run by
/// `scripts/entity-peers.py` on the same paragraphs when installed), then the tagger's
/// throughput, model size and load time.
struct EntityBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entities",
        abstract: "Entity P/R/F1 on held-out PFR days: tagger, combined (default), old rules, THULAC, jieba; MB/s, size, load time.")

    @Option(help: "PFR articles JSONL.")
    var corpus = "../shared/corpus/pfr1998/articles-01-20.jsonl"

    @Option(help: "First day scored.")
    var from = "1998-01-16"

    @Option(help: "Last day scored.")
    var to = "1998-01-20"

    @Option(help: "The peers' helper script (skipped when absent).")
    var peers = "scripts/entity-peers.py"

    @Flag(help: "Do not run THULAC and jieba.")
    var noPeers = false

    @Option(help: "Read the peers' spans from this file (a saved `scripts/entity-peers.py` output for the same days) instead of running them; THULAC takes minutes.")
    var peerSpans: String?

    @Option(help: "Save the peers' output here when they run.")
    var savePeerSpans: String?

    @Option(help: "Throughput rounds over the scored text.")
    var rounds = 3

    @Option(help: "Write every missed and spurious tagger span to this file.")
    var errors: String?

    @Option(help: "Whose spans --errors lists: tagger, combined (tagger + precise rules), hybrid (tagger + all rules) or rules.")
    var errorsOf = "tagger"

    @Option(help: "Also print each recognizer's recall of the seed page's gold names (this page and its gold JSON; empty: skip).")
    var seedPage = "../shared/corpus/seed-page.txt"

    @Option(help: "Read the lexicons and tagger.bin from this folder instead of the installed ones (a dev model: trained on days 1–12, scored with --from 1998-01-13 --to 1998-01-15).")
    var data: String?

    @Option(help: "Score the combined recognizer with each of these rule-kind masks instead (hex RuleKinds bits; with --errors, one file per mask), then stop.")
    var ruleKinds: [String] = []

    @Option(help: "Print the tagger's raw spans and the tagger recognizer's names for each line of this file (one article; with --data), and stop.")
    var show: String?

    struct Span: Hashable { let article: Int; let para: Int; let start: Int; let end: Int; let type: String }

    struct Scores {
        var hit: [String: Int] = [:], gold: [String: Int] = [:], predicted: [String: Int] = [:]

        init(gold g: Set<Span>, predicted p: Set<Span>) {
            for s in g { gold[s.type, default: 0] += 1 }
            for s in p { predicted[s.type, default: 0] += 1 }
            for s in g.intersection(p) { hit[s.type, default: 0] += 1 }
        }

        func prf(_ t: String) -> (Double, Double, Double) {
            let h = Double(hit[t] ?? 0)
            let p = h / Double(max(predicted[t] ?? 0, 1)), r = h / Double(max(gold[t] ?? 0, 1))
            return (p, r, p + r > 0 ? 2 * p * r / (p + r) : 0)
        }
    }

    static let types = ["PER", "LOC", "ORG"]
    static let tag: [Folio_V1_EntityType: String] = [.person: "PER", .place: "LOC", .organization: "ORG"]

    func run() throws {
        let text = try String(contentsOfFile: corpus, encoding: .utf8)
        var ids: [String] = [], dates: [String] = [], paragraphs: [[String]] = []
        var gold = Set<Span>()
        for line in text.split(separator: "\n") {
            guard let a = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let date = a["date"] as? String, date >= from, date <= to,
                  let id = a["id"] as? String, let ps = a["paragraphs"] as? [String] else { continue }
            let k = ids.count
            ids.append(id); dates.append(date); paragraphs.append(ps)
            for case let e as [String: Any] in a["entities"] as? [Any] ?? [] {
                if let t = e["type"] as? String, let p = e["para"] as? Int, let s = e["start"] as? Int, let x = e["end"] as? Int {
                    gold.insert(Span(article: k, para: p, start: s, end: x, type: t))
                }
            }
        }
        let bytes = paragraphs.joined().reduce(0) { $0 + $1.utf8.count }
        let characters = paragraphs.joined().reduce(0) { $0 + $1.unicodeScalars.count }
        print("held-out \(from)..\(to): \(ids.count) articles, \(characters) characters, \(String(format: "%.2f", Double(bytes) / 1e6)) MB; gold PER \(gold.filter { $0.type == "PER" }.count), LOC \(gold.filter { $0.type == "LOC" }.count), ORG \(gold.filter { $0.type == "ORG" }.count)")
        print("exact span and type, top-level PFR spans; P / R / F1")

        // Load times: the recognizer with and without the tagger (same lexicons).
        let clock = ContinuousClock()
        let directory = data.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? EntityRecognizer.dataDirectory
        var tagged: EntityRecognizer?
        let withTagger = clock.measure { tagged = EntityRecognizer(dataDirectory: directory, names: .tagger) }
        let hybrid = EntityRecognizer(dataDirectory: directory, names: .taggerAndRules)
        let combined = EntityRecognizer(dataDirectory: directory, names: .combined)
        var ruled: EntityRecognizer?
        let withoutTagger = clock.measure { ruled = EntityRecognizer(dataDirectory: directory, names: .rules) }
        guard let tagger = tagged, let rules = ruled else { return }
        guard tagger.usesTagger else { throw ValidationError("Data/tagger.bin is missing or damaged") }
        if let show {
            let lines = try String(contentsOfFile: show, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }
            let fields = lines.enumerated().map { EntityField(field: .block, index: $0.offset, text: $0.element) }
            let shown = ruleKinds.first.flatMap { UInt32($0, radix: 16) }.map { EntityRecognizer(dataDirectory: directory, ruleKindBits: $0) } ?? tagger
            let names = shown.recognize(fields: fields, pageDate: nil).filter { Self.tag[$0.type] != nil }
            for (k, line) in lines.enumerated() {
                let scalars = Array(line.unicodeScalars)
                func text(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(scalars[a..<b])) }
                let raw = tagger.tagNames(line).map { "\(Self.tag[$0.type] ?? "?") \(text($0.start, $0.end))" }
                let kept = names.flatMap { e in e.mentions.filter { Int($0.block) == k }.map { "\(Self.tag[e.type]!) \(text(Int($0.start), Int($0.end)))" } }
                print("\(k): \(line)\n   tagger: \(raw.joined(separator: ", "))\n   kept:   \(kept.joined(separator: ", "))")
            }
            return
        }

        func spans(_ r: EntityRecognizer) -> Set<Span> {
            var out = Set<Span>()
            for k in ids.indices {
                let fields = paragraphs[k].enumerated().map { EntityField(field: .block, index: $0.offset, text: $0.element) }
                var found: [Span] = []
                for e in r.recognize(fields: fields, pageDate: dates[k]) {
                    guard let t = Self.tag[e.type] else { continue }
                    for m in e.mentions { found.append(Span(article: k, para: Int(m.block), start: Int(m.start), end: Int(m.end), type: t)) }
                }
                // Top level only: places reported inside an organization are PFR's inner spans.
                for s in found where !found.contains(where: { $0.para == s.para && $0.start <= s.start && s.end <= $0.end
                                                               && $0.end - $0.start > s.end - s.start }) {
                    out.insert(s)
                }
            }
            return out
        }
        func row(_ name: String, _ p: Set<Span>) -> [String: Double] {
            let s = Scores(gold: gold, predicted: p)
            var line = name.padding(toLength: 25, withPad: " ", startingAt: 0)
            var f1: [String: Double] = [:]
            for t in Self.types {
                let (pr, rc, f) = s.prf(t)
                f1[t] = f
                line += String(format: "  %@ %.3f / %.3f / %.3f", t, pr, rc, f)
            }
            print(line)
            return f1
        }
        /// One line per missed and per false span, in page order, with eight characters either side.
        func writeErrors(_ found: Set<Span>, to path: String) throws {
            func context(_ s: Span) -> String {
                let scalars = Array(paragraphs[s.article][s.para].unicodeScalars)
                let view = { (a: Int, b: Int) in String(String.UnicodeScalarView(scalars[max(0, min(a, scalars.count))..<max(0, min(scalars.count, b))])) }
                return "\(view(s.start - 8, s.start))[\(view(s.start, s.end))]\(view(s.end, s.end + 8))"
            }
            let order = { (a: Span, b: Span) in (a.article, a.para, a.start) < (b.article, b.para, b.start) }
            let lines = gold.subtracting(found).sorted(by: order).map { "MISS \($0.type) \(context($0))" }
                + found.subtracting(gold).sorted(by: order).map { "FALSE \($0.type) \(context($0))" }
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        if !ruleKinds.isEmpty {
            for mask in ruleKinds {
                guard let bits = UInt32(mask, radix: 16) else { continue }
                let r = EntityRecognizer(dataDirectory: directory, ruleKindBits: bits)
                let found = spans(r)
                _ = row("kinds \(mask)", found)
                if let errors { try writeErrors(found, to: errors + "." + mask) }
                if !seedPage.isEmpty { try seedRecall([("kinds \(mask)", r)]) }
            }
            return
        }
        let taggerSpans = spans(tagger)
        _ = row("tagger", taggerSpans)
        let combinedSpans = spans(combined)
        let combinedF1 = row("combined (DEFAULT)", combinedSpans)
        let hybridSpans = spans(hybrid)
        _ = row("tagger + all rules", hybridSpans)
        let rulesSpans = spans(rules)
        _ = row("old rules (--rule-names)", rulesSpans)
        if let errors {
            let listed = errorsOf == "hybrid" ? hybridSpans : errorsOf == "rules" ? rulesSpans
                : errorsOf == "combined" ? combinedSpans : taggerSpans
            try writeErrors(listed, to: errors)
        }

        if !seedPage.isEmpty { try seedRecall([("tagger", tagger), ("combined (DEFAULT)", combined), ("tagger + all rules", hybrid), ("old rules", rules)]) }

        // Peers on the same paragraphs.
        var thulacF1: [String: Double]?
        if !noPeers && (peerSpans != nil || FileManager.default.fileExists(atPath: peers)) {
            let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($0.element, $0.offset) })
            var predicted: [String: Set<Span>] = [:], missing: [String] = [], seconds: [String: Double] = [:]
            var order: [String] = []
            let output = try peerSpans.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? runPeers()
            if let savePeerSpans, peerSpans == nil { try output.write(toFile: savePeerSpans, atomically: true, encoding: .utf8) }
            if let peerSpans { print("peers: spans read from \(peerSpans)") }
            for line in output.split(separator: "\n") {
                guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let peer = o["peer"] as? String else { continue }
                if !order.contains(peer) { order.append(peer) }
                if o["missing"] as? Bool == true { missing.append(peer); continue }
                if let s = o["seconds"] as? Double { seconds[peer] = s; continue }
                guard let id = o["id"] as? String, let k = index[id], let p = o["para"] as? Int else { continue }
                for case let s as [Any] in o["spans"] as? [Any] ?? [] {
                    guard s.count == 3, let a = s[0] as? Int, let b = s[1] as? Int, let t = s[2] as? String else { continue }
                    predicted[peer, default: []].insert(Span(article: k, para: p, start: a, end: b, type: t))
                }
            }
            for peer in order where !missing.contains(peer) {
                let f1 = row(peer == "thulac" ? "THULAC (np/ns/ni)" : peer == "jieba" ? "jieba (nr*/ns/nt)" : peer, predicted[peer] ?? [])
                if peer == "thulac" { thulacF1 = f1 }
                if let s = seconds[peer] { print(String(format: "    %@: %.1f KB/s wall (its own run, %.0f s)", peer, Double(bytes) / 1e3 / max(s, 1e-9), s)) }
            }
            for peer in missing { print("\(peer): not installed (pip install thulac jieba)") }
        } else {
            print("peers: skipped")
        }
        let targets = ["PER": 0.92, "LOC": 0.90, "ORG": 0.85]
        var verdict: [String] = []
        for t in Self.types {
            let f = combinedF1[t] ?? 0
            let aboveTarget = f >= targets[t]!
            let aboveThulac = thulacF1.map { f > ($0[t] ?? 0) }
            verdict.append("\(t) \(aboveTarget ? "meets" : "below") \(targets[t]!)" + (aboveThulac.map { $0 ? ", above THULAC" : ", NOT above THULAC" } ?? ""))
        }
        print("targets (combined, the default): " + verdict.joined(separator: "; "))

        // Throughput: the whole recognizer (numbers, dates, names, entity records) per core,
        // and the tagger alone.
        let fieldSets = ids.indices.map { k in paragraphs[k].enumerated().map { EntityField(field: .block, index: $0.offset, text: $0.element) } }
        // CPU time of this thread, not wall time: a busy machine slows the wall clock, not the work.
        func rate(_ body: () -> Void) -> Double {
            body()   // warm-up
            var best = Double.infinity
            for _ in 0..<max(rounds, 1) {
                let t0 = threadCPUSeconds()
                body()
                best = min(best, threadCPUSeconds() - t0)
            }
            return Double(bytes) / 1e6 / best
        }
        var sink = 0
        let recognizerRate = rate { for k in ids.indices { sink &+= tagger.recognize(fields: fieldSets[k], pageDate: dates[k]).count } }
        let combinedRate = rate { for k in ids.indices { sink &+= combined.recognize(fields: fieldSets[k], pageDate: dates[k]).count } }
        let hybridRate = rate { for k in ids.indices { sink &+= hybrid.recognize(fields: fieldSets[k], pageDate: dates[k]).count } }
        let rulesRate = rate { for k in ids.indices { sink &+= rules.recognize(fields: fieldSets[k], pageDate: dates[k]).count } }
        let taggerRate = rate { for p in paragraphs.joined() { sink &+= tagger.tagNames(p).count } }
        print(String(format: "throughput per core, CPU time (best of %d): tagger alone %.1f MB/s; recognizer with the tagger %.1f MB/s, combined (default) %.1f MB/s, with tagger + all rules %.1f MB/s, with the old rules %.1f MB/s", rounds, taggerRate, recognizerRate, combinedRate, hybridRate, rulesRate))
        let seconds = { (d: Duration) in Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        print(String(format: "model: Data/tagger.bin %.1f KB; recognizer load %.0f ms with the tagger, %.0f ms without (tagger %.0f ms)",
                     Double(tagger.taggerModelBytes) / 1024, seconds(withTagger) * 1e3, seconds(withoutTagger) * 1e3,
                     max(0, seconds(withTagger) - seconds(withoutTagger)) * 1e3))
        if sink == -1 { print(sink) }
    }

    /// Recall of the seed page's gold people, places and organizations (a 2022 local page, out of
    /// the tagger's domain), names compared through the per-character fold; the page's lines are
    /// one field each, as in SeedPageTests.
    func seedRecall(_ recognizers: [(String, EntityRecognizer)]) throws {
        let goldPath = seedPage.replacingOccurrences(of: ".txt", with: ".gold.json")
        guard FileManager.default.fileExists(atPath: seedPage), FileManager.default.fileExists(atPath: goldPath) else {
            print("seed page: \(seedPage) or its gold missing, skipped")
            return
        }
        let page = try String(contentsOfFile: seedPage, encoding: .utf8)
        let gold = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: goldPath))) as? [String: Any]
        let names = gold?["entities"] as? [String: [String]] ?? [:]
        func fold(_ s: String) -> String {
            String(String.UnicodeScalarView(s.unicodeScalars.compactMap { Unicode.Scalar(CharacterFold.shared.fold(value: $0.value)) }))
        }
        let blocks = page.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let fields = blocks.enumerated().map { EntityField(field: .block, index: $0.offset, text: $0.element) }
        for (name, r) in recognizers {
            let found = r.recognize(fields: fields, pageDate: "2022-11-01")
            var line = "seed page recall, \(name):".padding(toLength: 38, withPad: " ", startingAt: 0)
            var missing: [String] = []
            for (key, type) in [("person", Folio_V1_EntityType.person), ("place", .place), ("organization", .organization)] {
                let expected = Set((names[key] ?? []).map(fold))
                let predicted = Set(found.filter { $0.type == type }.map { fold($0.text) })
                line += String(format: "  %@ %.3f (%d/%d)", key, Double(expected.intersection(predicted).count) / Double(max(expected.count, 1)),
                               expected.intersection(predicted).count, expected.count)
                missing += expected.subtracting(predicted).sorted()
            }
            print(line + (missing.isEmpty ? "" : "  missing: " + missing.joined(separator: " ")))
        }
    }

    /// Runs the peers' script on the scored days; its JSON lines.
    func runPeers() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peers, corpus, from, to]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// CPU seconds used by the calling thread.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
