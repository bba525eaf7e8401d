import FolioClient
import FolioModel
import FolioTestSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Signals and crashes: SIGHUP reload under load, SIGTERM drain, SIGKILL during ingest.
@Suite("Daemon lifecycle", .serialized)
struct LifecycleTests {
    @Test("SIGHUP reloads while calls run, and no call fails")
    func reloadUnderLoad() async throws {
        try await withDaemon { daemon, client in
            var ids: [String] = []
            for index in 0..<3 { ids += try await client.ingest(TestPages.ingestRequest(index)).articleIds }
            let articleIDs = ids
            let stop = NIOLockedValueBox(false)
            // Every answered call is announced here; the signals follow the answers, not the clock.
            let (answered, announce) = AsyncStream<Void>.makeStream()
            let completed = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var calls = 0
                        do {
                            while !stop.withLockedValue({ $0 }) {
                                let id = articleIDs[(calls + worker) % articleIDs.count]
                                let article = try await client.getArticle(id: id)
                                #expect(article.id == id)
                                if calls % 10 == 0 { _ = try await client.listArticles() }
                                calls += 1
                                announce.yield()
                            }
                        } catch {
                            announce.finish()  // a failed call must not leave the signals waiting
                            throw error
                        }
                        return calls
                    }
                }
                var answers = answered.makeAsyncIterator()
                // Each SIGHUP after ten more answers, then ten more after the last: reloads land
                // while calls run, and calls are answered after them.
                for signal in 0..<6 {
                    for _ in 0..<10 { _ = await answers.next() }
                    if signal < 5 { daemon.signal(SIGHUP) }
                }
                stop.withLockedValue { $0 = true }
                announce.finish()
                return try await group.reduce(0, +)
            }
            #expect(completed > 20)
            #expect(try await client.health().status == .serving)
            #expect(try await client.stats().articles == UInt32(articleIDs.count))
        }
    }

    @Test("SIGTERM lets a call in flight finish, then foliod exits")
    func drainOnSigterm() async throws {
        // A drain as long as the socket's wait: the debug build parses the 1.5 MB page with the
        // tagger (the default recognizer) in more than the default 30 s under load.
        let daemon = try await Daemon.start(arguments: ["--drain-timeout", "300"])
        defer { daemon.stop() }
        // One connection, the Parse's frame before the Health's: once either is answered, foliod
        // has read the Parse.
        let socket = try RawSocket(path: daemon.socketPath, receiveTimeoutSeconds: 300)
        try socket.send(.call(1, .parse, ConcurrencyTests.slowParse(), acceptZlib: true), compress: true)
        try socket.send(.call(2, .health, Folio_V1_HealthRequest()))
        let first = try await offPool { try socket.response().response }
        daemon.signal(SIGTERM)
        let parse = first.id == 1 ? first : try await offPool { try socket.response().response }
        #expect(parse.id == 1 && parse.status.code == .ok, "\(parse.status)")
        let parsed = try Folio_V1_ParseResponse(serializedBytes: parse.body)
        #expect(!parsed.page.articles.isEmpty)
        let status = await daemon.waitForExit()
        #expect(status == 0, "foliod log:\n\(daemon.log)")
    }

    @Test("SIGKILL at random moments loses no acknowledged page and serves no torn page")
    func crashSafety() async throws {
        let daemon = try await Daemon.start()
        defer { daemon.stop() }
        var generator = SplitMix64(seed: 0x5EED_F011)
        var acknowledged: Set<String> = []
        var attempted: [String: Int] = [:]   // page id → index of the test page sent under it
        var next = 0
        for round in 0..<5 {
            let client = daemon.makeClient(timeout: .seconds(10))
            let acked = NIOLockedValueBox<[String]>([])
            let firstIndex = next
            let loop = Task {
                var index = firstIndex
                while !Task.isCancelled && index < firstIndex + 400 {
                    let request = TestPages.ingestRequest(index, id: "crash-\(index)")
                    let response = try? await client.ingest(request)
                    if let response { acked.withLockedValue { $0.append(response.pageID) } }
                    index += 1
                }
            }
            // The kill comes after a random number of acknowledged pages, while more are on the way.
            let killAfter = 1 + Int(generator.next() % 40)
            #expect(await waitUntil(limit: .seconds(60)) { acked.withLockedValue { $0.count } >= killAfter })
            await daemon.crash()
            loop.cancel()
            _ = await loop.value
            client.close()
            let sentUpTo = next + 400
            for index in next..<sentUpTo {
                attempted["crash-\(index)"] = index
            }
            acknowledged.formUnion(acked.withLockedValue { $0 })
            next = sentUpTo
            try await daemon.launch()
            _ = round
        }
        #expect(!acknowledged.isEmpty, "no ingest was acknowledged before the kills")

        let client = daemon.makeClient(timeout: .seconds(30))
        defer { client.close() }
        var listRequest = Folio_V1_ListPagesRequest()
        listRequest.pageSize = 1000
        let stored = try await client.listPages(listRequest).pages.map(\.id)
        for id in acknowledged {
            #expect(stored.contains(id), "acknowledged page \(id) is missing after the crashes")
        }
        for id in stored {
            let index = try #require(attempted[id], "foliod serves a page nobody sent: \(id)")
            // A whole page parses exactly like the text that was sent; a torn one would not.
            var parse = Folio_V1_ParseRequest()
            parse.text = TestPages.ingestRequest(index).text
            parse.source = TestPages.ingestRequest(index).source
            let expected = try await client.parse(parse).page
            let page = try await client.getPage(id: id)
            #expect(page.lineCount == expected.lineCount, "page \(id) is torn")
            #expect(page.articles.map(\.headline) == expected.articles.map(\.headline), "page \(id) is torn")
        }
    }
}
