import FolioIndex
import FolioModel
@testable import FolioStore
import FoliodServices
import FolioWire
import Foundation
import FuzzDriver
import NIOCore

// The readers of what foliod keeps on disk, on arbitrary bytes: one page record of the start-up
// snapshot (StoreRecord, with or without the archive's dictionary), or a whole snapshot file
// (SnapshotFile → ArchiveSnapshot → the index snapshot's BinaryReader and segments). Whatever they
// accept is then used as the daemon uses it: articles inflated and framed, pages assembled,
// summaries decoded, the index searched. A damaged file must be refused with a typed error.
//
// Input: a mode byte, then
//   mode 0: a page record;  mode 1: varint dictionary length, the dictionary, a page record;
//   mode 2: a snapshot file after its magic and checksum (the harness writes those, so mutations
//           get past the checksum; the key the file carries is the key expected).

private let limits = WireLimits(maxFrameBytes: 1 << 20, maxInflatedBytes: 1 << 22)
private let directory = "/tmp/folio-fuzz-store-\(getpid())"
private let cache = PlainArticleCache(budgetBytes: 1 << 20)

@_cdecl("LLVMFuzzerInitialize")
public func fuzzStoreInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    if let seeds = ProcessInfo.processInfo.environment["FOLIO_FUZZ_WRITE_SEEDS"] {
        StoreSeeds.write(to: seeds)
        exit(0)
    }
    try? FileManager.default.createDirectory(atPath: directory + "/snapshot", withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: directory) }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStore(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 3 {
    case 0: readRecord(input[...], dictionary: nil)
    case 1:
        var reader = RecordReader(input[...])
        guard let dictionary = try? reader.bytes() else { return 0 }
        let record = input[(input.count - reader.remaining)...]
        readRecord(record, dictionary: dictionary.isEmpty ? nil : ArticleDictionary(bytes: Array(dictionary)))
    default: readSnapshot(input)
    }
    return 0
}

private func readRecord(_ record: ArraySlice<UInt8>, dictionary: ArticleDictionary?) {
    var corpus = Corpus()
    corpus.dictionary = dictionary
    // StoreRecordError, or swift-protobuf's for a damaged summary (SnapshotFile.read reports either as corrupt).
    guard (try? StoreRecord.decode(record, limits: limits, dictionary: dictionary, into: &corpus)) != nil else { return }
    use(corpus)
}

private func readSnapshot(_ body: [UInt8]) {
    var file = SnapshotSeeds.header(for: body)
    file += body
    let path = directory + "/snapshot/archive.folio"
    guard FileManager.default.createFile(atPath: path, contents: Data(file)) else { preconditionFailure("cannot write \(path)") }
    let snapshot = SnapshotFile(dataDirectory: directory, indexKind: "fuzz")
    // As in foliod: the index reads its snippets and phrase checks from the stored articles.
    let loaded = LoadedCorpus()
    let index = SearchIndex()
    index.readTexts(from: loaded.article)
    let corpus: Corpus
    do {
        corpus = try snapshot.read(key: SnapshotSeeds.key(in: body), into: index, limits: limits).corpus
    } catch {
        return  // typed by the signature: SnapshotError
    }
    loaded.corpus = corpus
    use(corpus)
    let search = IndexSearchProvider(index: index)
    var request = Folio_V1_SearchRequest()
    for query in ["锦州港", "经济 OR 北京", "\"国务院\" -会议", "a*"] {
        request.query = query
        request.limit = 5
        _ = try? index.search(request)
    }
    var entities = Folio_V1_ListEntitiesRequest()
    entities.pageSize = 10
    if let listed = try? index.listEntities(entities) {
        for entity in listed.entities.prefix(3) {
            var get = Folio_V1_GetEntityRequest()
            get.text = entity.text
            _ = try? index.getEntity(get)
        }
    }
    _ = search.indexTerms
}

/// The stored articles an index reads its text from, once the snapshot's corpus is loaded.
final class LoadedCorpus: @unchecked Sendable {  // written once, before any search reads it
    var corpus = Corpus()

    @Sendable func article(_ id: String) -> Folio_V1_Article? {
        guard let stored = corpus.articles[id] else { return nil }
        return try? SearchableText.article(stored.body.serialized(limits: limits))
    }
}

/// What the daemon does with a loaded corpus: frames, pages, summaries, filter keys, the index's reading.
private func use(_ corpus: Corpus) {
    for page in corpus.pages.values {
        _ = try? page.assembled(articles: corpus.articles, limits: limits)
    }
    for stored in corpus.articles.values {
        _ = stored.date
        let keys = stored.keys
        _ = (keys.section, Array(keys.authors), Array(keys.entities))
        _ = try? stored.summary()
        if let serialized = try? stored.body.serialized(limits: limits) { _ = try? SearchableText.article(serialized) }
        for compress in [false, true] {
            _ = try? stored.body.responseFrame(id: 7, compress: compress, limits: limits, allocator: .init(), cache: cache)
        }
    }
}

@_cdecl("FuzzStore_main")
public func fuzzStoreMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    folio_fuzz_run(argc, argv) { data, size in data.map { fuzzStore($0, size) } ?? 0 }
}
