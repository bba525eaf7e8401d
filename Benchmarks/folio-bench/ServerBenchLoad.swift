import FolioClient
import FolioModel
import FolioWire
import Foundation
import NIOCore
import NIOPosix

/// One measured row: latency percentiles and the request rate.
struct LatencyRow {
    let label: String
    let connections: Int
    let calls: Int
    let medianMicros: Double
    let p99Micros: Double
    let rate: Double
}

/// Closed-loop GetArticle load: each connection (its own FolioClient) issues one call at a time.
/// `async` measures the async/await API (a Swift-concurrency hop per call); `eventLoop`
/// chains calls on the connection's event loop through `callFuture` (no hop), as
/// redis-benchmark's own event loop does.
enum GetArticleLoad {
    enum API: String, CaseIterable {
        case async
        case eventLoop = "event-loop"
    }

    static func measure(socket: String, ids: [String], connections: Int, requests: Int, api: API,
                        zlib: Bool) async throws -> LatencyRow {
        let configuration = FolioClient.Configuration(acceptCompressedResponses: zlib)
        let clients = (0..<connections).map { _ in FolioClient(socketPath: socket, configuration: configuration) }
        defer { clients.forEach { $0.close() } }
        let perConnection = max(1, requests / connections)
        let bodies = try ids.map { id -> Data in
            var request = Folio_V1_GetArticleRequest()
            request.articleID = id
            return try request.serializedData()
        }
        // Warm-up: connect, fill caches, let the daemon settle.
        _ = try await run(api, clients, ids: ids, bodies: bodies, calls: min(perConnection, 2_000))
        let started = ContinuousClock.now
        let latencies = try await run(api, clients, ids: ids, bodies: bodies, calls: perConnection)
        let elapsed = seconds(ContinuousClock.now - started)
        let sorted = latencies.sorted()
        return LatencyRow(label: api.rawValue + (zlib ? "" : " plain"), connections: connections, calls: sorted.count,
                          medianMicros: percentile(sorted, 0.50), p99Micros: percentile(sorted, 0.99),
                          rate: Double(sorted.count) / elapsed)
    }

    private static func run(_ api: API, _ clients: [FolioClient], ids: [String], bodies: [Data],
                            calls: Int) async throws -> [Double] {
        switch api {
        case .async: return try await run(clients, ids: ids, calls: calls)
        case .eventLoop:
            var all: [Double] = []
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        try await client.connect()
                        return try await EventLoopChain(client: client, bodies: bodies, calls: calls, offset: index * 7919)
                            .run().get()
                    }
                }
                for try await part in group { all += part }
            }
            return all
        }
    }

    private static func run(_ clients: [FolioClient], ids: [String], calls: Int) async throws -> [Double] {
        try await withThrowingTaskGroup(of: [Double].self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    var latencies: [Double] = []
                    latencies.reserveCapacity(calls)
                    var cursor = index * 7919
                    for _ in 0..<calls {
                        let id = ids[cursor % ids.count]
                        cursor &+= 1
                        let start = ContinuousClock.now
                        _ = try await client.getArticle(id: id)
                        latencies.append(seconds(ContinuousClock.now - start) * 1e6)
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (s, atto) = duration.components
        return Double(s) + Double(atto) / 1e18
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]
    }
}

/// One connection's closed loop on its event loop: the next call starts in the callback of the
/// previous one. Each answer is decoded as an Article, as the typed API would.
final class EventLoopChain: @unchecked Sendable {
    private let client: FolioClient
    private let bodies: [Data]
    private let calls: Int
    private var cursor: Int
    private var latencies: [Double] = []
    private var promise: EventLoopPromise<[Double]>?

    init(client: FolioClient, bodies: [Data], calls: Int, offset: Int) {
        self.client = client
        self.bodies = bodies
        self.calls = calls
        cursor = offset
        latencies.reserveCapacity(calls)
    }

    func run() -> EventLoopFuture<[Double]> {
        guard let loop = client.eventLoop else {
            return MultiThreadedEventLoopGroup.singleton.any().makeFailedFuture(BenchError(description: "not connected"))
        }
        let promise = loop.makePromise(of: [Double].self)
        self.promise = promise
        loop.execute { self.next() }
        return promise.futureResult
    }

    private func next() {
        let body = bodies[cursor % bodies.count]
        cursor &+= 1
        let start = ContinuousClock.now
        client.callFuture(method: FolioMethod.getArticle.rawValue, body: body).whenComplete { result in
            switch result {
            case .success(let data):
                do {
                    _ = try Folio_V1_Article(serializedBytes: data)
                } catch {
                    self.promise?.fail(error)
                    return
                }
                self.latencies.append(GetArticleLoad.seconds(ContinuousClock.now - start) * 1e6)
                if self.latencies.count == self.calls {
                    self.promise?.succeed(self.latencies)
                } else {
                    self.next()
                }
            case .failure(let error):
                self.promise?.fail(error)
            }
        }
    }
}

/// redis-server on a temporary Unix socket, measured by redis-benchmark (GET of a value of the
/// article's size; SET runs first so the key exists).
enum RedisBenchmark {
    struct Row {
        let rate: Double
        let medianMicros: Double
        let p99Micros: Double
    }

    static func run(valueBytes: Int, connections: [Int], requests: Int) throws -> [Int: Row] {
        let directory = try BenchDaemon.temporaryDirectory(prefix: "folio-redis")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/redis.sock"
        let server = Process()
        server.executableURL = try which("redis-server")
        server.arguments = ["--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no",
                            "--dir", directory]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            // SIGKILL: a child may inherit a blocked SIGTERM from this process, and this
            // throw-away server has nothing to save.
            kill(server.processIdentifier, SIGKILL)
            BenchDaemon.waitForExit(server)
        }
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: socket) { usleep(10_000) }
        var rows: [Int: Row] = [:]
        for count in connections {
            let benchmark = Process()
            benchmark.executableURL = try which("redis-benchmark")
            benchmark.arguments = ["-s", socket, "-t", "set,get", "-d", "\(valueBytes)", "-c", "\(count)",
                                   "-n", "\(requests)", "--csv"]
            let output = Pipe()
            benchmark.standardOutput = output
            benchmark.standardError = FileHandle.nullDevice
            try benchmark.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            BenchDaemon.waitForExit(benchmark)
            // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("\"GET\"") {
                let fields = line.split(separator: ",").map { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) }
                guard fields.count >= 7, let rps = fields[1], let p50 = fields[4], let p99 = fields[6] else { continue }
                rows[count] = Row(rate: rps, medianMicros: p50 * 1000, p99Micros: p99 * 1000)
            }
        }
        return rows
    }

    private static func which(_ name: String) throws -> URL {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
        }
        throw BenchError(description: "\(name) is not installed")
    }
}

/// The printed comparison.
enum LatencyTable {
    static func print(_ rows: [LatencyRow], redis: [Int: RedisBenchmark.Row]) {
        Swift.print("")
        Swift.print("client API        conns  foliod p50 µs  p99 µs     req/s  |  redis p50 µs  p99 µs     req/s  |  rate ratio  p50 ratio")
        for row in rows {
            var line = row.label.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "  %5d  %13.1f %7.1f %9.0f", row.connections, row.medianMicros, row.p99Micros, row.rate)
            if let other = redis[row.connections] {
                line += String(format: "  |  %12.1f %7.1f %9.0f  |  %10.2f %9.2f", other.medianMicros, other.p99Micros,
                               other.rate, row.rate / other.rate, row.medianMicros / other.medianMicros)
            } else {
                line += "  |  (no redis figure)"
            }
            Swift.print(line)
        }
        for single in rows where single.connections == 1 {
            Swift.print(String(format: "target median < 50 µs on one connection (%@): %.1f µs, %@", single.label,
                               single.medianMicros, single.medianMicros < 50 ? "met" : "not met"))
        }
        Swift.print("rate ratio = foliod req/s ÷ redis req/s (target ≥ 1); p50 ratio = foliod p50 ÷ redis p50 "
            + "(redis-benchmark reports latency in 1 µs steps from its histogram)")
    }
}
