@testable import FolioServer
import FoliodServices
@testable import FolioStore
import FolioModel
import FolioWire
import Foundation
import Testing
import FolioTestSupport

/// Start-up from DATA/snapshot/archive.folio: used when fresh, rebuilt when stale or damaged,
/// rewritten after writes, and never changing an answer.
@Suite(.serialized) struct SnapshotStartupTests {
    static let pages = [
        "p1": samplePage,
        "p2": "長文\n作者：錢三\n实体：錦州港\n" + String(repeating: "錦州港新建泊位投入使用，貨物吞吐量持續增長。", count: 80),
        "p3": "短訊\n栏目：要聞\n本報訊 天氣晴。",
    ]

    /// A data directory holding the test pages, written behind the daemon's back.
    static func makeData() throws -> String {
        let directory = try DaemonHarness.makeDirectory()
        for (id, text) in pages { try DaemonHarness.writePage(text, id: id, in: directory) }
        return directory
    }

    static func start(_ directory: String) async throws -> DaemonHarness {
        try await DaemonHarness(directory: directory, search: IndexSearchProvider()) { $0.snapshotDelaySeconds = 0.05 }
    }

    /// Every read answer of the archive, as bytes: GetArticle (plain and zlib), GetPage, ListArticles, ListPages, Search.
    static func answers(_ harness: DaemonHarness) async throws -> [String: [UInt8]] {
        let client = try harness.client()
        var out: [String: [UInt8]] = [:]
        var list = Folio_V1_ListArticlesRequest()
        list.pageSize = 1000
        let listed = try await client.call(.listArticles, list, as: Folio_V1_ListArticlesResponse.self).get()
        out["articles"] = try listed.serializedBytes()
        for summary in listed.articles {
            var get = Folio_V1_GetArticleRequest()
            get.articleID = summary.id
            for zlib in [false, true] {
                out["article \(summary.id) \(zlib)"] = try await client.call(.getArticle, get, as: Folio_V1_Article.self, zlib: zlib).get().serializedBytes()
            }
        }
        let pages = try await client.call(.listPages, Folio_V1_ListPagesRequest(), as: Folio_V1_ListPagesResponse.self).get()
        out["pages"] = try pages.serializedBytes()
        for summary in pages.pages {
            var get = Folio_V1_GetPageRequest()
            get.pageID = summary.id
            out["page \(summary.id)"] = try await client.call(.getPage, get, as: Folio_V1_Page.self).get().serializedBytes()
        }
        list.entity = "锦州港"
        out["by entity"] = try await client.call(.listArticles, list, as: Folio_V1_ListArticlesResponse.self).get().serializedBytes()
        var search = Folio_V1_SearchRequest()
        search.query = "錦州港"
        var found = try await client.call(.search, search, as: Folio_V1_SearchResponse.self).get()
        found.tookMicros = 0
        out["search"] = try found.serializedBytes()
        return out
    }

    static func snapshotPath(_ directory: String) -> String { directory + "/data/snapshot/archive.folio" }

    static func ingest(_ text: String, id: String, _ client: RawClient) async throws {
        var ingest = Folio_V1_IngestRequest()
        ingest.text = text
        ingest.pageID = id
        _ = try await client.call(.ingest, ingest, as: Folio_V1_IngestResponse.self).get()
    }

    static func delete(_ id: String, _ client: RawClient) async throws {
        var delete = Folio_V1_DeletePageRequest()
        delete.pageID = id
        _ = try await client.call(.deletePage, delete, as: Folio_V1_DeletePageResponse.self).get()
    }

    @Test func aFreshSnapshotIsUsedAndChangesNoAnswer() async throws {
        let directory = try Self.makeData()
        // A snapshot directory an earlier foliod left world-readable is closed to others.
        try FileManager.default.createDirectory(atPath: directory + "/data/snapshot", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let first = try await Self.start(directory)
        #expect(first.daemon.store.lastLoad?.fromSnapshot == false)
        #expect(first.daemon.store.lastLoad?.snapshotSkipped?.contains("no snapshot") == true)
        first.daemon.store.flushSnapshot()
        #expect(first.daemon.store.snapshotIsCurrent)
        #expect(FileManager.default.fileExists(atPath: Self.snapshotPath(directory)))
        // It holds every page's text: readable by foliod's group at most, like the pages.
        var mode = stat()
        #expect(stat(Self.snapshotPath(directory), &mode) == 0 && mode.st_mode & 0o777 == 0o640)
        #expect(stat(directory + "/data/snapshot", &mode) == 0 && mode.st_mode & 0o777 == 0o750)
        let before = try await Self.answers(first)
        #expect(before.count > 8)
        #expect(try await Self.answers(first) == before)
        try await first.stop(keepDirectory: true)

        let second = try await Self.start(directory)
        #expect(second.daemon.store.lastLoad?.fromSnapshot == true)
        #expect(second.daemon.store.lastLoad?.articles == first.daemon.store.lastLoad?.articles)
        // Read from the snapshot, the long article's body is compressed with the archive's dictionary.
        let long = second.daemon.store.corpus.withLockedValue { $0.articles.values.max { $0.plainCount < $1.plainCount } }
        #expect(long?.kind == .withDictionary)
        #expect(try await Self.answers(second) == before)
        try await second.stop()
    }

    /// Answers of a start that parses every page (the snapshot moved away and put back).
    static func answersParsed(_ directory: String) async throws -> [String: [UInt8]] {
        // Outside the snapshot's folder: a start clears what it does not know there.
        let path = snapshotPath(directory), aside = directory + "/snapshot.aside"
        try FileManager.default.moveItem(atPath: path, toPath: aside)
        let parsed = try await start(directory)
        #expect(parsed.daemon.store.lastLoad?.fromSnapshot == false)
        let answers = try await Self.answers(parsed)
        try await parsed.stop(keepDirectory: true)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: aside, toPath: path)
        return answers
    }

    @Test(arguments: ["added", "changed", "removed", "metadata"])
    func pagesChangedSinceTheSnapshotAreReadOnTopOfIt(change: String) async throws {
        let directory = try Self.makeData()
        let first = try await Self.start(directory)
        first.daemon.store.flushSnapshot()
        try await first.stop(keepDirectory: true)

        let pagesDirectory = directory + "/data/pages"
        switch change {
        case "added": try DaemonHarness.writePage("新稿\n本報訊 新港開通。", id: "p4", in: directory)
        case "changed": try DaemonHarness.writePage("改稿\n本報訊 內容改了，長度也不同。", id: "p3", in: directory)
        case "removed": try FileManager.default.removeItem(atPath: pagesDirectory + "/p3.txt")
        default: try #"{"source":"elsewhere.txt"}"#.write(toFile: pagesDirectory + "/p3.json", atomically: false, encoding: .utf8)
        }
        let second = try await Self.start(directory)
        let load = try #require(second.daemon.store.lastLoad)
        #expect(load.fromSnapshot)
        #expect(load.pagesReadOverSnapshot == 1)
        let client = try second.client()
        var get = Folio_V1_GetPageRequest()
        get.pageID = change == "added" ? "p4" : "p3"
        let page = try await client.call(.getPage, get, as: Folio_V1_Page.self)
        switch change {
        case "added": #expect(try page.get().articles.first?.headline == "新稿")
        case "changed":
            // Another story: not under p3-01, the id 短訊 was served with (the file, which had no
            // ids, is written again with them).
            #expect(try page.get().articles.first?.headline == "改稿")
            #expect(try page.get().articles.first?.id == "p3-02")
        case "removed": #expect(page.statusCode == .notFound)
        default: #expect(try page.get().source == "elsewhere.txt")
        }
        let servedBySecond = try await Self.answers(second)
        // A fresh snapshot follows: the next start reads nothing again.
        let store = second.daemon.store
        #expect(await waitUntil(limit: .seconds(20)) { store.snapshotIsCurrent })
        try await second.stop(keepDirectory: true)
        // What a start that parses the files as they are now serves.
        let expected = try await Self.answersParsed(directory)
        #expect(servedBySecond == expected)

        let third = try await Self.start(directory)
        #expect(third.daemon.store.lastLoad?.fromSnapshot == true)
        #expect(third.daemon.store.lastLoad?.pagesReadOverSnapshot == 0)
        #expect(try await Self.answers(third) == expected)
        try await third.stop()
    }

    /// Writes that keep coming while snapshots are written do not keep them from being written;
    /// a start after a crash reads the snapshot and the pages written since.
    @Test func aSteadyStreamOfWritesStillLeavesASnapshot() async throws {
        let directory = try Self.makeData()
        let first = try await Self.start(directory)
        let store = first.daemon.store
        let writes = Task {
            let client = try first.client()
            for n in 10..<40 { try await Self.ingest("新稿\(n)\n本報訊 新港第\(n)號泊位開通。", id: "p\(n)", client) }
            try await Self.delete("p3", client)
        }
        for _ in 0..<3 { store.flushSnapshot() }
        try await writes.value
        // As if foliod died here: the snapshot on disk is whatever the stream let through.
        let path = Self.snapshotPath(directory), crash = directory + "/snapshot.crash"
        #expect(FileManager.default.fileExists(atPath: path))
        try FileManager.default.copyItem(atPath: path, toPath: crash)
        try await first.stop(keepDirectory: true)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: crash, toPath: path)

        let expected = try await Self.answersParsed(directory)
        let second = try await Self.start(directory)
        #expect(second.daemon.store.lastLoad?.fromSnapshot == true)
        #expect(second.daemon.store.counts().pages == 32)
        #expect(try await Self.answers(second) == expected)
        try await second.stop()
    }

    /// `foliod --names rules` after a combined run parses again: a snapshot never serves names
    /// found by another recognizer.
    @Test func anotherNameRecognizerParsesAgain() async throws {
        let directory = try Self.makeData()
        func start(_ names: NameRecognizer) async throws -> DaemonHarness {
            try await DaemonHarness(directory: directory, search: IndexSearchProvider(), parser: FolioPageParser(names: names)) {
                $0.snapshotDelaySeconds = 0.05
            }
        }
        #expect(FolioPageParser(names: .combined).modelIdentity.hasPrefix("names:combined|entities:"))
        #expect(FolioPageParser(names: .rules).modelIdentity.hasPrefix("names:rules|entities:"))
        let combined = try await start(.combined)
        combined.daemon.store.flushSnapshot()
        try await combined.stop(keepDirectory: true)

        let rules = try await start(.rules)
        let load = try #require(rules.daemon.store.lastLoad)
        #expect(!load.fromSnapshot)
        #expect(load.snapshotSkipped?.contains("other settings") == true)
        rules.daemon.store.flushSnapshot()
        let expected = try await Self.answers(rules)
        try await rules.stop(keepDirectory: true)

        let again = try await start(.rules)
        #expect(again.daemon.store.lastLoad?.fromSnapshot == true)
        #expect(try await Self.answers(again) == expected)
        try await again.stop()
    }

    @Test func aDamagedSnapshotFallsBackToParsing() async throws {
        let directory = try Self.makeData()
        let first = try await Self.start(directory)
        first.daemon.store.flushSnapshot()
        let before = try await Self.answers(first)
        try await first.stop(keepDirectory: true)

        let path = Self.snapshotPath(directory)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let second = try await Self.start(directory)
        #expect(second.daemon.store.lastLoad?.fromSnapshot == false)
        #expect(second.daemon.store.lastLoad?.snapshotSkipped?.contains("damaged") == true)
        #expect(try await Self.answers(second) == before)
        try await second.stop(keepDirectory: true)

        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: path))  // truncated: damaged too
        let third = try await Self.start(directory)
        #expect(third.daemon.store.lastLoad?.fromSnapshot == false)
        #expect(try await Self.answers(third) == before)
        try await third.stop()
    }

    @Test func writesMakeItStaleAndItIsRewrittenInTheBackground() async throws {
        let directory = try Self.makeData()
        let first = try await Self.start(directory)
        first.daemon.store.flushSnapshot()
        let client = try first.client()
        try await Self.ingest("新稿\n作者：孫四\n本報訊 新港開通。", id: "p9", client)
        try await Self.delete("p3", client)
        // The debounced write (50 ms here) catches up without being asked.
        let store = first.daemon.store
        #expect(await waitUntil(limit: .seconds(20)) { store.snapshotIsCurrent })
        let expected = try await Self.answers(first)
        try await first.stop(keepDirectory: true)

        let second = try await Self.start(directory)
        #expect(second.daemon.store.lastLoad?.fromSnapshot == true)
        #expect(second.daemon.store.counts().pages == 3)
        #expect(try await Self.answers(second) == expected)
        try await second.stop()
    }

    @Test func aFileChangedBehindItsBackIsReadAgainAtTheNextStart() async throws {
        let directory = try Self.makeData()
        let first = try await Self.start(directory)
        first.daemon.store.flushSnapshot()
        // Edited on disk, not reloaded: foliod still serves the old p3; its snapshot says so, with
        // the old file's stamp, and the next start reads the new file.
        try DaemonHarness.writePage("改稿\n本報訊 內容改了，長度也不同。", id: "p3", in: directory)
        var ingest = Folio_V1_IngestRequest()
        ingest.text = "新稿\n本報訊 新港開通。"
        ingest.pageID = "p9"
        _ = try await first.client().call(.ingest, ingest, as: Folio_V1_IngestResponse.self).get()
        first.daemon.store.flushSnapshot()
        #expect(first.daemon.store.snapshotIsCurrent)
        try await first.stop(keepDirectory: true)

        let second = try await Self.start(directory)
        #expect(second.daemon.store.lastLoad?.fromSnapshot == true)
        #expect(second.daemon.store.lastLoad?.pagesReadOverSnapshot == 1)
        var get = Folio_V1_GetPageRequest()
        get.pageID = "p3"
        #expect(try await second.client().call(.getPage, get, as: Folio_V1_Page.self).get().articles.first?.headline == "改稿")
        try await second.stop()
    }

    @Test func aSnapshotThatCannotBeWrittenIsNotFatal() async throws {
        let directory = try Self.makeData()
        // A file where the snapshot directory should be: every write fails (like a read-only directory).
        try "not a directory".write(toFile: directory + "/data/snapshot", atomically: false, encoding: .utf8)
        let harness = try await Self.start(directory)
        harness.daemon.store.flushSnapshot()
        #expect(!harness.daemon.store.snapshotIsCurrent)
        var ingest = Folio_V1_IngestRequest()
        ingest.text = "新稿\n本報訊 新港開通。"
        ingest.pageID = "p9"
        let client = try harness.client()
        #expect(try await client.call(.ingest, ingest, as: Folio_V1_IngestResponse.self).get().articleIds == ["p9-01"])
        #expect(try await client.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self).get().articles == 5)
        try await harness.stop()
    }

    /// A reload reads again only the pages whose files changed behind foliod's back (added, replaced,
    /// removed) and those the last load skipped; what it serves then is what a start that parses
    /// every page serves.
    @Test func aReloadReadsOnlyThePagesThatChanged() async throws {
        let directory = try Self.makeData()
        let harness = try await Self.start(directory)
        let store = harness.daemon.store
        let quiet = try store.load(reloading: true)
        #expect(quiet.fromModelInMemory && quiet.pagesReadOverSnapshot == 0 && quiet.pages == 3)
        try DaemonHarness.writePage("新稿\n本報訊 新港開通。", id: "p4", in: directory)
        try DaemonHarness.writePage("短訊\n栏目：要聞\n本報訊 天氣轉陰，港口照常作業。", id: "p3", in: directory)
        try FileManager.default.removeItem(atPath: directory + "/data/pages/p1.txt")
        try Data([0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: directory + "/data/pages/p5.txt"))
        let reloaded = try store.load(reloading: true)
        #expect(reloaded.fromModelInMemory && reloaded.pagesReadOverSnapshot == 4)
        #expect(reloaded.pages == 3)
        #expect(reloaded.problems.count == 1 && reloaded.problems.first?.hasPrefix("p5:") == true)
        // The skipped page is tried again at every reload, and stays a problem while it is unreadable.
        let again = try store.load(reloading: true)
        #expect(again.pagesReadOverSnapshot == 1 && again.problems == reloaded.problems)
        let served = try await Self.answers(harness)
        try await harness.stop(keepDirectory: true)
        try? FileManager.default.removeItem(atPath: Self.snapshotPath(directory))
        let fresh = try await Self.start(directory)
        #expect(fresh.daemon.store.lastLoad?.parsedEveryPage == true)
        let parsed = try await Self.answers(fresh)
        #expect(Set(parsed.keys) == Set(served.keys))
        #expect(served.keys.filter { parsed[$0] != served[$0] }.sorted() == [])
        try await fresh.stop()
    }

    /// A change that keeps a file's size and modification time (a chmod, or a same-size edit with
    /// the old mtime set back, as a restore does) is seen by the next reload: the file stamps hold
    /// the status change time. (With the mtime, the old text stayed served.)
    @Test func aReloadSeesChangesThatKeepSizeAndModificationTime() async throws {
        let directory = try Self.makeData()
        let harness = try await Self.start(directory)
        let store = harness.daemon.store
        #expect(chmod(directory + "/data/pages/p3.txt", 0o600) == 0)
        let afterChmod = try store.load(reloading: true)
        #expect(afterChmod.fromModelInMemory && afterChmod.pagesReadOverSnapshot == 1)
        let path = directory + "/data/pages/p3.page"  // written by that reload: the .txt had no article ids
        var before = stat()
        #expect(stat(path, &before) == 0)
        var text = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let swap = Array("晴".utf8), replacement = Array("陰".utf8)
        let at = try #require((0...(text.count - swap.count)).last { Array(text[$0..<$0 + swap.count]) == swap })  // in the text, after the header
        text.replaceSubrange(at..<at + swap.count, with: replacement)
        try Data(text).write(to: URL(fileURLWithPath: path))
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        // The edit does not match the checksum the page file holds: seen, it is a damaged page.
        let afterEdit = try store.load(reloading: true)
        #expect(afterEdit.pagesReadOverSnapshot == 1)
        #expect(afterEdit.problems.count == 1 && afterEdit.problems.first?.hasPrefix("p3:") == true)
        #expect(try store.page("p3") == nil)
        try await harness.stop()
    }

    /// A pages folder with no page file left (an unmounted disk shows its empty mount point) is no
    /// empty archive: the reload is refused and the pages stay served.
    @Test func aReloadOfAnEmptiedPagesFolderIsRefused() async throws {
        let directory = try Self.makeData()
        let harness = try await Self.start(directory)
        let pages = directory + "/data/pages"
        try FileManager.default.moveItem(atPath: pages, toPath: pages + ".away")
        try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: false)
        let refused = #expect(throws: StatusError.self) { try harness.daemon.store.load(reloading: true) }
        #expect(refused?.code == .failedPrecondition && refused?.message.contains("no empty archive") == true)
        #expect(harness.daemon.store.counts().pages == 3)
        try await harness.stop()
    }

    /// Past half the archive (and more than a few pages) changed, a reload parses every page.
    @Test func aReloadAfterManyChangesParsesEveryPage() async throws {
        let directory = try Self.makeData()
        let harness = try await Self.start(directory)
        for k in 0..<(ArchiveStore.fewPages + 1) {
            try DaemonHarness.writePage("新稿\(k)\n本報訊 新港開通。", id: "n\(k)", in: directory)
        }
        let reloaded = try harness.daemon.store.load(reloading: true)
        #expect(reloaded.parsedEveryPage)
        #expect(reloaded.pages == 3 + ArchiveStore.fewPages + 1)
        try await harness.stop()
    }
}
