import FolioClient
import FolioModel
import Foundation
import Testing

/// Writes are refused to peers outside foliod's allow-list.
@Suite("Access control", .serialized)
struct AccessTests {
    /// A uid that is certainly not the test's.
    static let otherUID = getuid() == 54321 ? "54322" : "54321"

    @Test("A disallowed peer gets PERMISSION_DENIED for writes and still reads")
    func writesDenied() async throws {
        try await withDaemon(arguments: ["--allow-uid", Self.otherUID]) { daemon, client in
            for write in [{ _ = try await client.ingest(TestPages.seedRequest()) },
                          { _ = try await client.deletePage(id: "seed") },
                          { _ = try await client.reload() }] as [() async throws -> Void] {
                do {
                    try await write()
                    Issue.record("a write was allowed to a peer outside the allow-list")
                } catch let error as FolioError {
                    #expect(error.code == .permissionDenied)
                    #expect(error.kind == .server)
                }
            }
            #expect(try await client.health().status == .serving)
            #expect(try await client.listPages().total == 0)

            let seed = TestPages.seedPath
            let run = try await CLIRun.folio(["ingest", seed], socket: daemon.socketPath)
            #expect(run.status == 4)
            #expect(run.stderr.contains("not allowed") || run.stderr.contains("ermission"))
        }
    }

    @Test("A group allowed to write adds writers: foliod's own uid and root keep writing")
    func allowedGroupKeepsDefaultWriters() async throws {
        // Any allow-gid used to replace the default uids, so `allow-gid = 998` in foliod.conf locked
        // out root and the daemon's own user.
        try await withDaemon(arguments: ["--allow-gid", "54321"]) { _, client in
            let page = try await client.ingest(TestPages.seedRequest())
            #expect(!page.articleIds.isEmpty)
        }
    }
}
