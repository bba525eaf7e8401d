import Foundation
import FolioTestSupport
import Testing
@testable import FolioIndex

/// The snapshot is written through a small buffer and read from a mapping whose parts are dropped
/// as the load goes on: these check both against payloads larger than the buffer and the
/// checksum's chunks, with odd sizes (records read out of order: FolioStoreTests).
@Suite struct SnapshotStreamingTests {
    static func path(_ name: String) -> String { NSTemporaryDirectory() + "folio-\(name)-\(getpid()).snap" }

    static func pattern(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    @Test(.enabled(if: SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) func aLargeOddSizedPayloadComesBackWhole() throws {
        let index = SearchIndex()
        index.add(articles: Array(TestCorpus.mixedScript.prefix(30)))
        let payload = Self.pattern((9 << 20) + 5, seed: 7)  // past the 8 MiB checksum chunk and the 1 MiB write buffer
        let path = Self.path("stream")
        defer { unlink(path) }
        try index.writeSnapshot(to: path, key: "k", payload: payload)
        let loaded = SearchIndex()
        #expect(try loaded.loadSnapshot(from: path, expectedKey: "k") == payload)
        #expect(try loaded.matchingArticleIDs("中国") == index.matchingArticleIDs("中国"))
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp-\(getpid())"))
    }

    @Test func aDamagedByteInTheSecondChunkIsCaught() throws {
        let path = Self.path("damaged")
        defer { unlink(path) }
        try SearchIndex().writeSnapshot(to: path, key: "k", payload: Self.pattern((8 << 20) + 100, seed: 3))
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[bytes.count - 50] ^= 0x01
        #expect(FileManager.default.createFile(atPath: path, contents: bytes))
        #expect(throws: SnapshotError.corrupt("checksum mismatch")) { try SearchIndex().loadSnapshot(from: path, expectedKey: "k") }
    }

    @Test func anEmptyOrShortFileIsRefusedNotTrusted() throws {
        let path = Self.path("short")
        defer { unlink(path) }
        for contents in [Data(), Data("FOLIOIX2".utf8)] {
            #expect(FileManager.default.createFile(atPath: path, contents: contents))
            #expect(throws: SnapshotError.corrupt("not a Folio index snapshot")) {
                try SearchIndex().loadSnapshot(from: path, expectedKey: "k")
            }
        }
    }
}
