import ArgumentParser
import FolioClient
import FolioModel
import Foundation

#if canImport(Glibc)
import Glibc
#endif

let serverBenchmarks: [ParsableCommand.Type] = [GetArticleBenchmark.self]

/// `folio-bench getarticle`: GetArticle latency and rate over the socket, next to
/// redis-benchmark GETs of a value of the same size on a Unix socket, same connection counts.
struct GetArticleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "getarticle",
        abstract: "GetArticle median/p99 latency and rate for 1 and 16 connections, against redis-benchmark.",
        discussion: """
            Starts foliod (release build next to this binary unless --foliod) on a temporary socket \
            and data directory, ingests pages built from the pfr1998 corpus, then measures. \
            Also starts redis-server on a temporary Unix socket and, right after each row, runs \
            redis-benchmark GET with the median article size and the row's connection count. \
            Targets: median < 50 µs on one connection; rate ≥ Redis's.
            """
    )

    @Option(help: "foliod binary (default: the one next to folio-bench).")
    var foliod: String?

    @Option(name: .customLong("foliod-threads"),
            help: "foliod's --threads (event loops) for the daemon started here; default: foliod's own (half the cores, at least one).")
    var foliodThreads: Int?

    @Option(help: "Use an already running foliod on this socket instead of starting one (no ingest).")
    var socket: String?

    @Option(help: "pfr1998 articles (JSON lines).")
    var corpus = "../shared/corpus/pfr1998/articles-01-20.jsonl"

    @Option(help: "Pages to ingest (each holds --articles-per-page corpus articles).")
    var pages = 200

    @Option(name: .customLong("articles-per-page"), help: "Corpus articles per page.")
    var articlesPerPage = 10

    @Option(help: "Calls measured per connection count (after warm-up).")
    var requests = 100_000

    @Option(help: "Connection counts to measure.")
    var connections: [Int] = [1, 16]

    @Option(name: .customLong("client-loops"),
            help: "Event loops the bench's connections share (1, like redis-benchmark's single thread).")
    var clientLoops = 1

    @Flag(name: .customLong("redis-all-keys"),
          help: "Give Redis one key per article and GET them at random (-r), instead of one key always hot in cache.")
    var redisAllKeys = false

    @Flag(name: .customLong("no-redis"), help: "Skip the redis-benchmark comparison.")
    var noRedis = false

    @Option(help: "Client paths to measure: c (libfolio, redis-benchmark's arrangement), blocking (FolioBlockingClient), call, pinned, typed (FolioClient).")
    var api: [String] = GetArticleLoad.API.allCases.map(\.rawValue)

    @Option(name: .customLong("c-bench"), help: "folio-c-bench binary for the c rows (built by `make -C Clients/c`).")
    var cBench = CClientLoad.defaultBinary

    @Option(help: "GetArticle answers compressed (on: every call accepts zlib), the default client (off: plain), or both.")
    var zlib: ZlibChoice = .both

    enum ZlibChoice: String, ExpressibleByArgument {
        case on, off, both
        var settings: [Bool] { self == .both ? [false, true] : [self == .on] }
    }

    func run() async throws {
        let server = try await BenchDaemon.prepare(foliod: foliod, socket: socket, threads: foliodThreads)
        defer { server.stop() }
        let articleIDs: [String]
        if socket == nil {
            let builder = try BenchCorpus(path: corpus)
            try await builder.ingest(pages: pages, articlesPerPage: articlesPerPage, socket: server.socketPath)
        }
        articleIDs = try await BenchCorpus.articleIDs(socket: server.socketPath)
        guard !articleIDs.isEmpty else { throw ValidationError("foliod serves no article to fetch") }
        let size = try await BenchCorpus.medianArticleBytes(articleIDs, socket: server.socketPath)
        print("foliod: \(articleIDs.count) articles; median GetArticle body \(size) bytes; \(requests) calls per row")
        let serverThreads = socket != nil ? "as already running" : foliodThreads.map { "\($0) event loop(s) (--threads \($0))" }
            ?? "its default event loops (half the cores: \(max(1, ProcessInfo.processInfo.activeProcessorCount / 2)))"
        print("arrangement: foliod with \(serverThreads); the bench's N connections are N FolioClients sharing "
            + "\(clientLoops) client event loop(s), one call in flight per connection (redis-benchmark: one thread, "
            + "redis-server: one thread)")

        var apis = try api.map { name -> GetArticleLoad.API in
            guard let api = GetArticleLoad.API(rawValue: name) else { throw ValidationError("unknown --api \(name)") }
            return api
        }
        if apis.contains(.c) && !FileManager.default.isExecutableFile(atPath: cBench) {
            print("c rows skipped: \(cBench) is missing (make -C Clients/c, or --c-bench PATH)")
            apis.removeAll { $0 == .c }
        }
        print("load average before: \(LatencyTable.loadAverage())")
        if apis.contains(.typed) {
            let decode = try await ArticleDecodeCost.measure(ids: articleIDs, socket: server.socketPath)
            print(String(format: "Article decode in-process (%d articles, median %d bytes): swift-protobuf median %.1f µs "
                + "per article, %.1f µs per KB; FolioClient.decodeArticle (getArticle's) %.1f µs, %.1f µs per KB",
                decode.articles, decode.medianBytes, decode.medianMicros, decode.microsPerKB, decode.fastMedianMicros,
                decode.fastMicrosPerKB))
        }
        var redis: RedisBenchmark?
        if !noRedis {
            do {
                redis = try RedisBenchmark(valueBytes: size, keys: redisAllKeys ? articleIDs.count : 1)
                print(redisAllKeys ? "redis: \(articleIDs.count) keys of \(size) bytes, GET at random (-r)"
                                   : "redis: one key of \(size) bytes (redis-benchmark's default)")
            } catch {
                print("redis-benchmark not run: \(error)")
            }
        }
        defer { redis?.stop() }
        var rows: [LatencyRow] = []
        for zlib in zlib.settings {
            for api in apis {
                for count in connections {
                    var row: LatencyRow
                    switch api {
                    case .c:
                        row = try CClientLoad.measure(binary: cBench, socket: server.socketPath, ids: articleIDs,
                                                      connections: count, requests: requests, zlib: zlib)
                    case .blocking:
                        row = try BlockingClientLoad.measure(socket: server.socketPath, ids: articleIDs,
                                                             connections: count, requests: requests, zlib: zlib)
                    default:
                        row = try await GetArticleLoad.measure(socket: server.socketPath, ids: articleIDs,
                                                               connections: count, requests: requests, api: api,
                                                               zlib: zlib, clientLoops: clientLoops)
                    }
                    row.redis = try redis?.measure(connections: count, requests: requests)
                    rows.append(row)
                }
            }
        }
        LatencyTable.print(rows, apis: apis)
        print("load average after: \(LatencyTable.loadAverage())")
    }
}
