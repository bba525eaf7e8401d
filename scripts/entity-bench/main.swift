// Throughput of EntityRecognizer on the PFR text (release build), built and run by
// scripts/eval-entities.sh. Prints MB/s of UTF-8 text per core (one thread); with --parse also
// the whole page parse with and without entities (ParseWithEntities.swift).
import Foundation
import FolioEntities
import FolioModel

@main
struct EntityBench {
    static func main() throws {
        let args = CommandLine.arguments
        let path = args.count > 1 ? args[1] : "../shared/corpus/pfr1998/articles-01-20.jsonl"
        let rounds = args.count > 2 ? Int(args[2]) ?? 5 : 5
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var articles: [(fields: [EntityField], date: String?)] = []
        var pageTexts: [String: (text: String, date: String)] = [:]
        var pageOrder: [String] = []
        var bytes = 0
        for line in text.split(separator: "\n") {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let paragraphs = obj["paragraphs"] as? [String] else { continue }
            let date = obj["date"] as? String ?? ""
            let key = "\(date)-\(obj["page"] as? Int ?? 0)"
            if pageTexts[key] == nil { pageOrder.append(key); pageTexts[key] = ("", date) }
            pageTexts[key]!.text += paragraphs.joined(separator: "\n\n") + "\n\n\n"
            articles.append((paragraphs.enumerated().map { EntityField(field: .block, index: $0.offset, text: $0.element) },
                             obj["date"] as? String))
            bytes += paragraphs.reduce(0) { $0 + $1.utf8.count }
        }
        let loadStart = ContinuousClock.now
        _ = EntityRecognizer.shared
        print("data loaded in \(ContinuousClock.now - loadStart)")
        if let dump = ProcessInfo.processInfo.environment["FOLIO_ENTITY_DUMP"] {
            // Every article's entities as text: diff two builds' dumps to check a speed-up changed nothing.
            var lines: [String] = []
            for a in articles {
                for e in EntityRecognizer.shared.recognize(fields: a.fields, pageDate: a.date) {
                    let m = e.mentions.map { "\($0.block):\($0.start)-\($0.end)" }.joined(separator: ",")
                    lines.append("\(e.type.rawValue)\t\(e.text)\t\(e.normalized)\t\(e.quantity.value) \(e.quantity.unit)\t\(m)")
                }
                lines.append("")
            }
            try lines.joined(separator: "\n").write(toFile: dump, atomically: true, encoding: .utf8)
        }
        var entities = 0
        var best = Double.infinity
        // CPU time of this thread: on a shared machine wall time would count other processes.
        func cpuSeconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        for round in 1...rounds {
            let start = ContinuousClock.now
            let cpuStart = cpuSeconds()
            entities = 0
            for a in articles { entities += EntityRecognizer.shared.recognize(fields: a.fields, pageDate: a.date).count }
            let cpu = cpuSeconds() - cpuStart
            let d = ContinuousClock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            best = min(best, cpu)
            print(String(format: "round %d: %.2f MB, CPU %.3f s = %.1f MB/s per core (wall %.3f s; %d entities)", round,
                         Double(bytes) / 1e6, cpu, Double(bytes) / 1e6 / cpu, seconds, entities))
        }
        print(String(format: "best: %.1f MB/s per core (CPU time) over %d articles", Double(bytes) / 1e6 / best, articles.count))
        if args.count > 3 && args[3] == "--parse" {
            ParseBench.run(pages: pageOrder.map { pageTexts[$0]! }, rounds: rounds, cpuSeconds: cpuSeconds)
        }
    }
}
