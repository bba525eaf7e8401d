import ArgumentParser
import FolioParser
import FolioTestSupport
import Foundation

/// `folio-bench adversarial`: parse time of hostile pages (one long line, millions of short
/// lines, no punctuation, all numerals, all dateline-like lines, …) next to a normal page's
/// per-byte time. Parsing must stay linear: a hostile page may cost a few times a normal
/// page per byte, never more with size.
struct AdversarialParseBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adversarial",
        abstract: "Parse time of adversarial pages (linear-time check) against normal PFR pages.")

    @Option(help: "PFR articles JSONL (the normal pages).")
    var corpus = "../shared/corpus/pfr1998/articles-01-20.jsonl"

    @Option(help: "Size of each adversarial input, in MB (also run at a quarter of it to show the growth).")
    var megabytes = 16

    @Option(help: "Run only these inputs (e.g. short-lines); all when absent.")
    var only: [String] = []

    @Flag(help: "Skip the normal pages (for profiling one input).")
    var noNormal = false

    @Flag(help: "Only the full size, not its quarter (for profiling).")
    var fullSizeOnly = false

    @Option(help: "Parse each input this many times and keep the fastest (a loaded machine's noise).")
    var repeats = 1

    func run() throws {
        let parser = PageParser()
        let pages = try ParseBenchmark.buildPages(fromJSONL: corpus).prefix(400)
        let normal = noNormal ? [] : pages
        // Loads the shared models (bigrams, entity lexicon) before anything is timed.
        _ = parser.parse(text: pages.first ?? "", source: "warmup.txt")
        let normalBytes = normal.reduce(0) { $0 + $1.utf8.count }
        var normalNsPerByte = Double.infinity, normalCPUNsPerByte = Double.infinity
        for _ in 0..<max(repeats, 1) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let cpu0 = threadCPUSeconds()
            for (i, page) in normal.enumerated() {
                _ = parser.parse(text: page, source: "normal-\(i).txt")
            }
            normalNsPerByte = min(normalNsPerByte, Double(DispatchTime.now().uptimeNanoseconds - t0) / Double(max(normalBytes, 1)))
            // On a shared machine wall time counts other processes' work: CPU time is the cost of parsing.
            normalCPUNsPerByte = min(normalCPUNsPerByte, (threadCPUSeconds() - cpu0) * 1e9 / Double(max(normalBytes, 1)))
        }
        print(String(format: "normal pages: %d pages, %.1f MB, %.1f MB/s (%.0f ns/byte; CPU %.0f ns/byte)",
                     normal.count, Double(normalBytes) / 1e6, 1e3 / normalNsPerByte, normalNsPerByte, normalCPUNsPerByte))
        print("input            size      time     MB/s   ns/byte  × normal   CPU ns/byte  × normal CPU")
        for kind in HostileText.Kind.allCases where only.isEmpty || only.contains(kind.rawValue) {
            for size in fullSizeOnly ? [megabytes * 1_000_000] : [megabytes * 1_000_000 / 4, megabytes * 1_000_000] {
                let text = HostileText.make(kind, bytes: size)
                var ns = Double.infinity, cpuPerByte = Double.infinity, articles = 0
                for _ in 0..<max(repeats, 1) {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let cpuStart = threadCPUSeconds()
                    articles = parser.parse(text: text, source: "hostile.txt").articles.count
                    cpuPerByte = min(cpuPerByte, (threadCPUSeconds() - cpuStart) * 1e9 / Double(text.utf8.count))
                    ns = min(ns, Double(DispatchTime.now().uptimeNanoseconds - start))
                }
                let perByte = ns / Double(text.utf8.count)
                print(kind.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
                      + String(format: "%5.1f MB %7.2f s %7.1f %8.0f %8.1f× %10.0f %10.1f×   (%d articles)",
                             Double(text.utf8.count) / 1e6, ns / 1e9,
                             1e3 / perByte, perByte, perByte / normalNsPerByte,
                             cpuPerByte, cpuPerByte / normalCPUNsPerByte, articles))
            }
        }
    }
}

/// Deterministic hostile page texts.
enum HostileText {
    enum Kind: String, CaseIterable {
        case longLine = "one-long-line", shortLines = "short-lines", noPunctuation = "no-punctuation"
        case numerals, datelines, headlines, blankLines = "blank-lines"
        /// One paragraph of organizations with places inside them (entity resolution per field).
        case organizations
        /// A page dumped as one line of ordinary news sentences, dense with people, places and
        /// organizations (the rules' names merged with the tagger's, per field).
        case namesLine = "names-one-line"
        /// One character repeated, no break at all (one name as long as the field).
        case oneCharacter = "one-character"
    }

    static func make(_ kind: Kind, bytes: Int) -> String {
        var random = SplitMix64(seed: 19980101)
        func han() -> Character { Character(Unicode.Scalar(0x4E00 + UInt32(random.next() % 3000))!) }
        func word(_ n: Int) -> String { String((0..<n).map { _ in han() }) }
        func pick(_ s: [Character]) -> Character { s[Int(random.next() % UInt64(s.count))] }
        let digits = Array("0123456789０１２３４５６７８９一二三四五六七八九十百千万亿年月日号.")
        var out = ""
        out.reserveCapacity(bytes + 64)
        while out.utf8.count < bytes {
            switch kind {
            case .longLine: out += word(999) + "，"
            case .shortLines: out += word(1) + "\n"
            case .noPunctuation: out += word(5 + Int(random.next() % 36)) + "\n"
            case .numerals: out += String((0..<(5 + Int(random.next() % 56))).map { _ in pick(digits) }) + "\n"
            case .datelines: out += "本报北京\(1 + random.next() % 12)月\(1 + random.next() % 31)日讯记者\(word(2))报道：\(word(1))\n"
            case .headlines: out += word(8) + "\n\n——" + word(8) + "\n\n"
            case .blankLines: out += "\n\n\n\n\n\n\n\n"
            case .organizations: out += "黑山县" + word(3) + "有限责任公司、凌海市" + word(2) + "采石场、"
            case .namesLine:
                let places = ["北京", "上海市", "锦州", "广东省"], acts = ["会见了", "考察", "主持召开"]
                let bodies = ["国务院", "锦州市科技局", "中国人民银行"]
                let person = String(pick(Array("王李张刘陈杨赵黄周吴"))) + word(2)
                let place = places[Int(random.next() % 4)], act = acts[Int(random.next() % 3)]
                let body = bodies[Int(random.next() % 3)]
                out += person + "在" + place + act + body + "负责人" + word(4) + "。"
            case .oneCharacter: out += String(repeating: "测", count: 1000)
            }
        }
        return out
    }
}
