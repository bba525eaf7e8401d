@testable import FolioStore
import FolioTestSupport
import Foundation
import Testing

/// An older copy of a page file put back behind foliod's back (a backup restored) lacks the ids
/// later versions retired: foliod keeps those it retired with the page it serves (and in the
/// snapshot), so a reload or a start from the snapshot gives none of them to another story.
@Suite struct RetiredArticleIDsAfterRestoreTests {
    static func store(_ directory: String) throws -> ArchiveStore { try ArchiveLifeTests.store(directory) }

    static func story(_ name: String) -> String { "\(name)新闻标题\n本报讯 内容\(name)。" }
    static func page(_ names: String...) -> String { names.map(story).joined(separator: "\n\n") }

    /// Headline's first character → id, as served.
    static func ids(_ store: ArchiveStore) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try #require(try store.page("x")).articles.map { (String($0.headline.prefix(1)), $0.id) })
    }

    /// x v1 (甲 乙), v2 (甲 丙: 乙 retired), `v3` (丙 retired too, named only by v3's file); then
    /// v1's file put back and read by a reload or a start from the snapshot. Every id the page had
    /// stays known (in the page file written again too), and new stories get none of them.
    @Test(arguments: ["reload", "start"], [["甲", "丁"], ["甲"]])
    func anOlderPageFilePutBackGivesNoRetiredIdToAnotherStory(_ how: String, _ v3: [String]) throws {
        let directory = try DaemonHarness.makeDirectory()
        let file = directory + "/data/pages/x.page"
        var store = try Self.store(directory)
        _ = try store.ingest(text: Self.page("甲", "乙"), source: "x.txt", info: nil, pageID: "x")
        let backup = try Data(contentsOf: URL(fileURLWithPath: file))
        _ = try store.ingest(text: Self.page("甲", "丙"), source: "x.txt", info: nil, pageID: "x", replace: true)
        _ = try store.ingest(text: v3.map(Self.story).joined(separator: "\n\n"), source: "x.txt", info: nil, pageID: "x", replace: true)
        let had: Set = v3.count == 2 ? ["x-01", "x-02", "x-03", "x-04"] : ["x-01", "x-02", "x-03"]
        #expect(Set(try Self.ids(store).values).isSubset(of: had))
        store.flushSnapshot()

        try FileManager.default.removeItem(atPath: file)
        try backup.write(to: URL(fileURLWithPath: file))
        if how == "reload" {
            try store.load(reloading: true)
        } else {
            store = try Self.store(directory)
            #expect(store.lastLoad?.fromSnapshot == true && store.lastLoad?.pagesReadOverSnapshot == 1)
        }
        #expect(try Self.ids(store) == ["甲": "x-01", "乙": "x-02"])
        let named = Set(try store.repository!.anchors(of: "x").map(\.id))
        #expect(named.isSuperset(of: had), "the page file written again lacks \(had.subtracting(named).sorted())")

        _ = try store.ingest(text: Self.page("甲", "戊", "己"), source: "x.txt", info: nil, pageID: "x", replace: true)
        let after = try Self.ids(store)
        #expect(after["甲"] == "x-01")
        let fresh = [try #require(after["戊"]), try #require(after["己"])]
        #expect(!fresh.contains(where: had.contains), "a new story got an id the page had: \(after)")
        // A start without the snapshot reads the page file alone: it names them all.
        store.flushSnapshot()
        try FileManager.default.removeItem(atPath: directory + "/data/snapshot")
        store = try Self.store(directory)
        #expect(try Self.ids(store) == after)
        _ = try store.ingest(text: Self.page("甲", "丙", "庚"), source: "x.txt", info: nil, pageID: "x", replace: true)
        let last = try Self.ids(store)
        #expect(last["丙"] == "x-03", "a story that came back lost its id: \(last)")
        let newest = try #require(last["庚"])
        #expect(!had.union(after.values).contains(newest), "a new story got an id the page had: \(last)")
    }
}
