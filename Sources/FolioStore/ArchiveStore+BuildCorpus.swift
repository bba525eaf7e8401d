import Dispatch
import FolioIndex
import FolioModel
import FolioWire
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The start-up parse: every page read, parsed, stored and indexed on every core.
extension ArchiveStore {
    enum PageSource {
        case file(StoredPageFile)
        case stored(String)
    }

    /// Reads and parses pages on every core, one file at a time: a parsed page becomes its stored
    /// form and its index documents at once and is dropped, so neither the raw text nor the parsed
    /// model of the whole archive is ever held. Workers take pages from `PageRanges`, each a run of
    /// contiguous ranges. Returns the corpus, the index shards (in page order) with their entities
    /// and the unreadable pages. `served`: the anchors a stored page was served with, numbered from
    /// before its file's (see `numbered`); `rewritten`, the page files written again with them.
    func buildCorpus(_ sources: [PageSource], served: @Sendable (String) -> [ArticleAnchor] = { _ in [] }) throws
        -> (corpus: Corpus, shards: [IndexShard], entities: ShardEntities, problems: [String], rewritten: [String]) {
        let workers = max(1, min(sources.count, parseWorkers))
        let indexes = search.indexesPages
        let ranges = NIOLockedValueBox(PageRanges(pages: sources.count, workers: workers))
        let parts = NIOLockedValueBox([WorkerOutput?](repeating: nil, count: workers))
        // Workers intern filter keys into one table and keep only stored records: the prepared
        // pages' key strings and body arrays are let go as each page is done, not at assembly.
        let keys = NIOLockedValueBox(KeyTable())
        // Finishing a shard copies its postings out of the builder's pool, which is then freed: one
        // worker at a time, so that two copies never add up at the peak, and the freed pool is handed
        // back to the system at once (glibc would keep it, and it was most of the start-up's peak).
        // First cuts are staggered so that workers seldom wait for each other.
        let finishing = NIOLock()
        let parsed = NIOLockedValueBox(0)
        let rewritten = NIOLockedValueBox<[String]>([])
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var output = WorkerOutput()
            var piece = PagePiece(start: 0)
            var shard = search.makeShardBuilder()
            var cutAt = Self.shardDocuments - worker * Self.shardDocuments / (2 * workers)
            func finishShard() {
                let finished = finishing.withLock {
                    let finished = shard.finish()
                    releaseFreedMemory()
                    return finished
                }
                piece.shards.append(finished)
            }
            var tailCut = false
            var done = 0
            defer { parsed.withLockedValue { $0 += done } }
            // A stop is looked for between pages: what was parsed is dropped below.
            while !stop.isAsked, let claim = ranges.withLockedValue({ $0.claim(worker: worker) }) {
                // A shard holds contiguous pages only: a new range closes the shard and piece before it.
                if claim.startsRange {
                    if done > 0 {
                        finishShard()
                        output.pieces.append(piece)
                    }
                    piece = PagePiece(start: claim.page)
                }
                let result = Result {
                    let file: StoredPageFile, earlier: [ArticleAnchor]
                    switch sources[claim.page] {
                    case .file(let given): (file, earlier) = (given, [])
                    case .stored(let id): (file, earlier) = (try repository!.load(id), served(id))
                    }
                    let (page, prepared, written) = try numbered(file, served: earlier, in: repository)
                    if written { rewritten.withLockedValue { $0.append(file.pageID) } }
                    if indexes { shard.add(page: page) }
                    let stored = keys.withLockedValue { prepared.storedArticles(keys: &$0) }
                    output.articles += stored.count
                    return (prepared.page, stored)
                }
                piece.results.append(result)
                done += 1
                // A shard's builder holds its postings in growable form: bounding it bounds the peak.
                if shard.documents >= cutAt {
                    finishShard()
                    cutAt = Self.shardDocuments
                }
                // The shard still open when parsing ends finishes beside every stored record, at the
                // start-up's peak: cut once more when the pages left would hold about a tail's worth.
                if !tailCut && shard.documents >= Self.tailDocuments
                    && output.articles * claim.left <= Self.tailDocuments * done {
                    finishShard()
                    tailCut = true
                }
            }
            if done > 0 && !stop.isAsked {
                finishShard()
                output.pieces.append(piece)
            }
            parts.withLockedValue { $0[worker] = output }
        }
        try stop.check(parsed: parsed.withLockedValue { $0 }, of: sources.count)
        logger.debug("pages parsed", metadata: ["resident-bytes": "\(ProcessMemory.residentBytes())"])
        // The records move into the corpus' tables (no copies); each piece is let go as it is read.
        var pieces: [PagePiece] = [], articles = 0
        parts.withLockedValue { parts in
            for output in parts {
                pieces += output?.pieces ?? []
                articles += output?.articles ?? 0
            }
            parts = []
        }
        pieces.sort { $0.start > $1.start }  // popped from the back: in page order
        var built = Corpus(keys: keys.withLockedValue { $0 })
        built.reserveCapacity(pages: sources.count, articles: articles)
        var unreadable: [String] = []
        var shards: [IndexShard] = []
        var index = 0
        while var piece = pieces.popLast() {
            precondition(piece.start == index, "page pieces do not tile the pages")
            piece.results.reverse()
            while let result = piece.results.popLast() {
                switch result {
                case .success(let (page, articles)):
                    built.upsert(page, articles: articles)
                case .failure(let error):
                    if case .stored(let id) = sources[index] { unreadable.append("\(id): \(error)") } else { throw error }
                }
                index += 1
            }
            shards += piece.shards
        }
        // After the workers, not in them: their catalogs would add to the peak of their last shards.
        let entities = Self.countEntities(of: shards, threads: workers)
        try stop.check(parsed: sources.count, of: sources.count)
        logger.debug("corpus assembled", metadata: ["resident-bytes": "\(ProcessMemory.residentBytes())"])
        return (built, shards, entities, unreadable, rewritten.withLockedValue { $0 })
    }

    /// The shards' entities, counted on `threads` threads: each takes the largest shard left.
    private static func countEntities(of shards: [IndexShard], threads: Int) -> ShardEntities {
        let bySize = shards.filter { $0.documents > 0 }.sorted { $0.documents > $1.documents }
        let next = NIOLockedValueBox(0)
        let parts = NIOLockedValueBox<[ShardEntities]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var counted = ShardEntities()
            while let index = next.withLockedValue({ (next: inout Int) -> Int? in
                defer { next += 1 }
                return next < bySize.count ? next : nil
            }) {
                counted.count(bySize[index])
            }
            parts.withLockedValue { $0.append(counted) }
        }
        var all = ShardEntities()
        while let part = parts.withLockedValue({ $0.popLast() }) { all.add(part) }
        return all
    }

    /// What one worker built: its pieces (in the order it took them) and how many articles in all.
    private struct WorkerOutput {
        var pieces: [PagePiece] = []
        var articles = 0
    }

    /// The pages of one range a worker took, from `start` on, and the shards cut from them.
    private struct PagePiece {
        var start: Int
        var results: [Result<(StoredPage, [StoredArticle]), Error>] = []
        var shards: [IndexShard] = []
    }

    /// Documents per index shard built at start-up (a few segments for a large archive).
    static let shardDocuments = 25_000
    /// Documents of a worker's last shard at most (by its pages left), when it has more in all.
    static let tailDocuments = 8_000
}
