import FolioClient
import FolioModel
import FolioWire
import Foundation

/// One measured row: latency percentiles and the request rate.
struct LatencyRow {
    let label: String
    let connections: Int
    let calls: Int
    let medianMicros: Double
    let p99Micros: Double
    let rate: Double
    /// redis-benchmark with the same connection count, run right after this row (same load).
    var redis: RedisBenchmark.Row?
}

/// Closed-loop GetArticle load: each connection (its own FolioClient) issues one call at a time.
enum GetArticleLoad {
    enum API: String, CaseIterable {
        /// `call(method:body:)` from ordinary tasks on the cooperative pool: the serialized
        /// Article comes back as bytes, like Redis's GET value (two thread hops per call).
        case call
        /// The same `call` from tasks that prefer the client's event-loop executor (no hop).
        case pinned
        /// `getArticle(id:)`: the typed API, which also decodes the Article (its cost: Benchmarks/RESULTS.md, "GetArticle").
        case typed
        /// libfolio (C) from `folio-c-bench`: foliod measured with a client as lean as redis-benchmark.
        case c
        /// `FolioBlockingClient`: a thread per connection, write then a blocking read.
        case blocking

        var summary: String {
            switch self {
            case .call: return "FolioClient call(method:body:) → bytes, from plain tasks (two thread hops per call)"
            case .pinned: return "the same call in tasks preferring client.executor (withEventLoopExecutor)"
            case .typed: return "getArticle(id:) → Folio_V1_Article decoded, from plain tasks"
            case .c: return "libfolio (C), folio-c-bench: one thread polls every connection, like redis-benchmark"
            case .blocking: return "FolioBlockingClient (Swift): a thread per connection, write then a blocking read"
            }
        }
    }

    static func measure(socket: String, ids: [String], connections: Int, requests: Int, api: API,
                        zlib: Bool, clientLoops: Int) async throws -> LatencyRow {
        // The default configuration: GetArticle answers come plain (FolioClient's rule); the zlib
        // rows ask each call for a compressed answer, which foliod splices from its stored blocks.
        // Connections share `clientLoops` event loops (redis-benchmark drives all its connections
        // from one thread): the first clients take distinct loops of the shared group, the others
        // reuse theirs.
        var clients: [FolioClient] = []
        for index in 0..<connections {
            if index < max(1, clientLoops) {
                clients.append(FolioClient(socketPath: socket))
            } else {
                let loop = clients[index % max(1, clientLoops)].eventLoop
                clients.append(FolioClient(socketPath: socket, eventLoop: loop))
            }
        }
        defer { clients.forEach { $0.close() } }
        let perConnection = max(1, requests / connections)
        let bodies = try ids.map { id -> Data in
            var request = Folio_V1_GetArticleRequest()
            request.articleID = id
            return try request.serializedData()
        }
        let load = Load(api: api, ids: ids, bodies: bodies, options: .init(acceptCompressedResponses: zlib ? true : nil))
        // Warm-up: connect, fill caches, let the daemon settle.
        _ = try await load.run(clients, calls: min(perConnection, 2_000))
        let started = ContinuousClock.now
        let latencies = try await load.run(clients, calls: perConnection)
        let elapsed = seconds(ContinuousClock.now - started)
        let sorted = latencies.sorted()
        return LatencyRow(label: api.rawValue + (zlib ? " zlib" : ""), connections: connections, calls: sorted.count,
                          medianMicros: percentile(sorted, 0.50), p99Micros: percentile(sorted, 0.99),
                          rate: Double(sorted.count) / elapsed)
    }

    private struct Load: Sendable {
        let api: API
        let ids: [String]
        let bodies: [Data]
        let options: FolioCallOptions

        /// One task per connection, all started together; returns every call's latency in µs.
        func run(_ clients: [FolioClient], calls: Int) async throws -> [Double] {
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for (index, client) in clients.enumerated() {
                    let offset = index * 7919
                    if api == .pinned, #available(macOS 15.0, *) {
                        group.addTask(executorPreference: client.executor) { try await loop(client, calls, offset) }
                    } else {
                        group.addTask { try await loop(client, calls, offset) }
                    }
                }
                var all: [Double] = []
                all.reserveCapacity(calls * clients.count)
                for try await part in group { all += part }
                return all
            }
        }

        private func loop(_ client: FolioClient, _ calls: Int, _ offset: Int) async throws -> [Double] {
            var latencies: [Double] = []
            latencies.reserveCapacity(calls)
            var cursor = offset
            let method = FolioMethod.getArticle.rawValue
            for _ in 0..<calls {
                let index = cursor % ids.count
                cursor &+= 1
                let start = ContinuousClock.now
                switch api {
                case .call, .pinned:
                    let bytes = try await client.call(method: method, body: bodies[index], options: options)
                    if bytes.isEmpty { throw BenchError(description: "empty GetArticle answer for \(ids[index])") }
                case .typed:
                    _ = try await client.getArticle(id: ids[index], options: options)
                case .c, .blocking:
                    throw BenchError(description: "\(api.rawValue) rows are measured by their own loads")
                }
                latencies.append(seconds(ContinuousClock.now - start) * 1e6)
            }
            return latencies
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

/// The printed comparison.
enum LatencyTable {
    static func print(_ rows: [LatencyRow], apis: [GetArticleLoad.API]) {
        Swift.print("")
        Swift.print("client path       conns  foliod p50 µs  p99 µs     req/s  |  redis p50 µs  p99 µs     req/s  |  rate ratio  p50 ratio")
        for row in rows {
            var line = row.label.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "  %5d  %13.1f %7.1f %9.0f", row.connections, row.medianMicros, row.p99Micros, row.rate)
            if let other = row.redis {
                line += String(format: "  |  %12.1f %7.1f %9.0f  |  %10.2f %9.2f", other.medianMicros, other.p99Micros,
                               other.rate, row.rate / other.rate, row.medianMicros / other.medianMicros)
            } else {
                line += "  |  (no redis figure)"
            }
            Swift.print(line)
        }
        Swift.print("")
        for api in apis { Swift.print("  \(api.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(api.summary)") }
        Swift.print("  zlib    each call accepts zlib: foliod splices its stored deflate blocks, the client inflates;")
        Swift.print("          without it the default client, which asks GetArticle for a plain answer")
        for single in rows where single.connections == 1 {
            Swift.print(String(format: "target median < 50 µs on one connection (%@): %.1f µs, %@", single.label,
                               single.medianMicros, single.medianMicros < 50 ? "met" : "not met"))
        }
        for row in rows {
            if let other = row.redis {
                Swift.print(String(format: "target rate ≥ redis with %d connections (%@): %.0f vs %.0f req/s, %@",
                                   row.connections, row.label, row.rate, other.rate, row.rate >= other.rate ? "met" : "not met"))
            }
        }
        Swift.print("rate ratio = foliod req/s ÷ redis req/s (target ≥ 1); p50 ratio = foliod p50 ÷ redis p50. "
            + "Each redis figure is redis-benchmark GET with the same connection count and calls, run right after "
            + "its row so both see the same machine load.")
    }

    /// /proc/loadavg's 1, 5 and 15 minute figures (the machine is shared; they qualify the numbers).
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
