import FolioClient
import FolioModel
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real foliod and its start-up snapshot (DATA/snapshot/archive.folio): written when it drains,
/// used by the next start with the same answers, and after a crash with the pages written since.
@Suite("Start-up snapshot", .serialized)
struct SnapshotStartupIntegrationTests {
    /// Everything a reader can ask about the archive, as bytes (search minus its timing).
    static func answers(_ client: FolioClient) async throws -> [String: Data] {
        var out: [String: Data] = [:]
        var list = Folio_V1_ListArticlesRequest()
        list.pageSize = 1000
        let listed = try await client.listArticles(list)
        out["list"] = try listed.serializedData()
        for summary in listed.articles {
            out["article \(summary.id)"] = try await client.getArticle(id: summary.id).serializedData()
            out["article \(summary.id) tw"] = try await client.getArticle(id: summary.id, script: .taiwan).serializedData()
        }
        for page in try await client.listPages().pages {
            out["page \(page.id)"] = try await client.getPage(id: page.id).serializedData()
        }
        var found = try await client.search("人民", limit: 50)
        found.tookMicros = 0
        out["search"] = try found.serializedData()
        return out
    }

    @Test("a drained foliod leaves a snapshot; the next start uses it and answers the same")
    func restartFromSnapshot() async throws {
        let daemon = try await Daemon.start()
        defer { daemon.stop() }
        var client = daemon.makeClient()
        for index in 0..<4 { _ = try await client.ingest(TestPages.ingestRequest(index)) }
        _ = try await client.ingest(TestPages.seedRequest())
        let before = try await Self.answers(client)
        client.close()
        daemon.stop()
        #expect(FileManager.default.fileExists(atPath: daemon.dataDirectory + "/snapshot/archive.folio"), "\(daemon.log)")

        try await daemon.launch()
        client = daemon.makeClient()
        defer { client.close() }
        #expect(daemon.log.contains("loaded from snapshot"), "\(daemon.log)")
        #expect(try await Self.answers(client) == before)
    }

    @Test("after SIGKILL the snapshot is read with the pages written since, and every acknowledged page is served")
    func crashLeavesAnOlderSnapshot() async throws {
        let daemon = try await Daemon.start(arguments: ["--snapshot-delay", "600"])
        defer { daemon.stop() }
        var client = daemon.makeClient()
        _ = try await client.ingest(TestPages.ingestRequest(0))
        client.close()
        daemon.stop()  // drains: writes the snapshot of one page

        try await daemon.launch()
        client = daemon.makeClient()
        let added = try await client.ingest(TestPages.ingestRequest(1))
        client.close()
        await daemon.crash()  // before the (10-minute) debounced snapshot write

        try await daemon.launch()
        client = daemon.makeClient()
        defer { client.close() }
        #expect(daemon.log.contains("loaded from snapshot, 1 pages changed since read again"), "\(daemon.log)")
        for id in added.articleIds { #expect(try await client.getArticle(id: id).id == id) }
        #expect(try await client.health().pages == 2)
    }
}
