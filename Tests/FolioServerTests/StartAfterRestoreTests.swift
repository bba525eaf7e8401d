import FolioIndex
import FoliodServices
@testable import FolioStore
import FolioTestSupport
import FolioWire
import Foundation
import Logging
import Testing

/// A start on a data directory a restore left short: the snapshot knows what was served, and an
/// archive whose page files are gone is neither taken for an empty one nor numbered anew.
@Suite struct StartAfterRestoreTests {
    static func store(_ directory: String) -> ArchiveStore {
        ArchiveStore(repository: PageRepository(root: directory + "/data"), parser: BlockPageParser(), text: TableTextServices(),
                     limits: WireLimits(), search: IndexSearchProvider(), logger: Logger(label: "test"), parseWorkers: 2)
    }

    /// An archive of `count` pages (one story each) with its snapshot written.
    static func archive(pages count: Int) throws -> String {
        let directory = try DaemonHarness.makeDirectory()
        let store = Self.store(directory)
        try store.load()
        for k in 0..<count {
            _ = try store.ingest(text: "旧稿\(k)\n本报讯 第\(k)篇的内容。", source: "v\(k).txt", info: nil, pageID: "v\(k)")
        }
        store.flushSnapshot()
        return directory
    }

    @Test func aStartOnAPagesFolderWithNoPageFileIsRefusedAndTheSnapshotKept() throws {
        let directory = try Self.archive(pages: 3)
        let snapshot = directory + "/data/snapshot/archive.folio"
        let before = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        let pages = directory + "/data/pages"
        // An unmounted disk: pages/ gone (the start creates it), or there and empty.
        for emptied in ["gone", "empty"] {
            try FileManager.default.moveItem(atPath: pages, toPath: pages + ".\(emptied)")
            if emptied == "empty" { try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: false) }
            let refused = #expect(throws: StatusError.self) { try Self.store(directory).load() }
            #expect(refused?.code == .failedPrecondition && refused?.message.contains("no empty archive") == true, "\(emptied)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: snapshot)) == before, "\(emptied): the snapshot was rewritten")
            try FileManager.default.removeItem(atPath: pages)
            try FileManager.default.moveItem(atPath: pages + ".\(emptied)", toPath: pages)
        }
        // The disk back: the archive as it was.
        let store = Self.store(directory)
        let load = try store.load()
        #expect(load.fromSnapshot && load.pages == 3)
    }

    /// Most page files gone (a restore that brought back a fifth): the snapshot is still read, the
    /// pages without files leave with their ids kept retired, and a page stored again under one of
    /// those ids gives its new story another id.
    @Test func aStartThatFindsMostPageFilesGoneKeepsTheirIdsRetired() throws {
        let count = 2 * ArchiveStore.fewPages + 20
        let directory = try Self.archive(pages: count)
        let gone = (0..<count).filter { $0 % 5 != 0 }
        for k in gone {
            for name in PageRepository.fileNames("v\(k)") { unlink(directory + "/data/pages/" + name) }
        }
        let store = Self.store(directory)
        let load = try store.load()
        #expect(load.fromSnapshot)
        #expect(load.pages == count - gone.count)
        let vanished = try #require(gone.first)
        let outcome = try store.ingest(text: "新稿\n本报讯 另一篇报道。", source: "new.txt", info: nil, pageID: "v\(vanished)")
        let ids = outcome.page.articles.map(\.id)
        #expect(!ids.isEmpty && !ids.contains("v\(vanished)-01"), "the id of 旧稿\(vanished) went to another story: \(ids)")
    }

    /// A page file whose text was spoilt (bit rot, a bad restore) is skipped; replacing it, as the
    /// skip's message advises, numbers the new stories after the ids its metadata line still names.
    @Test func aReplaceOfADamagedPageFileGivesItsIdsToNoOtherStory() throws {
        let directory = try DaemonHarness.makeDirectory()
        let first = Self.store(directory)
        try first.load()
        _ = try first.ingest(text: "北京环境保护取得新进展\n本报讯 内容一。\n\n沈阳举办农业论坛\n本报讯 内容二。",
                             source: "x.txt", info: nil, pageID: "x")
        let path = directory + "/data/pages/x.page"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let last = bytes.count - 4
        bytes[last] ^= 0x01   // one bit of the text's last character
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let store = Self.store(directory)
        let load = try store.load()
        #expect(load.pages == 0 && load.problems.contains { $0.contains("damaged") || $0.contains("not UTF-8") }, "\(load.problems)")
        let outcome = try store.ingest(text: "甲新闻标题\n本报讯 内容甲。\n\n丙新闻标题\n本报讯 内容丙。",
                                       source: "x2.txt", info: nil, pageID: "x", replace: true)
        let ids = outcome.page.articles.map(\.id)
        #expect(ids.count == 2 && !ids.contains("x-01") && !ids.contains("x-02"), "ids of the damaged page's stories reused: \(ids)")
    }

    /// The ids a delete retired, in a file a copy cut short: an ingest under that id is refused
    /// (DATA_LOSS, naming the file) instead of numbering its stories from 01 again; with the file
    /// moved away, as the message says, the id can be used.
    @Test func retiredIdsThatCannotBeReadRefuseTheIdInsteadOfGivingThemAway() throws {
        let directory = try DaemonHarness.makeDirectory()
        let store = Self.store(directory)
        try store.load()
        _ = try store.ingest(text: "甲新闻标题\n本报讯 内容甲。\n\n乙新闻标题\n本报讯 内容乙。", source: "x.txt", info: nil, pageID: "x")
        _ = try store.delete(pageID: "x")
        let retired = directory + "/data/pages/.retired-x.anchors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: retired))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: retired))
        let later = "丁新闻标题\n本报讯 内容丁。\n\n戊新闻标题\n本报讯 内容戊。"
        let refused = #expect(throws: StatusError.self) { try store.ingest(text: later, source: "x3.txt", info: nil, pageID: "x") }
        #expect(refused?.code == .dataLoss && refused?.message.contains(".retired-x.anchors") == true, "\(String(describing: refused))")
        #expect(try store.page("x") == nil)
        try FileManager.default.moveItem(atPath: retired, toPath: directory + "/retired-x.anchors.damaged")
        let stored = try store.ingest(text: later, source: "x3.txt", info: nil, pageID: "x")
        #expect(stored.page.articles.count == 2)
    }

    /// Restoring one page through Ingest from a backup of DATA/pages stored the page file's metadata
    /// line as an article (ids shifted, date and label lost); an export fed back stored one junk page.
    @Test func foliosOwnFilesGivenAsPageTextAreRefused() throws {
        let directory = try DaemonHarness.makeDirectory()
        let store = Self.store(directory)
        try store.load()
        _ = try store.ingest(text: "甲新闻标题\n本报讯 内容甲。", source: "a.txt", info: nil, pageID: "a")
        let pageFile = try String(contentsOfFile: directory + "/data/pages/a.page", encoding: .utf8)
        let export = #"{"id":"a-01","pageId":"a","headline":"甲新闻标题"}"# + "\n"
        for (name, text) in [("page file", pageFile), ("export", export)] {
            let refused = #expect(throws: StatusError.self, "\(name)") { try store.ingest(text: text, source: "b.txt", info: nil, pageID: "b") }
            #expect(refused?.code == .invalidArgument, "\(name)")
            #expect(try store.page("b") == nil, "\(name)")
        }
        // A page that merely mentions such things is a page.
        _ = try store.ingest(text: "folio 新闻标题\n本报讯 {\"headline\"} 不是导出。", source: "c.txt", info: nil, pageID: "c")
        #expect(try store.page("c") != nil)
    }

    /// A restore with a loose umask (`chmod -R a+rwX`, a copy back from a FAT or SMB disk) left page
    /// files anyone could rewrite, served as they were: foliod's own files are closed to 0640.
    @Test func pageFilesOpenToOthersAreClosedAtStart() throws {
        let directory = try Self.archive(pages: 2)
        let pages = directory + "/data/pages"
        func mode(_ name: String) throws -> Int {
            try (FileManager.default.attributesOfItem(atPath: pages + "/" + name)[.posixPermissions] as? Int) ?? -1
        }
        chmod(pages + "/v0.page", 0o666)
        chmod(pages + "/v1.page", 0o646)
        let foreignOwner = getuid() == 0 && chown(pages + "/v1.page", 65534, 65534) == 0
        let load = try Self.store(directory).load()
        #expect(load.pages == 2)
        #expect(try mode("v0.page") == 0o640)
        #expect(try mode("v1.page") == (foreignOwner ? 0o646 : 0o640))
    }

    /// Another copy's snapshot restored beside this copy's pages served their stories under new ids
    /// (x-03, x-04) that the page files did not hold, and a start without the snapshot went back to
    /// x-01, x-02: the page file's ids stand.
    @Test func aSnapshotOfAnotherCopyDoesNotRenumberThePageFilesStories() throws {
        func copy(_ text: String) throws -> String {
            let directory = try DaemonHarness.makeDirectory()
            let store = Self.store(directory)
            try store.load()
            _ = try store.ingest(text: text, source: "x.txt", info: nil, pageID: "x")
            store.flushSnapshot()
            return directory
        }
        let a = try copy("甲新闻标题\n本报讯 内容甲。\n\n乙新闻标题\n本报讯 内容乙。")
        let b = try copy("丁新闻标题\n本报讯 内容丁。\n\n戊新闻标题\n本报讯 内容戊。")
        let snapshot = "/data/snapshot/archive.folio"
        try FileManager.default.removeItem(atPath: a + snapshot)
        try FileManager.default.copyItem(atPath: b + snapshot, toPath: a + snapshot)
        let store = Self.store(a)
        let load = try store.load()
        #expect(load.fromSnapshot && load.pagesReadOverSnapshot == 1)
        let served = try #require(try store.page("x")).articles.map { "\($0.id) \($0.headline)" }
        #expect(served == ["x-01 甲新闻标题", "x-02 乙新闻标题"])
    }

    /// `--data` given the pages folder itself, or a copy that put pages/ inside pages/: the start
    /// served an empty archive beside the page files and said nothing.
    @Test func pageFilesWhereAStartDoesNotReadThemAreNamedAndTheStartRefused() throws {
        let directory = try Self.archive(pages: 2)
        let pages = directory + "/data/pages"
        // The pages folder given as the data directory.
        let asData = ArchiveStore(repository: PageRepository(root: pages), parser: BlockPageParser(), text: TableTextServices(),
                                  limits: WireLimits(), search: IndexSearchProvider(), logger: Logger(label: "test"), parseWorkers: 1)
        let refused = #expect(throws: StatusError.self) { try asData.load() }
        #expect(refused?.message.contains("give its parent as --data") == true, "\(String(describing: refused))")
        // pages/ copied into an existing pages/.
        try FileManager.default.moveItem(atPath: pages, toPath: directory + "/pages-copy")
        try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: false)
        try FileManager.default.moveItem(atPath: directory + "/pages-copy", toPath: pages + "/pages")
        try FileManager.default.removeItem(atPath: directory + "/data/snapshot")
        let nested = #expect(throws: StatusError.self) { try Self.store(directory).load() }
        #expect(nested?.message.contains("move them up") == true, "\(String(describing: nested))")
        // A note in an empty archive's folder is no misplaced page.
        let fresh = try DaemonHarness.makeDirectory()
        try FileManager.default.createDirectory(atPath: fresh + "/data", withIntermediateDirectories: true)
        try "notes".write(toFile: fresh + "/data/README.txt", atomically: false, encoding: .utf8)
        #expect(try Self.store(fresh).load().pages == 0)
    }
}
