import Dispatch
import FolioModel
import FoliodServices
@testable import FolioIndex
@testable import FolioStore
import FolioTestSupport
import FolioWire
import Foundation
import Logging
import Testing

/// Start-up parses pages on several workers, which share out the pages as they go: whoever parsed
/// what, the archive and every answer about it are those of a start-up on one worker.
@Suite struct ParallelStartupTests {
    static let pageCount = 64

    static func pageID(_ number: Int) -> String { String(format: "p%02d", number) }

    /// Pages of three articles each, all naming 錦州港 (GetEntity lists its mentions page by page).
    static func makeData() throws -> String {
        let directory = try DaemonHarness.makeDirectory()
        for number in 0..<pageCount {
            let articles = (0..<3).map { index in
                "第\(number)頁\(["港口", "吞吐量", "新通道"][index])\n实体：錦州港\n"
                    + String(repeating: "錦州港第\(number * 3 + index)號泊位，貨物\(["增長", "風大", "通航"][index])。", count: 1 + index)
            }
            try DaemonHarness.writePage(articles.joined(separator: "\n\n"), id: pageID(number), in: directory)
        }
        return directory
    }

    /// Holds the first page until the page in the middle of its worker's range was parsed: only
    /// the other worker, having run out of pages, can parse it by then.
    final class HoldingParser: PageParsing {
        let inner = BlockPageParser()
        let middleParsed = DispatchSemaphore(value: 0)
        /// Signalled once the first page went on because the middle one was parsed (not on a timeout).
        let heldUntilTaken = DispatchSemaphore(value: 0)

        func parsePage(text: String, source: String, info: Folio_V1_PageInfo?, pageID: String?) -> Folio_V1_Page {
            if pageID == ParallelStartupTests.pageID(0) {
                if middleParsed.wait(timeout: .now() + 60) == .success { heldUntilTaken.signal() }
            }
            if pageID == ParallelStartupTests.pageID(pageCount / 4) { middleParsed.signal() }
            return inner.parsePage(text: text, source: source, info: info, pageID: pageID)
        }
    }

    static func load(workers: Int, parser: PageParsing) throws -> (ArchiveStore, SearchIndex) {
        let directory = try makeData()
        let search = IndexSearchProvider()
        let store = ArchiveStore(repository: PageRepository(root: directory + "/data"), parser: parser,
                                 text: TableTextServices(), limits: WireLimits(), search: search,
                                 logger: Logger(label: "test"), parseWorkers: workers)
        try store.load()
        return (store, search.index)
    }

    /// Everything a client reads: pages in order with their articles, searches, entities.
    static func answers(_ store: ArchiveStore, _ index: SearchIndex) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        let order = store.snapshotForListing().order
        out["order"] = Array(order.joined(separator: ",").utf8)
        for id in order { out["page \(id)"] = try store.page(id)?.serializedBytes() }
        for query in ["錦州港", "吞吐量", "泊位 貨物", "\"貨物增長\"", "page:p40", "港口 OR 通航"] {
            var request = Folio_V1_SearchRequest()
            request.query = query
            request.limit = 1000
            var found = try index.search(request)
            found.tookMicros = 0
            out["search \(query)"] = try found.serializedBytes()
        }
        var entity = Folio_V1_GetEntityRequest()
        entity.text = "锦州港"
        entity.pageSize = 1000
        out["entity"] = try index.getEntity(entity)?.serializedBytes()
        out["entities"] = try index.listEntities(Folio_V1_ListEntitiesRequest()).serializedBytes()
        return out
    }

    /// The page ids of the index's documents, segment after segment.
    static func indexedPages(_ index: SearchIndex) -> [String] {
        index.state.segments.flatMap { segment in (0..<segment.docCount).map { segment.pageID(of: $0) } }
    }

    @Test func pagesSharedOutAnswerLikeOneWorker() throws {
        let (single, singleIndex) = try Self.load(workers: 1, parser: BlockPageParser())
        let parser = HoldingParser()
        let (shared, sharedIndex) = try Self.load(workers: 2, parser: parser)
        #expect(parser.heldUntilTaken.wait(timeout: .now()) == .success, "the second worker never took part of the first one's pages")
        // The second worker's own pages, the first one's first quarter, the part taken from it.
        #expect(sharedIndex.segmentCount == 3)
        let pages = Self.indexedPages(sharedIndex)
        #expect(pages == pages.sorted())
        #expect(pages == Self.indexedPages(singleIndex))
        #expect(shared.lastLoad?.articles == Self.pageCount * 3)
        let expected = try Self.answers(single, singleIndex)
        #expect(expected.count == Self.pageCount + 9)
        #expect(try Self.answers(shared, sharedIndex) == expected)
    }
}
