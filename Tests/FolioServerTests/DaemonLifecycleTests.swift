import FolioModel
import FolioServer
import FolioStore
import FolioWire
import Foundation
import Testing
import FolioTestSupport

/// Durability, restarts, reload and the socket file.
@Suite(.serialized) struct DaemonLifecycleTests {
    @Test func acknowledgedPagesSurviveARestartWithTheSameIds() async throws {
        let directory = try DaemonHarness.makeDirectory()
        var harness = try await DaemonHarness(directory: directory)
        var request = Folio_V1_IngestRequest()
        request.text = samplePage
        request.source = "paper-2022-10-01.txt"
        request.info.date = "2022-10-01"
        let ids = try await harness.client().call(.ingest, request, as: Folio_V1_IngestResponse.self).get()
        #expect(ids.pageID == "paper-2022-10-01")
        #expect(FileManager.default.fileExists(atPath: directory + "/data/pages/paper-2022-10-01.page"))
        // The same page again is acknowledged, unchanged; other text under the same id is refused
        // unless the caller asks to replace.
        let again = try await harness.client().call(.ingest, request, as: Folio_V1_IngestResponse.self).get()
        #expect(!again.replaced && again.articleIds == ids.articleIds)
        var changed = request
        changed.info.publication = "錦州日報"
        let refused = try await harness.client().call(.ingest, changed, as: Folio_V1_IngestResponse.self)
        #expect(refused.statusCode == .alreadyExists)
        changed.replace = true
        #expect(try await harness.client().call(.ingest, changed, as: Folio_V1_IngestResponse.self).get().replaced)
        // A reload sees the page file, not the snapshot written before it existed.
        let reloaded = try await harness.client().call(.reload, Folio_V1_ReloadRequest(), as: Folio_V1_ReloadResponse.self).get()
        #expect(reloaded.pages == 1)
        try await harness.stop(keepDirectory: true)

        // A half-written temporary file from a killed daemon is removed at start.
        let stray = directory + "/data/pages/.tmp-paper-9-deadbeef"
        try "partial".write(toFile: stray, atomically: false, encoding: .utf8)
        harness = try await DaemonHarness(directory: directory)
        #expect(!FileManager.default.fileExists(atPath: stray))
        var list = Folio_V1_ListArticlesRequest()
        list.dateFrom = "2022-10-01"
        list.dateTo = "2022-10-01"
        let listed = try await harness.client().call(.listArticles, list, as: Folio_V1_ListArticlesResponse.self).get()
        #expect(listed.articles.map(\.id) == ids.articleIds)

        var delete = Folio_V1_DeletePageRequest()
        delete.pageID = ids.pageID
        #expect(try await harness.client().call(.deletePage, delete, as: Folio_V1_DeletePageResponse.self).get().articlesRemoved == 2)
        #expect(try await harness.client().call(.deletePage, delete, as: Folio_V1_DeletePageResponse.self).statusCode == .notFound)
        #expect(!FileManager.default.fileExists(atPath: directory + "/data/pages/paper-2022-10-01.page"))
        try await harness.stop()
    }

    /// A reload skips an unreadable page file, as a start does (one such file used to fail every
    /// reload); only a data directory that cannot be read keeps the old corpus.
    @Test func aReloadSkipsAnUnreadablePageAndAFailedOneKeepsTheOldCorpus() async throws {
        let directory = try DaemonHarness.makeDirectory()
        try DaemonHarness.writePage(samplePage, id: "one", in: directory)
        let harness = try await DaemonHarness(directory: directory)
        let client = try harness.client()
        try DaemonHarness.writePage(samplePage, id: "two", in: directory)
        let reloaded = try await client.call(.reload, Folio_V1_ReloadRequest(), as: Folio_V1_ReloadResponse.self).get()
        #expect(reloaded.pages == 2)

        try Data([0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: directory + "/data/pages/broken.txt"))
        try DaemonHarness.writePage(samplePage, id: "three", in: directory)
        let skipping = try await client.call(.reload, Folio_V1_ReloadRequest(), as: Folio_V1_ReloadResponse.self, id: 2).get()
        #expect(skipping.pages == 3)

        let pages = directory + "/data/pages"
        try FileManager.default.moveItem(atPath: pages, toPath: pages + ".moved")
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: pages))
        let failed = try await client.call(.reload, Folio_V1_ReloadRequest(), as: Folio_V1_ReloadResponse.self, id: 3)
        #expect(failed.statusCode == .failedPrecondition)
        let health = try await client.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self, id: 4).get()
        #expect(health.pages == 3)
        try FileManager.default.removeItem(atPath: pages)
        try FileManager.default.moveItem(atPath: pages + ".moved", toPath: pages)
        try await harness.stop()
    }

    @Test func aStaleSocketIsReplacedButALiveOneIsNot() async throws {
        let directory = try DaemonHarness.makeDirectory()
        // A socket file nobody listens on (left by a dead daemon).
        let path = directory + "/foliod.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        #expect(FileManager.default.fileExists(atPath: path) && !SocketPath.isListening(path))
        let harness = try await DaemonHarness(directory: directory)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o660)
        let error = #expect(throws: SocketSetupError.self) { try SocketPath.prepareForBind(path) }
        #expect(error?.code == .socketInUse)
        try await harness.stop()
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
