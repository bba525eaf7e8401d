import FolioModel
import FoliodServices
@testable import FolioStore
import FolioTestSupport
import FolioWire
import Foundation
import Logging
import Testing

/// A page is stored only when GetPage can answer it whole: one whose reply would pass the frame
/// limit is refused at ingest, with a message that says so, and leaves nothing behind.
@Suite struct ServableSizeTests {
    static func store(limits: WireLimits) throws -> (ArchiveStore, String) {
        let directory = try DaemonHarness.makeDirectory()
        let store = ArchiveStore(repository: PageRepository(root: directory + "/data"), parser: BlockPageParser(),
                                 text: TableTextServices(), limits: limits, search: IndexSearchProvider(),
                                 logger: Logger(label: "test"))
        try store.load()
        return (store, directory)
    }

    /// Han characters that do not repeat in any pattern zlib could use (a page of news text
    /// compresses about 2:1; this about 1.5:1).
    static func scrambledText(_ count: Int, seed: UInt64) -> String {
        var state = seed
        var out = String.UnicodeScalarView()
        for _ in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            out.append(Unicode.Scalar(UInt32(0x4E00 + (state >> 33) % 0x5000))!)
        }
        return String(out)
    }

    @Test func aPageTooLargeToReturnIsRefusedAndNotStored() throws {
        let limits = WireLimits(maxFrameBytes: 8192, maxInflatedBytes: 65536)
        let (store, directory) = try Self.store(limits: limits)
        let small = "小标题\n" + Self.scrambledText(300, seed: 1)
        #expect(try store.ingest(text: small, source: "small.txt", info: nil, pageID: "small").page.articles.count == 1)
        #expect(try store.page("small") != nil)

        let large = (0..<6).map { "标题\($0)\n" + Self.scrambledText(1500, seed: UInt64($0 + 2)) }.joined(separator: "\n\n")
        let error = #expect(throws: StatusError.self) {
            try store.ingest(text: large, source: "large.txt", info: nil, pageID: "large")
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("too large to be served whole") == true)
        #expect(error?.message.contains("split it into smaller pages") == true)
        #expect(try store.page("large") == nil)
        #expect(!FileManager.default.fileExists(atPath: directory + "/data/pages/large.page"))

        // The same page is stored under limits its reply fits in.
        let (roomy, _) = try Self.store(limits: WireLimits())
        #expect(try roomy.ingest(text: large, source: "large.txt", info: nil, pageID: "large").page.articles.count == 6)
        #expect(try roomy.page("large")?.articles.count == 6)
    }
}
