import FoliodServices
@testable import FolioStore
import FolioTestSupport
import FolioWire
import Foundation
import Logging
import Testing

/// Most page files put back from an older backup (more than half, and more than `fewPages`): a
/// start past the snapshot's threshold, or a reload, parses every page, and numbers each from what
/// foliod served (the snapshot's page records, the model in memory) before the file's own ids.
@Suite struct RetiredArticleIDsAfterWholeRestoreTests {
    typealias One = RetiredArticleIDsAfterRestoreTests

    /// Headline's first character → id, as served for `page`.
    static func ids(_ store: ArchiveStore, _ page: String) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try #require(try store.page(page)).articles.map { (String($0.headline.prefix(1)), $0.id) })
    }

    /// 100 pages, each v1 (甲 乙) then v2 (甲 丙: 乙 retired, 丙 -03); v1's files of 80 of them put
    /// back, and p99's file gone. The parse of every page keeps -03 known (served retired, in the
    /// page file written again), so a new story gets none of -01…-03, and p99's ids stay retired; a
    /// start without the snapshot then reads the same ids.
    @Test(arguments: ["reload", "start"])
    func mostPageFilesPutBackGiveNoIdToAnotherStory(_ how: String) throws {
        let directory = try DaemonHarness.makeDirectory()
        let pages = (0..<100).map { "p\($0)" }
        let restored = pages.prefix(80)
        var store = try One.store(directory)
        var backups: [String: Data] = [:]
        for id in pages {
            _ = try store.ingest(text: One.page("甲", "乙"), source: "\(id).txt", info: nil, pageID: id)
            backups[id] = try Data(contentsOf: URL(fileURLWithPath: directory + "/data/pages/\(id).page"))
        }
        for id in pages {
            _ = try store.ingest(text: One.page("甲", "丙"), source: "\(id).txt", info: nil, pageID: id, replace: true)
            #expect(try Self.ids(store, id) == ["甲": "\(id)-01", "丙": "\(id)-03"])
        }
        store.flushSnapshot()

        for id in restored {
            let file = directory + "/data/pages/\(id).page"
            try FileManager.default.removeItem(atPath: file)
            try backups[id]!.write(to: URL(fileURLWithPath: file))
        }
        try FileManager.default.removeItem(atPath: directory + "/data/pages/p99.page")
        if how == "reload" {
            try store.load(reloading: true)
        } else {
            store = try One.store(directory)
            #expect(store.lastLoad?.snapshotSkipped?.contains("81 pages changed") == true, "\(String(describing: store.lastLoad?.snapshotSkipped))")
        }
        #expect(store.lastLoad?.parsedEveryPage == true)
        for id in restored {
            #expect(try Self.ids(store, id) == ["甲": "\(id)-01", "乙": "\(id)-02"])
            let named = Set(try store.repository!.anchors(of: id).map(\.id))
            #expect(named.contains("\(id)-03"), "the page file of \(id) lacks \(id)-03: \(named.sorted())")
        }
        #expect(try Set(store.repository!.anchors(of: "p99").map(\.id)).isSuperset(of: ["p99-01", "p99-02", "p99-03"]))
        // Served after the parse (a reload and a replace number from it).
        _ = try store.ingest(text: One.page("甲", "戊"), source: "p0.txt", info: nil, pageID: "p0", replace: true)
        let after = try Self.ids(store, "p0")
        #expect(after["甲"] == "p0-01" && !["p0-02", "p0-03"].contains(after["戊"]), "a new story got an id the page had: \(after)")
        // The files alone, no snapshot: the ids written back into them.
        store.flushSnapshot()
        try FileManager.default.removeItem(atPath: directory + "/data/snapshot")
        store = try One.store(directory)
        _ = try store.ingest(text: One.page("甲", "己"), source: "p1.txt", info: nil, pageID: "p1", replace: true)
        let last = try Self.ids(store, "p1")
        #expect(last["甲"] == "p1-01" && !["p1-02", "p1-03"].contains(last["己"]), "a new story got an id the page had: \(last)")
    }
}
