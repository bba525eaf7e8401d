import FolioClient
import FolioModel
import FolioTestSupport
import FolioWire
import Foundation
import Testing

/// Calls from tasks that prefer the client's event-loop executor: same answers, same
/// deadlines and cancellation, and the task really runs on the connection's loop.
@Suite("FolioClient on its event-loop executor", .serialized)
struct EventLoopExecutorTests {
    @Test("Calls inside withEventLoopExecutor run on the client's event loop and get their answers")
    func pinnedCalls() async throws {
        guard #available(macOS 15.0, *) else { return }
        try await withDaemon { _, client in
            let ingested = try await client.ingest(TestPages.ingestRequest(0))
            let ids = ingested.articleIds
            #expect(!ids.isEmpty)
            try await client.withEventLoopExecutor { () async throws in
                for id in ids {
                    #expect(try await client.getArticle(id: id).id == id)
                    #expect(client.eventLoop.inEventLoop, "the task left the event loop")
                }
                await #expect(throws: FolioError.self) { try await client.getArticle(id: "missing") }
                #expect(client.eventLoop.inEventLoop)
            }
        }
    }

    @Test("Many pinned tasks on several clients interleave their calls correctly")
    func concurrentPinnedTasks() async throws {
        guard #available(macOS 15.0, *) else { return }
        try await withDaemon { daemon, first in
            let ingested = try await first.ingest(TestPages.ingestRequest(1))
            let ids = ingested.articleIds
            let clients = [first] + (0..<3).map { _ in daemon.makeClient() }
            defer { clients.dropFirst().forEach { $0.close() } }
            let answered = try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<16 {
                    let client = clients[task % clients.count]
                    group.addTask(executorPreference: client.executor) {
                        var count = 0
                        for call in 0..<25 {
                            let id = ids[(task + call) % ids.count]
                            let body = try await client.call(method: FolioMethod.getArticle.rawValue,
                                                             body: Self.getArticle(id))
                            #expect(try Folio_V1_Article(serializedBytes: body).id == id)
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(answered == 16 * 25)
        }
    }

    @Test("Deadlines and cancellation work the same for a pinned task")
    func pinnedDeadlineAndCancellation() async throws {
        guard #available(macOS 15.0, *) else { return }
        try await withDaemon { _, client in
            let slow = ConcurrencyTests.slowParse()
            try await client.withEventLoopExecutor { () async throws in
                do {
                    _ = try await client.parse(slow, options: .init(timeout: .milliseconds(5)))
                    Issue.record("a 5 ms deadline did not fire")
                } catch let error as FolioError {
                    #expect(error.code == .deadlineExceeded)
                }
            }
        }
        try await DaemonHarness.with { harness in
            let client = FolioClient(socketPath: harness.socketPath, configuration: .init(defaultTimeout: .seconds(60)))
            defer {
                harness.slowPages.open()
                client.close()
            }
            let task = Task(executorPreference: client.executor) { try await client.parse(ConcurrencyTests.heldParse()) }
            try await offPool { harness.reachedSlowPage.wait() }
            task.cancel()
            await #expect(throws: FolioError.self) { try await task.value }
            try await client.withEventLoopExecutor { () async throws in
                #expect(try await client.health().status == .serving)
            }
        }
    }

    @Test("Clients made on another client's event loop share its thread, each with its own connection")
    func clientsSharingOneEventLoop() async throws {
        guard #available(macOS 15.0, *) else { return }
        try await withDaemon { daemon, first in
            let ids = try await first.ingest(TestPages.ingestRequest(2)).articleIds
            let others = (0..<7).map { _ in FolioClient(socketPath: daemon.socketPath, eventLoop: first.eventLoop) }
            defer { others.forEach { $0.close() } }
            for client in others { #expect(client.eventLoop === first.eventLoop) }
            let clients = [first] + others
            let answered = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, client) in clients.enumerated() {
                    // Every task runs on the one shared thread, whichever client it calls.
                    group.addTask(executorPreference: client.executor) {
                        var count = 0
                        for call in 0..<20 {
                            let id = ids[(index + call) % ids.count]
                            let article = try await client.getArticle(id: id)
                            #expect(article.id == id)
                            #expect(first.eventLoop.inEventLoop)
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(answered == clients.count * 20)
            let observer = daemon.makeClient()
            defer { observer.close() }
            #expect(try await observer.stats().connections >= UInt32(clients.count))
        }
    }

    static func getArticle(_ id: String) throws -> Data {
        var request = Folio_V1_GetArticleRequest()
        request.articleID = id
        return try request.serializedData()
    }
}
