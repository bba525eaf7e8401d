@testable import FolioIndex
import FolioModel
@testable import FolioStore
import FoliodServices
import FolioWire
import Foundation
import Logging

/// The snapshot file around a fuzzed body: the magic and the checksum the reader checks first.
enum SnapshotSeeds {
    static let prefixBytes = 8 + 8 + 8  // magic length, magic, checksum

    static func header(for body: [UInt8]) -> [UInt8] {
        var header: [UInt8] = []
        withUnsafeBytes(of: UInt64(SearchIndex.snapshotMagic.count).littleEndian) { header += $0 }
        header += SearchIndex.snapshotMagic
        let sum = body.withUnsafeBytes { SearchIndex.checksum($0) }
        withUnsafeBytes(of: sum.littleEndian) { header += $0 }
        return header
    }

    /// The key a snapshot body carries first (a little-endian length, then UTF-8), "" if none.
    static func key(in body: [UInt8]) -> String {
        guard body.count >= 8 else { return "" }
        let length = body.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= UInt64(body.count - 8) else { return "" }
        return String(decoding: body[8..<(8 + Int(length))], as: UTF8.self)
    }
}

/// Seeds from a real data directory (FOLIO_FUZZ_WRITE_SEEDS=DIR): each page file given on the
/// command line is ingested alone, then its snapshot and page records are written as seeds.
enum StoreSeeds {
    static func write(to seeds: String) {
        try? FileManager.default.createDirectory(atPath: seeds, withIntermediateDirectories: true)
        let pages = (ProcessInfo.processInfo.environment["FOLIO_FUZZ_SEED_PAGES"] ?? "").split(separator: ":")
        var logger = Logger(label: "fuzz-seeds")
        logger.logLevel = .critical
        for (number, page) in pages.enumerated() {
            let data = "/tmp/folio-fuzz-seeds-\(getpid())-\(number)"
            defer { try? FileManager.default.removeItem(atPath: data) }
            guard let text = try? String(contentsOfFile: String(page), encoding: .utf8) else { fatalError("cannot read \(page)") }
            let search = IndexSearchProvider()
            let store = ArchiveStore(repository: PageRepository(root: data), parser: FolioPageParser(),
                                     text: OpenCCTextServices(), limits: .default, search: search, logger: logger)
            do {
                try store.load()
                _ = try store.ingest(text: text, source: "19980101-01.txt", info: nil, pageID: "p\(number)")
            } catch { fatalError("ingest \(page): \(error)") }
            store.flushSnapshot()
            guard let file = FileManager.default.contents(atPath: data + "/snapshot/archive.folio") else {
                fatalError("no snapshot written for \(page)")
            }
            let body = Array(file.dropFirst(SnapshotSeeds.prefixBytes))
            save([2] + body, seeds + "/snapshot-\(number)")

            let snapshot = SnapshotFile(dataDirectory: data, indexKind: "folioindex")
            let index = SearchIndex()
            index.readTexts { _ in nil }  // the store's index keeps no text: a segment without it reads back
            guard let corpus = try? snapshot.read(key: SnapshotSeeds.key(in: body), into: index, limits: .default).corpus else {
                fatalError("snapshot of \(page) does not read back")
            }
            for (index, stored) in corpus.pages.values.enumerated() {
                if let plain = try? StoreRecord.encode(stored, from: corpus) {
                    save([0] + plain, seeds + "/record-\(number)-\(index)")
                }
                if let dictionary = corpus.dictionary, let packed = try? StoreRecord.encode(stored, from: corpus, dictionary: dictionary) {
                    var framed = RecordWriter()
                    framed.bytes(dictionary.bytes)
                    save([1] + framed.bytes + packed, seeds + "/record-dictionary-\(number)-\(index)")
                }
            }
        }
    }

    private static func save(_ bytes: [UInt8], _ path: String) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fatalError("cannot write \(path)") }
    }
}
