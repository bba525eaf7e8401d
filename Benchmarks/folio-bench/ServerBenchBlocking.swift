import FolioClient
import FolioModel
import FolioWire
import Foundation
import NIOConcurrencyHelpers

/// GetArticle load from `FolioBlockingClient`: each connection is driven by a thread of its own,
/// which writes a call and waits in a blocking read (one connection: the synchronous caller).
enum BlockingClientLoad {
    static func measure(socket: String, ids: [String], connections: Int, requests: Int, zlib: Bool) throws -> LatencyRow {
        let bodies = try ids.map { id in try Folio_V1_GetArticleRequest.with { $0.articleID = id }.serializedData() }
        let options = FolioCallOptions(acceptCompressedResponses: zlib ? true : nil)
        let clients = (0..<connections).map { _ in FolioBlockingClient(socketPath: socket) }
        defer { clients.forEach { $0.close() } }
        let perConnection = max(1, requests / connections)
        _ = try run(clients, bodies: bodies, calls: min(perConnection, 2_000), options: options)  // warm-up
        let started = ContinuousClock.now
        let latencies = try run(clients, bodies: bodies, calls: perConnection, options: options).sorted()
        let elapsed = GetArticleLoad.seconds(ContinuousClock.now - started)
        return LatencyRow(label: "blocking" + (zlib ? " zlib" : ""), connections: connections, calls: latencies.count,
                          medianMicros: GetArticleLoad.percentile(latencies, 0.50),
                          p99Micros: GetArticleLoad.percentile(latencies, 0.99), rate: Double(latencies.count) / elapsed)
    }

    /// Latencies and the first failure of all threads.
    private final class Collected: Sendable {
        private let state = NIOLockedValueBox<(latencies: [Double], failure: (any Error)?)>(([], nil))

        var latencies: [Double] { state.withLockedValue { $0.latencies } }
        var failure: (any Error)? { state.withLockedValue { $0.failure } }

        func add(_ part: [Double], _ error: (any Error)?) {
            state.withLockedValue {
                $0.latencies += part
                if $0.failure == nil { $0.failure = error }
            }
        }
    }

    /// One thread per client, all started together; every call's latency in µs.
    private static func run(_ clients: [FolioBlockingClient], bodies: [Data], calls: Int,
                            options: FolioCallOptions) throws -> [Double] {
        let collected = Collected()
        let done = DispatchGroup()
        for (index, client) in clients.enumerated() {
            done.enter()
            Thread {
                defer { done.leave() }
                var latencies: [Double] = []
                latencies.reserveCapacity(calls)
                var cursor = index * 7919
                do {
                    for _ in 0..<calls {
                        let body = bodies[cursor % bodies.count]
                        cursor &+= 1
                        let start = ContinuousClock.now
                        let answer = try client.call(method: FolioMethod.getArticle.rawValue, body: body, options: options)
                        if answer.isEmpty { throw BenchError(description: "empty GetArticle answer") }
                        latencies.append(GetArticleLoad.seconds(ContinuousClock.now - start) * 1e6)
                    }
                    collected.add(latencies, nil)
                } catch {
                    collected.add(latencies, error)
                }
            }.start()
        }
        done.wait()
        if let failure = collected.failure { throw failure }
        return collected.latencies
    }
}
