@testable import FolioIndex
import FolioModel
import FoliodServices
@testable import FolioStore
import FolioTestSupport
import FolioWire
import Foundation
import Logging
import Testing

/// What an archive keeps across restarts, damage and repair: the page files are the truth, and a
/// write acknowledged is a write stored.
@Suite struct ArchiveLifeTests {
    static func store(_ directory: String) throws -> ArchiveStore {
        let store = ArchiveStore(repository: PageRepository(root: directory + "/data"), parser: BlockPageParser(),
                                 text: TableTextServices(), limits: WireLimits(), search: IndexSearchProvider(),
                                 logger: Logger(label: "test"), parseWorkers: 1)
        try store.load()
        return store
    }

    static let first = "江边新修了步道\n市民每天傍晚都来这里散步锻炼。\n"
    static let corrected = "江边新修了步道（更正）\n市民每天傍晚都来这里散步锻炼，步道全长五公里。\n"

    /// Spoils one byte of a page file (invalid UTF-8) and keeps its size and time, as bit rot would:
    /// a snapshot's key cannot see it.
    static func spoil(_ path: String, restoring: Bool = false, original: [UInt8]? = nil) throws -> [UInt8] {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let before = bytes
        if let original { bytes = original } else { bytes[bytes.count - 4] = 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: attributes[.modificationDate]!], ofItemAtPath: path)
        return before
    }

    /// A merge planned before a page is replaced builds from the text the index held then (the
    /// store's frozen copy, not the new text under the same article ids), and once installed the
    /// archive answers as written.
    @Test func aMergeReadsTheTextItWasPlannedOn() throws {
        let directory = try DaemonHarness.makeDirectory()
        let index = SearchIndex(merging: .manual)
        let store = ArchiveStore(repository: PageRepository(root: directory + "/data"), parser: BlockPageParser(),
                                 text: TableTextServices(), limits: WireLimits(), search: IndexSearchProvider(index: index),
                                 logger: Logger(label: "test"), parseWorkers: 1)
        try store.load()
        for number in 0..<4 {
            _ = try store.ingest(text: "第\(number)版新闻标题\n江边新修了步道，市民每天傍晚都来这里散步。\n", source: "p\(number).txt",
                                 info: nil, pageID: "p\(number)")
        }
        let plan = try #require(index.planMerge())
        let id = try #require(try store.page("p3")?.articles.first?.id)
        _ = try store.ingest(text: Self.corrected, source: "p3.txt", info: nil, pageID: "p3", replace: true)
        #expect(plan.texts?(id)?.headline == "第3版新闻标题")
        #expect(try index.install(plan.build(articles: index.articleLookup), from: plan))
        #expect(try index.matchingArticleIDs("更正") == [try #require(try store.page("p3")?.articles.first?.id)])
        #expect(try index.matchingArticleIDs("第3版").isEmpty)
        #expect(try index.matchingArticleIDs("新闻标题").count == 3)
        #expect(index.articleCount == 4)
    }

    /// A page deleted and stored again gives its stories' ids to none but the same stories, across
    /// a restart too: a new story gets an id no version had, a story that comes back under its
    /// headline its id again.
    @Test func aPageStoredAgainAfterADeleteNeverGivesItsIdsToOtherStories() throws {
        let directory = try DaemonHarness.makeDirectory()
        let tombstone = directory + "/data/pages/.retired-p1.anchors"
        var store = try Self.store(directory)
        func ids() throws -> [String] { try store.page("p1")?.articles.map(\.id) ?? [] }
        _ = try store.ingest(text: Self.first, source: "p1.txt", info: nil, pageID: "p1")
        #expect(try ids() == ["p1-01"])
        #expect(try store.delete(pageID: "p1") == 1)
        #expect(FileManager.default.fileExists(atPath: tombstone))
        store = try Self.store(directory)
        #expect(try store.counts().pages == 0)
        _ = try store.ingest(text: "山村通了公路\n村民出行方便多了。\n", source: "p1.txt", info: nil, pageID: "p1")
        #expect(try ids() == ["p1-02"])
        #expect(!FileManager.default.fileExists(atPath: tombstone))
        _ = try store.delete(pageID: "p1")
        _ = try store.ingest(text: Self.first, source: "p1.txt", info: nil, pageID: "p1")
        #expect(try ids() == ["p1-01"])
    }

    /// The last page deleted and foliod stopped before its next snapshot (a crash, a kill): pages/
    /// holds no page file while the snapshot lists one, but the delete left its retired ids, so this
    /// is an archive emptied on purpose, not an unmounted disk: it starts, empty, the ids kept.
    @Test func anArchiveWhoseLastPageWasDeletedStartsBeforeItsNextSnapshot() throws {
        let directory = try DaemonHarness.makeDirectory()
        let snapshot = directory + "/data/snapshot/archive.folio"
        var store = try Self.store(directory)
        _ = try store.ingest(text: Self.first, source: "p1.txt", info: nil, pageID: "p1")
        store.flushSnapshot()
        let listingThePage = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        #expect(try store.delete(pageID: "p1") == 1)
        store.flushSnapshot()
        // The snapshot as it was before the delete: the one a crash right after it leaves.
        try listingThePage.write(to: URL(fileURLWithPath: snapshot))
        store = try Self.store(directory)
        #expect(try store.counts().pages == 0)
        _ = try store.ingest(text: "山村通了公路\n村民出行方便多了。\n", source: "p1.txt", info: nil, pageID: "p1")
        #expect(try store.page("p1")?.articles.map(\.id) == ["p1-02"])
    }

    /// A page file put back from an older backup (after a DeletePage, or over the current file
    /// without a reload) makes no id foliod served since name another story: a new story gets an id
    /// no version had.
    @Test func aPageFilePutBackFromABackupNeverGivesServedIdsToOtherStories() throws {
        let directory = try DaemonHarness.makeDirectory()
        let file = directory + "/data/pages/p1.page"
        let store = try Self.store(directory)
        func ids() throws -> [String] { try store.page("p1")?.articles.map(\.id) ?? [] }
        let v1 = "江边新修了步道\n市民每天傍晚都来这里散步锻炼。\n"
        let v2 = v1 + "\n山村通了公路\n村民出行方便多了。\n"
        let v3 = v1 + "\n冬季长跑开赛\n千名选手参加比赛。\n"
        _ = try store.ingest(text: v1, source: "p1.txt", info: nil, pageID: "p1")
        let backup = try Data(contentsOf: URL(fileURLWithPath: file))
        _ = try store.ingest(text: v2, source: "p1.txt", info: nil, pageID: "p1", replace: true)
        let served = try ids()
        #expect(served.count == 2)
        // Put back over the current file, no reload: the replace still knows what was served.
        try backup.write(to: URL(fileURLWithPath: file))
        _ = try store.ingest(text: v3, source: "p1.txt", info: nil, pageID: "p1", replace: true)
        #expect(try ids().first == served.first)
        #expect(try !served.contains(try #require(ids().last)))
        // Deleted, then the backup put back and read by a reload: the delete's retired ids count.
        let third = try ids().last!
        _ = try store.delete(pageID: "p1")
        try backup.write(to: URL(fileURLWithPath: file))
        try store.load(reloading: true)
        _ = try store.ingest(text: v1 + "\n春节前后客流高峰\n车站增开临时列车。\n", source: "p1.txt", info: nil, pageID: "p1", replace: true)
        let last = try #require(ids().last)
        #expect(!served.contains(last) && last != third)
    }

    /// A page file renamed behind foliod's back, then a reload: the renamed page numbers its own
    /// stories, and the ids the old page served stay retired for a page stored later under its id.
    @Test func aPageFileRenamedBehindFoliodsBackKeepsBothPagesIdsApart() throws {
        let directory = try DaemonHarness.makeDirectory()
        let pages = directory + "/data/pages"
        let store = try Self.store(directory)
        _ = try store.ingest(text: Self.first, source: "p1.txt", info: nil, pageID: "p1")
        try FileManager.default.moveItem(atPath: pages + "/p1.page", toPath: pages + "/p2.page")
        try store.load(reloading: true)
        #expect(try store.page("p1") == nil)
        #expect(try store.page("p2")?.articles.map(\.id) == ["p2-01"])
        _ = try store.ingest(text: "山村通了公路\n村民出行方便多了。\n", source: "p1.txt", info: nil, pageID: "p1")
        #expect(try store.page("p1")?.articles.map(\.id) == ["p1-02"])
        #expect(try store.page("p2")?.articles.first?.headline == "江边新修了步道")
    }

    /// A delete whose retired ids cannot be written (here a directory in the way; a full disk in
    /// life) is refused: nothing changed, the page is still served and stored.
    @Test func aDeleteThatCannotKeepItsIdsIsRefused() throws {
        let directory = try DaemonHarness.makeDirectory()
        let store = try Self.store(directory)
        _ = try store.ingest(text: Self.first, source: "p1.txt", info: nil, pageID: "p1")
        try FileManager.default.createDirectory(atPath: directory + "/data/pages/.retired-p1.anchors/x", withIntermediateDirectories: true)
        let refused = #expect(throws: StatusError.self) { try store.delete(pageID: "p1") }
        #expect(refused?.message.contains("was not deleted") == true)
        #expect(try store.page("p1") != nil && FileManager.default.fileExists(atPath: directory + "/data/pages/p1.page"))
    }

    /// A replace of a page whose file cannot be read any more (served from memory) writes the new
    /// page; it was acknowledged with nothing stored.
    @Test func replaceOverAnUnreadablePageFileStoresTheNewPage() throws {
        let directory = try DaemonHarness.makeDirectory()
        let store = try Self.store(directory)
        _ = try store.ingest(text: Self.first, source: "p1.txt", info: nil, pageID: "p1")
        _ = try Self.spoil(directory + "/data/pages/p1.page")
        let refused = #expect(throws: StatusError.self) {
            try store.ingest(text: Self.corrected, source: "p1.txt", info: nil, pageID: "p1")
        }
        #expect(refused?.code == .alreadyExists)
        let outcome = try store.ingest(text: Self.corrected, source: "p1.txt", info: nil, pageID: "p1", replace: true)
        #expect(outcome.replaced)
        #expect(try store.page("p1")?.articles.first?.headline == "江边新修了步道（更正）")
        #expect(try PageRepository(root: directory + "/data").load("p1").text == Self.corrected)
    }

    /// The section given at ingest is in the page file: a parse of the files (an upgrade, a lost
    /// snapshot) serves it as before.
    @Test func sectionGivenAtIngestSurvivesAParseOfTheFiles() throws {
        let directory = try DaemonHarness.makeDirectory()
        var info = Folio_V1_PageInfo()
        info.publication = "江城日报"
        info.date = "2022-06-01"
        info.section = "城市新闻"
        _ = try Self.store(directory).ingest(text: Self.first, source: "p1.txt", info: info, pageID: "p1")
        try? FileManager.default.removeItem(atPath: directory + "/data/snapshot")
        let again = try Self.store(directory)
        #expect(try again.page("p1")?.info.section == "城市新闻")
        #expect(try again.page("p1")?.info.publication == "江城日报")
    }

    /// A page skipped at a parse (its file unreadable) and repaired since, size and time unchanged,
    /// is served at the next start: the snapshot written without it is not used.
    @Test func aSkippedPageRepairedSinceIsReadAtTheNextStart() throws {
        let directory = try DaemonHarness.makeDirectory()
        let store = try Self.store(directory)
        _ = try store.ingest(text: Self.first, source: "p1.txt", info: nil, pageID: "p1")
        _ = try store.ingest(text: Self.corrected, source: "p2.txt", info: nil, pageID: "p2")
        let good = try Self.spoil(directory + "/data/pages/p1.page")
        try? FileManager.default.removeItem(atPath: directory + "/data/snapshot")
        let skipping = try Self.store(directory)
        #expect(try skipping.page("p1") == nil)
        skipping.flushSnapshot()
        _ = try Self.spoil(directory + "/data/pages/p1.page", original: good)
        let repaired = try Self.store(directory)
        #expect(try repaired.page("p1")?.articles.first?.headline == "江边新修了步道")
        #expect(try repaired.page("p2") != nil)
        // With the page still unreadable, the snapshot is used as before.
        _ = try Self.spoil(directory + "/data/pages/p1.page")
        try? FileManager.default.removeItem(atPath: directory + "/data/snapshot")
        let stillSkipping = try Self.store(directory)
        stillSkipping.flushSnapshot()
        let report = try Self.store(directory).load()
        #expect(report.fromSnapshot)
    }

    /// A FIFO named like a page file is reported as what it is and skipped, without blocking the
    /// load (an open of a FIFO nobody writes to waits for a writer).
    @Test func aFIFONamedLikeAPageIsSkippedWithoutWaiting() throws {
        let directory = try DaemonHarness.makeDirectory()
        _ = try Self.store(directory).ingest(text: Self.first, source: "p1.txt", info: nil, pageID: "p1")
        #expect(mkfifo(directory + "/data/pages/p2.page", 0o640) == 0)
        try? FileManager.default.removeItem(atPath: directory + "/data/snapshot")
        let store = try Self.store(directory)
        let report = try store.load()
        #expect(try store.page("p1") != nil)
        #expect(report.problems.contains { $0.hasPrefix("p2:") && $0.contains("is a FIFO: not read") }, "\(report.problems)")
    }

    /// A page file cut short at a line end (a whole paragraph gone) is a damaged file, skipped with
    /// a warning, not a shorter page served as if whole.
    @Test func aPageFileCutShortIsSkippedNotServedShort() throws {
        let directory = try DaemonHarness.makeDirectory()
        let text = "江边新修了步道\n市民每天傍晚都来这里散步锻炼。\n\n山村通了公路\n村里的农产品可以运出去了。\n"
        _ = try Self.store(directory).ingest(text: text, source: "p1.txt", info: nil, pageID: "p1")
        let path = directory + "/data/pages/p1.page"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.removeLast(Array("山村通了公路\n村里的农产品可以运出去了。\n".utf8).count)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try? FileManager.default.removeItem(atPath: directory + "/data/snapshot")
        let store = try Self.store(directory)
        #expect(try store.page("p1") == nil)
        let report = try store.load()
        #expect(report.problems.contains { $0.hasPrefix("p1:") && $0.contains("cut short") })
    }

    /// The ids given at ingest are in the page file and come back with a parse of the files; a
    /// replace keeps the id of a story it keeps.
    @Test func articleIdsAreKeptInThePageFile() throws {
        let directory = try DaemonHarness.makeDirectory()
        let text = "江边新修了步道\n市民每天傍晚都来这里散步锻炼。\n\n山村通了公路\n村里的农产品可以运出去了。\n"
        let store = try Self.store(directory)
        let ids = try store.ingest(text: text, source: "p1.txt", info: nil, pageID: "p1").page.articles.map(\.id)
        #expect(ids == ["p1-01", "p1-02"])
        let header = try String(contentsOfFile: directory + "/data/pages/p1.page", encoding: .utf8).prefix { $0 != "\n" }
        #expect(header.contains("\"articles\":[{"))
        let replaced = "冬季长跑开赛\n上千名市民参加了比赛。\n\n" + text.split(separator: "\n\n")[1] + "\n"
        let outcome = try store.ingest(text: replaced, source: "p1.txt", info: nil, pageID: "p1", replace: true)
        #expect(outcome.page.articles.map(\.headline) == ["冬季长跑开赛", "山村通了公路"])
        #expect(outcome.page.articles.map(\.id) == ["p1-03", "p1-02"])
        try? FileManager.default.removeItem(atPath: directory + "/data/snapshot")
        #expect(try Self.store(directory).page("p1")?.articles.map(\.id) == ["p1-03", "p1-02"])
    }

    /// The data directory moved away (and another put at its path) under a running store: writes and
    /// reloads are refused with a reason, and nothing lands in the directory now at the old path.
    @Test func aDataDirectoryMovedAwayIsNotWrittenTo() throws {
        let directory = try DaemonHarness.makeDirectory()
        let store = try Self.store(directory)
        _ = try store.ingest(text: Self.first, source: "p1.txt", info: nil, pageID: "p1")
        try FileManager.default.moveItem(atPath: directory + "/data", toPath: directory + "/moved")
        try FileManager.default.createDirectory(atPath: directory + "/data/pages", withIntermediateDirectories: true)
        func refused(_ call: () throws -> Void) {
            do {
                try call()
                Issue.record("not refused")
            } catch let error as StatusError {
                #expect(error.code == .failedPrecondition)
                #expect(error.message.contains("moved, removed or replaced"))
            } catch {
                Issue.record("\(error)")
            }
        }
        refused { _ = try store.ingest(text: Self.corrected, source: "p2.txt", info: nil, pageID: "p2") }
        refused { _ = try store.delete(pageID: "p1") }
        refused { _ = try store.load(reloading: true) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/data/pages").isEmpty)
        #expect(try store.page("p1") != nil)
        #expect(try PageRepository(root: directory + "/moved").load("p1").text == Self.first)
    }
}
