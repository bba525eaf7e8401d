import FolioClient
import FolioModel
import Foundation

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
enum GetArticleLoad {
    static func measure(socket: String, ids: [String], connections: Int, requests: Int) async throws -> LatencyRow {
        let clients = (0..<connections).map { _ in FolioClient(socketPath: socket) }
        defer { clients.forEach { $0.close() } }
        let perConnection = max(1, requests / connections)
        // Warm-up: connect, fill caches, let the daemon settle.
        try await run(clients, ids: ids, calls: min(perConnection, 2_000), record: false)
        let started = ContinuousClock.now
        let latencies = try await run(clients, ids: ids, calls: perConnection, record: true)
        let elapsed = seconds(ContinuousClock.now - started)
        let sorted = latencies.sorted()
        return LatencyRow(label: "foliod GetArticle", connections: connections, calls: sorted.count,
                          medianMicros: percentile(sorted, 0.50), p99Micros: percentile(sorted, 0.99),
                          rate: Double(sorted.count) / elapsed)
    }

    private static func run(_ clients: [FolioClient], ids: [String], calls: Int, record: Bool) async throws -> [Double] {
        try await withThrowingTaskGroup(of: [Double].self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    var latencies: [Double] = []
                    latencies.reserveCapacity(record ? calls : 0)
                    var cursor = index * 7919
                    for _ in 0..<calls {
                        let id = ids[cursor % ids.count]
                        cursor &+= 1
                        let start = ContinuousClock.now
                        _ = try await client.getArticle(id: id)
                        if record { latencies.append(seconds(ContinuousClock.now - start) * 1e6) }
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
            server.terminate()
            server.waitUntilExit()
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
            benchmark.waitUntilExit()
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
        Swift.print("conns  foliod p50 µs  p99 µs     req/s  |  redis p50 µs  p99 µs     req/s  |  rate ratio  p50 ratio")
        for row in rows {
            var line = String(format: "%5d  %13.1f %7.1f %9.0f", row.connections, row.medianMicros, row.p99Micros, row.rate)
            if let other = redis[row.connections] {
                line += String(format: "  |  %12.1f %7.1f %9.0f  |  %10.2f %9.2f", other.medianMicros, other.p99Micros,
                               other.rate, row.rate / other.rate, row.medianMicros / other.medianMicros)
            } else {
                line += "  |  (no redis figure)"
            }
            Swift.print(line)
        }
        if let single = rows.first(where: { $0.connections == 1 }) {
            Swift.print(String(format: "target: median < 50 µs on one connection: %.1f µs (%@)", single.medianMicros,
                               single.medianMicros < 50 ? "met" : "not met"))
        }
        Swift.print("rate ratio = foliod req/s ÷ redis req/s (target ≥ 1); p50 ratio = foliod ÷ redis (redis p50 has 1 µs steps… as reported by redis-benchmark)")
    }
}
