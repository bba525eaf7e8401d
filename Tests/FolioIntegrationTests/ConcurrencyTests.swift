import FolioClient
import FolioModel
import FolioWire
import Foundation
import NIOConcurrencyHelpers
import Testing
import FolioTestSupport

/// Many calls on one connection, deadlines, cancellation and compression.
@Suite("Concurrency, deadlines, cancellation, compression", .serialized)
struct ConcurrencyTests {
    /// A Parse big enough to take far longer than a round trip (debug build).
    static func slowParse() -> Folio_V1_ParseRequest {
        var request = Folio_V1_ParseRequest()
        request.text = TestPages.large(bytes: 1_500_000)
        request.source = "slow.txt"
        return request
    }

    enum Outcome: Equatable {
        case article(String)
        case page(String, Int)
        case health
        case converted(String)
        case listed(Int)
        case notFound
    }

    @Test("200 concurrent mixed calls on one connection each get their own answer")
    func mixedConcurrentCalls() async throws {
        try await withDaemon { _, client in
            var articleIDs: [String: [String]] = [:]
            for index in 0..<5 {
                let response = try await client.ingest(TestPages.ingestRequest(index))
                articleIDs[response.pageID] = response.articleIds
            }
            let pages = articleIDs.keys.sorted()
            let results = try await withThrowingTaskGroup(of: (Int, Outcome, Outcome).self) { group in
                for index in 0..<200 {
                    let pageID = pages[index % pages.count]
                    let ids = articleIDs[pageID]!
                    group.addTask {
                        switch index % 6 {
                        case 0:
                            let id = ids[index % ids.count]
                            return (index, .article(id), .article(try await client.getArticle(id: id).id))
                        case 1:
                            let page = try await client.getPage(id: pageID)
                            return (index, .page(pageID, ids.count), .page(page.id, page.articles.count))
                        case 2:
                            _ = try await client.health()
                            return (index, .health, .health)
                        case 3:
                            return (index, .converted("锦州\(index)"), .converted(try await client.convert("錦州\(index)", to: .simplified)))
                        case 4:
                            var request = Folio_V1_ListArticlesRequest()
                            request.pageID = pageID
                            return (index, .listed(ids.count), .listed(try await client.listArticles(request).articles.count))
                        default:
                            do {
                                _ = try await client.getArticle(id: "missing-\(index)")
                                return (index, .notFound, .health)
                            } catch let error as FolioError where error.code == .notFound {
                                return (index, .notFound, .notFound)
                            }
                        }
                    }
                }
                var all: [(Int, Outcome, Outcome)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.count == 200)
            for (index, expected, actual) in results {
                #expect(expected == actual, "call \(index)")
            }
        }
    }

    @Test("Calls beyond foliod's --max-calls wait in the client for a slot instead of being refused")
    func callsWaitForTheServersLimit() async throws {
        try await withDaemon(arguments: ["--max-calls", "2"]) { _, client in
            let response = try await client.ingest(TestPages.ingestRequest(0))
            let id = try #require(response.articleIds.first)
            let ingested = try await withThrowingTaskGroup(of: String.self) { group in
                // A queued call's deadline counts its wait for a slot: generous, for a loaded machine.
                let patient = FolioCallOptions(timeout: .seconds(300))
                for index in 1...12 { group.addTask { try await client.ingest(TestPages.ingestRequest(index), options: patient).pageID } }
                for _ in 0..<40 { group.addTask { try await client.getArticle(id: id, options: patient).id } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(ingested.count == 52)
            #expect(try await client.stats().pages == 13)
        }
    }

    @Test("A peer that accepts and never answers ends the call at its deadline, opening call included",
          .timeLimit(.minutes(1)))
    func aSilentPeerEndsAtTheCallsDeadline() async throws {
        let peer = try ForeignProgram(reply: [])
        defer { peer.stop() }
        let client = FolioClient(socketPath: peer.path, configuration: .init(defaultTimeout: .seconds(1), connectTimeout: .seconds(600)))
        defer { client.close() }
        do {
            _ = try await client.health()
            Issue.record("a peer that never answers answered")
        } catch let error as FolioError {
            #expect(error.code == .deadlineExceeded && error.message.contains("1000 ms"), "\(error)")
        }
    }

    @Test("Calls complete out of order: fast calls overtake a slow one")
    func outOfOrderCompletion() async throws {
        try await withDaemon { daemon, _ in
            // One connection, frames in this order: the slow Parse is read before any Health, so the
            // Healths can only answer first by overtaking it (no wait orders the two).
            let socket = try RawSocket(path: daemon.socketPath, receiveTimeoutSeconds: 300)
            try socket.send(.call(1, .parse, Self.slowParse()), compress: true)
            for id in 2...21 { try socket.send(.call(UInt64(id), .health, Folio_V1_HealthRequest())) }
            let finished = try await offPool { try (1...21).map { _ in try socket.response().response.id } }
            #expect(Set(finished) == Set(1...21))
            #expect(finished.last == 1, "completion order: \(finished)")
        }
    }

    @Test("A deadline ends the call with DEADLINE_EXCEEDED and the connection keeps serving")
    func deadline() async throws {
        try await withDaemon { _, client in
            let request = Self.slowParse()
            do {
                _ = try await client.parse(request, options: .init(timeout: .milliseconds(5)))
                Issue.record("a 5 ms deadline did not fire")
            } catch let error as FolioError {
                #expect(error.code == .deadlineExceeded, "\(error.kind): \(error.message)")
            }
            #expect(try await client.health().status == .serving)
        }
    }

    /// A Parse the in-process daemon's test parser holds until the test opens `slowPages`; it
    /// opens `reachedSlowPage` on arrival, so the test knows the call is in flight.
    static func heldParse() -> Folio_V1_ParseRequest {
        var request = Folio_V1_ParseRequest()
        request.text = "SLEEP\n\nheld"
        return request
    }

    @Test("Cancelling the Task cancels the call")
    func cancellation() async throws {
        try await DaemonHarness.with { harness in
            let client = FolioClient(socketPath: harness.socketPath, configuration: .init(defaultTimeout: .seconds(60)))
            defer {
                harness.slowPages.open()
                client.close()
            }
            let task = Task { try await client.parse(Self.heldParse()) }
            try await offPool { harness.reachedSlowPage.wait() }
            task.cancel()
            do {
                _ = try await task.value
                Issue.record("the cancelled call returned a result")
            } catch let error as FolioError {
                #expect(error.code == .cancelled)
                #expect(error.kind == .local)
            }
            #expect(try await client.health().status == .serving)
            // A task cancelled before its call starts sends nothing and fails at once.
            let early = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.health()
            }
            await #expect(throws: FolioError.self) { try await early.value }
        }
    }

    @Test("Large requests and responses are compressed both ways")
    func compressionBothWays() async throws {
        try await withDaemon { _, client in
            // 5 MB of page text: over the 4 MiB frame limit unless the client compresses it.
            var request = Folio_V1_IngestRequest()
            request.text = TestPages.large(bytes: 5_000_000)
            request.source = "large.txt"
            request.pageID = "large"
            #expect(request.text.utf8.count > WireLimits.default.maxFrameBytes)
            let ingested = try await client.ingest(request, options: .init(timeout: .seconds(120)))
            #expect(ingested.pageID == "large")
            // The Page is larger still: it only fits in a frame because foliod compresses it.
            let page = try await client.getPage(id: "large", options: .init(timeout: .seconds(120)))
            #expect(page.articles.count == ingested.articleIds.count)
            #expect(try page.serializedData().count > WireLimits.default.maxFrameBytes)
            // Declining compression for this one call reaches foliod: the Page no longer fits.
            do {
                _ = try await client.getPage(id: "large", options: .init(timeout: .seconds(120),
                                                                         acceptCompressedResponses: false))
                Issue.record("a Page over the frame limit came back uncompressed")
            } catch let error as FolioError {
                #expect(error.code == .resourceExhausted, "\(error.kind): \(error.message)")
            }
        }
    }
}
