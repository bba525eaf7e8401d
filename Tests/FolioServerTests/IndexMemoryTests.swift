import FolioIndex
import FolioMemory
import FoliodServices
@testable import FolioStore
import FolioTestSupport
import FolioWire
import Foundation
import Logging
import Testing

/// An ingest whose index build cannot map its memory (an address-space limit) fails alone:
/// RESOURCE_EXHAUSTED, nothing stored, and the store keeps working.
@Suite struct IndexMemoryTests {
    @Test func anIngestWithoutMemoryForItsIndexStoresNothing() throws {
        let directory = try DaemonHarness.makeDirectory()
        let store = ArchiveStore(repository: PageRepository(root: directory + "/data"), parser: BlockPageParser(),
                                 text: TableTextServices(), limits: WireLimits(), search: IndexSearchProvider(),
                                 logger: Logger(label: "test"), parseWorkers: 1)
        try store.load()
        _ = try store.ingest(text: "江边新修了步道\n市民每天傍晚都来这里散步。\n", source: "p1.txt", info: nil, pageID: "p1")
        let refused = HugePages.$refusesMappings.withValue(true) {
            #expect(throws: StatusError.self) {
                try store.ingest(text: "港口扩建提速\n今年完成集装箱吞吐量三百万标准箱。\n", source: "p2.txt", info: nil, pageID: "p2")
            }
        }
        #expect(refused?.code == .resourceExhausted)
        #expect(refused?.message.contains("not enough memory to index the page") == true)
        #expect(!FileManager.default.fileExists(atPath: directory + "/data/pages/p2.page"))
        #expect(try store.page("p2") == nil)
        #expect(store.counts().pages == 1)
        // The memory is there again: the same page goes in.
        _ = try store.ingest(text: "港口扩建提速\n今年完成集装箱吞吐量三百万标准箱。\n", source: "p2.txt", info: nil, pageID: "p2")
        #expect(store.counts().pages == 2)
        #expect(FileManager.default.fileExists(atPath: directory + "/data/pages/p2.page"))
    }
}
