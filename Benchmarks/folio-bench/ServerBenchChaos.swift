import ArgumentParser
import FolioClient
import FolioModel
import FolioWire
import FolioTestSupport
import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// `folio-bench load`: the release daemon under 64 connections of mixed calls (GetArticle,
/// Search, ListArticles, Parse, Ingest, cancels, short deadlines) while misbehaving peers run
/// beside them (never-reading, one byte per second, garbage, connect-and-close storms).
/// Prints calls answered, errors by code, p50/p99 per method and peak RSS. `--soak-seconds 600`
/// repeats rounds for `--warm-up-seconds` and then that long, with a SIGHUP reload every
/// `--reload-every` seconds, and prints the RSS of the soak's last minute against the warm-up's.
struct ChaosLoadBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Mixed calls on many connections plus misbehaving peers: lost calls, errors, latency, RSS.")

    @Option(help: "PFR articles JSONL.") var corpus = "../shared/corpus/pfr1998/articles-01-20.jsonl"
    @Option(help: "foliod binary (default: beside this executable).") var foliod: String?
    @Option(help: "Well-behaved connections.") var connections = 64
    @Option(help: "Calls per connection per round.") var calls = 10_000
    @Option(help: "Pages ingested before the run.") var pages = 200
    @Option(help: "Keep running rounds for this many seconds (0: one round).") var soakSeconds = 0
    @Option(help: "During a soak, SIGHUP the daemon this often (seconds).") var reloadEvery = 30
    @Option(help: "Seconds of the same load before a soak, whose last minute's RSS the soak is measured against; 0: until RSS settles (a minute's median at most 2% above the one three minutes before), at most 900 s.")
    var warmUpSeconds = 0
    @Flag(inversion: .prefixedNo, help: "Run the misbehaving peers beside the calls.") var peers = true

    func run() async throws {
        let daemon = try await BenchDaemon.prepare(foliod: foliod, socket: nil)
        defer { daemon.stop() }
        guard let pid = daemon.pid else { throw BenchError(description: "no daemon process") }
        let corpus = try BenchCorpus(path: corpus)
        try await corpus.ingest(pages: pages, articlesPerPage: 10, socket: daemon.socketPath)
        let ids = try await ChaosRound.articleIDs(socket: daemon.socketPath)
        let texts = corpus.articles.prefix(500).map { $0.paragraphs.joined(separator: "\n\n") }
        print("foliod pid \(pid): \(pages) pages, \(ids.count) articles; \(connections) connections × \(calls) calls per round")

        let sampler = RSSSampler(pid: pid)
        sampler.start()
        let misbehaving = MisbehavingPeers(socket: daemon.socketPath, getArticle: ids[0])
        if peers { misbehaving.start() }
        // A soak is warm-up plus `soakSeconds`; a single round has neither.
        var warmUpEnded: Double? = warmUpSeconds > 0 ? Double(warmUpSeconds) : nil
        // Reloads run on their own clock: a round of many connections can outlast the period.
        let period = soakSeconds > 0 ? reloadEvery : 0
        let reloads = Task<Int, Never> {
            var sent = 0
            while period > 0 {
                do { try await Task.sleep(for: .seconds(period)) } catch { break }
                kill(pid, SIGHUP)
                sent += 1
            }
            return sent
        }
        var round = 0
        var afterRound2: Int?
        repeat {
            round += 1
            let result = try await ChaosRound(socket: daemon.socketPath, ids: ids, texts: texts,
                                              connections: connections, calls: calls, round: round).run()
            result.print(round: round, peers: misbehaving.counts())
            let now = sampler.current()
            print(String(format: "  RSS %.1f MB at %.0f s", Double(now) / 1e6, sampler.elapsed))
            if round == 2 { afterRound2 = now }
            if soakSeconds > 0 && warmUpEnded == nil { warmUpEnded = sampler.settled(maxSeconds: 900) }
        } while soakSeconds > 0 && sampler.elapsed < (warmUpEnded ?? .infinity) + Double(soakSeconds)
        let loadEnded = sampler.elapsed
        reloads.cancel()
        let reloadsSent = await reloads.value
        if peers { misbehaving.stop() }
        try await Task.sleep(for: .seconds(2))
        sampler.stop()
        let after = sampler.current()
        func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }
        func change(_ to: Int, from: Int) -> String { String(format: "%+.1f%%", 100 * (Double(to) - Double(from)) / Double(max(from, 1))) }
        print("RSS: peak \(mb(sampler.peak)), 2 s after the load \(mb(after)); \(reloadsSent) SIGHUP reloads")
        guard soakSeconds > 0 else {
            print(daemon.isRunning ? "foliod still serving" : "FOLIOD EXITED")
            return
        }
        // Levels are medians of the 50 ms samples over a minute, so that one round's transient
        // (a reload, a never-reading peer's queue) does not decide them.
        let minutes = Int(loadEnded / 60)
        let perMinute = (0..<minutes).map { sampler.median(from: Double($0) * 60, to: Double($0 + 1) * 60) }
        print("RSS median per minute of load: " + perMinute.map { String(format: "%.0f", Double($0) / 1e6) }.joined(separator: " ") + " MB")
        let warmed = warmUpEnded ?? 0
        let warm = sampler.median(from: max(0, warmed - 60), to: warmed)
        let end = sampler.median(from: loadEnded - 60, to: loadEnded)
        print(String(format: "RSS after %.0f s of warm-up ", warmed) + "\(mb(warm)); last minute of the \(soakSeconds) s soak \(mb(end)) "
              + "(\(change(end, from: warm))), 2 s after the load \(mb(after)) (\(change(after, from: warm)))")
        if let afterRound2 {
            print("  (against the end of round 2, \(mb(afterRound2)): last minute \(change(end, from: afterRound2)))")
        }
        print(daemon.isRunning ? "foliod still serving" : "FOLIOD EXITED")
    }
}

/// One round of well-behaved load: every connection makes its calls one after another.
struct ChaosRound {
    let socket: String
    let ids: [String]
    let texts: [String]
    let connections: Int
    let calls: Int
    let round: Int

    enum Kind: String, CaseIterable { case getArticle, search, listArticles, parse, ingest, cancel, shortDeadline }
    static let queries = ["中国", "经济", "北京", "发展", "人民", "改革 开放", "\"国有企业\"", "农业 -北京"]

    struct Result {
        var answered = 0
        var lost = 0
        var codes: [String: Int] = [:]
        var micros: [Kind: [Double]] = [:]

        mutating func merge(_ other: Result) {
            answered += other.answered
            lost += other.lost
            codes.merge(other.codes, uniquingKeysWith: +)
            micros.merge(other.micros, uniquingKeysWith: +)
        }

        func print(round: Int, peers: String) {
            Swift.print("round \(round): \(answered) calls answered, \(lost) lost; codes \(codes.sorted { $0.key < $1.key })")
            for kind in Kind.allCases {
                guard let values = micros[kind]?.sorted(), !values.isEmpty else { continue }
                Swift.print("  " + kind.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
                            + String(format: " %7d calls  p50 %8.0f µs  p99 %9.0f µs", values.count, values[values.count / 2], values[min(values.count - 1, values.count * 99 / 100)]))
            }
            Swift.print("  misbehaving peers: \(peers)")
        }
    }

    static func articleIDs(socket: String) async throws -> [String] {
        let client = FolioClient(socketPath: socket)
        defer { client.close() }
        var request = Folio_V1_ListArticlesRequest()
        request.pageSize = 1000
        return try await client.listArticles(request).articles.map(\.id)
    }

    func run() async throws -> Result {
        try await withThrowingTaskGroup(of: Result.self) { group in
            for connection in 0..<connections {
                group.addTask { try await drive(connection) }
            }
            var total = Result()
            for try await part in group { total.merge(part) }
            return total
        }
    }

    private func drive(_ connection: Int) async throws -> Result {
        // A lost call is one with no answer at all: the client gives up after 30 s.
        let client = FolioClient(socketPath: socket, configuration: .init(defaultTimeout: .seconds(30)))
        defer { client.close() }
        var random = SplitMix64(seed: UInt64(round * 1_000 + connection))
        var result = Result()
        for n in 0..<calls {
            let roll = random.next() % 100
            let kind: Kind = roll < 55 ? .getArticle : roll < 75 ? .search : roll < 85 ? .listArticles
                : roll < 91 ? .parse : roll < 94 ? .ingest : roll < 97 ? .cancel : .shortDeadline
            let id = ids[Int(random.next() % UInt64(ids.count))]
            let started = ContinuousClock.now
            do {
                switch kind {
                case .getArticle: _ = try await client.getArticle(id: id)
                case .search: _ = try await client.search(Self.queries[n % Self.queries.count])
                case .listArticles:
                    var request = Folio_V1_ListArticlesRequest()
                    request.pageSize = 20
                    _ = try await client.listArticles(request)
                case .parse:
                    var request = Folio_V1_ParseRequest()
                    request.text = texts[n % texts.count]
                    _ = try await client.parse(request)
                case .ingest:
                    var request = Folio_V1_IngestRequest()
                    request.text = texts[n % texts.count] + "\n（第\(round)轮）\n"
                    request.pageID = "load-\(connection)-\(n % 20)"
                    request.replace = true
                    _ = try await client.ingest(request)
                case .cancel:
                    let task = Task { try await client.search("中国") }
                    task.cancel()
                    _ = try await task.value
                case .shortDeadline:
                    var request = Folio_V1_ParseRequest()
                    request.text = texts[n % texts.count]
                    _ = try await client.parse(request, options: .init(timeout: .microseconds(200)))
                }
                result.codes["OK", default: 0] += 1
                result.answered += 1
            } catch let error as FolioError {
                if error.kind == .local && error.code == .deadlineExceeded && kind != .shortDeadline {
                    result.lost += 1
                } else {
                    result.answered += 1
                }
                result.codes[error.code.name, default: 0] += 1
            } catch is CancellationError {
                result.codes["CANCELLED(local)", default: 0] += 1
                result.answered += 1
            }
            let elapsed = ContinuousClock.now - started
            result.micros[kind, default: []].append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        }
        return result
    }
}

/// Samples the daemon's VmRSS every 50 ms from `start()`, keeping every sample with its time.
final class RSSSampler: Sendable {
    let pid: Int32
    private let started = NIOLockedValueBox(ContinuousClock.now)
    private let state = NIOLockedValueBox((running: false, samples: [(seconds: Double, bytes: Int)]()))

    init(pid: Int32) { self.pid = pid }

    /// Seconds since `start()`.
    var elapsed: Double {
        let duration = ContinuousClock.now - started.withLockedValue { $0 }
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    var peak: Int { state.withLockedValue { $0.samples.map(\.bytes).max() ?? 0 } }

    /// The median of the samples taken between `from` and `to` seconds (0 when there are none).
    func median(from: Double, to: Double) -> Int {
        let window = state.withLockedValue { $0.samples.filter { (from..<to).contains($0.seconds) }.map(\.bytes) }.sorted()
        return window.isEmpty ? 0 : window[window.count / 2]
    }

    /// Now, when the last minute's median RSS is at most 2% above the median of the minute three
    /// minutes before it (or `maxSeconds` have passed); else nil.
    func settled(maxSeconds: Double) -> Double? {
        let now = elapsed
        guard now >= 240 else { return nil }
        let last = median(from: now - 60, to: now), before = median(from: now - 240, to: now - 180)
        return Double(last) <= 1.02 * Double(before) || now >= maxSeconds ? now : nil
    }

    func current() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
        }
        return 0
    }

    func start() {
        started.withLockedValue { $0 = .now }
        state.withLockedValue { $0.running = true }
        Thread {
            while self.state.withLockedValue({ $0.running }) {
                let sample = (seconds: self.elapsed, bytes: self.current())
                self.state.withLockedValue { $0.samples.append(sample) }
                usleep(50_000)  // the sampling period
            }
        }.start()
    }

    func stop() { state.withLockedValue { $0.running = false } }
}

/// Peers that break the rules, each on a thread of its own, until stopped.
final class MisbehavingPeers: Sendable {
    let socket: String
    let getArticle: String
    private let running = NIOLockedValueBox(false)
    private let tally = NIOLockedValueBox<[String: Int]>([:])

    init(socket: String, getArticle: String) {
        self.socket = socket
        self.getArticle = getArticle
    }

    func counts() -> String {
        tally.withLockedValue { $0.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
    }

    private func count(_ key: String) { tally.withLockedValue { $0[key, default: 0] += 1 } }
    private var isRunning: Bool { running.withLockedValue { $0 } }

    func start() {
        running.withLockedValue { $0 = true }
        let frame = Self.requestFrame(method: FolioMethod.getArticle.rawValue, body: {
            var request = Folio_V1_GetArticleRequest()
            request.articleID = getArticle
            return (try? request.serializedBytes()) ?? []
        }())
        spawn("never-reading") { fd in
            // Pipelines requests and reads nothing until the daemon hangs up.
            while self.isRunning, Self.send(fd, frame) { }
        }
        spawn("drip-feeding") { fd in
            for byte in frame where self.isRunning {
                guard Self.send(fd, [byte]) else { return }
                sleep(1)
            }
        }
        spawn("garbage") { fd in
            var random = SplitMix64(seed: 7)
            let junk = (0..<4096).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = Self.send(fd, junk)
            usleep(100_000)
        }
        spawn("connect-close") { _ in usleep(5_000) }
    }

    func stop() { running.withLockedValue { $0 = false } }

    /// Runs `body` on a fresh connection, again and again, on its own thread.
    private func spawn(_ name: String, _ body: @escaping @Sendable (Int32) -> Void) {
        Thread {
            while self.isRunning {
                let fd = Self.connect(self.socket)
                guard fd >= 0 else { usleep(10_000); continue }
                self.count(name)
                body(fd)
                close(fd)
            }
        }.start()
    }

    static func requestFrame(method: String, body: [UInt8]) -> [UInt8] {
        var request = Folio_V1_Request()
        request.id = 1
        request.method = method
        request.body = Data(body)
        let payload = (try? request.serializedBytes()) ?? [UInt8]()
        guard let frame = try? FrameWriter.frame(payload: payload, compress: false) else { return [] }
        return Array(frame.readableBytesView)
    }

    static func connect(_ path: String) -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(107))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if ok != 0 { close(fd); return -1 }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)   // a blocked send gives up, so stop() is honoured
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// False once the daemon hung up (or a send timed out).
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }
}
