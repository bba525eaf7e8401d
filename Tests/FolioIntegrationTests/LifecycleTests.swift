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
            let completed = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var calls = 0
                        while !stop.withLockedValue({ $0 }) {
                            let id = articleIDs[(calls + worker) % articleIDs.count]
                            let article = try await client.getArticle(id: id)
                            #expect(article.id == id)
                            if calls % 10 == 0 { _ = try await client.listArticles() }
                            calls += 1
                        }
                        return calls
                    }
                }
                for _ in 0..<5 {
                    try await Task.sleep(for: .milliseconds(150))
                    daemon.signal(SIGHUP)
                }
                try await Task.sleep(for: .milliseconds(300))
                stop.withLockedValue { $0 = true }
                return try await group.reduce(0, +)
            }
            #expect(completed > 20)
            #expect(try await client.health().status == .serving)
            #expect(try await client.stats().articles == UInt32(articleIDs.count))
        }
    }

    @Test("SIGTERM lets a call in flight finish, then foliod exits")
    func drainOnSigterm() async throws {
        let daemon = try await Daemon.start()
        let client = daemon.makeClient(timeout: .seconds(60))
        defer {
            client.close()
            daemon.stop()
        }
        let request = ConcurrencyTests.slowParse()
        let slow = Task { try await client.parse(request) }
        // Once a later call on the same connection has been answered, foliod has read the Parse.
        try await Task.sleep(for: .milliseconds(100))
        _ = try await client.health()
        daemon.signal(SIGTERM)
        let parsed = try await slow.value
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
            try await Task.sleep(for: .milliseconds(Int64(250 + generator.next() % 750)))
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
