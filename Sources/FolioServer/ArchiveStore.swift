import Dispatch
import FolioModel
import FolioWire
import Foundation
import Logging
import NIOCore

/// The archive: the in-memory corpus behind a lock, the data directory behind it.
/// Reads take the lock only to fetch a stored entry; writes are serialized by `writeLock`
/// (parse and disk I/O happen outside the corpus lock, so readers never wait on a disk).
public final class ArchiveStore: @unchecked Sendable {
    public let repository: PageRepository?
    let parser: PageParsing
    let text: TextServices
    let limits: WireLimits
    let search: SearchProvider
    let logger: Logger
    private let corpus = Locked(Corpus())
    private let writeLock = NSLock()

    public init(repository: PageRepository?, parser: PageParsing, text: TextServices, limits: WireLimits,
                search: SearchProvider, logger: Logger) {
        self.repository = repository
        self.parser = parser
        self.text = text
        self.limits = limits
        self.search = search
        self.logger = logger
    }

    public var isReadOnly: Bool { repository == nil }

    // MARK: loading

    public struct LoadReport: Sendable {
        public var pages: Int
        public var articles: Int
        public var problems: [String]
        public var removedTemporaryFiles: Int
        public var tookMs: UInt64
    }

    /// Loads the data directory (or `sample` when there is none) and replaces the corpus.
    /// With `strict`, any unreadable page fails the whole load and the old corpus stays.
    @discardableResult
    public func load(sample: [StoredPageFile] = [], strict: Bool) throws -> LoadReport {
        try writeLock.withLock {
            let started = DispatchTime.now()
            var sources: [PageSource] = sample.map { .file($0) }
            var problems: [String] = []
            var removed = 0
            if let repository {
                do {
                    removed = try repository.prepare()
                    let (ids, invalid) = try repository.pageIDs()
                    sources = ids.map { .stored($0) }
                    problems = invalid
                } catch {
                    throw StatusError(.failedPrecondition, "cannot read data directory \(repository.root): \(error.localizedDescription)")
                }
            }
            let (built, unreadable) = try buildCorpus(sources)
            problems += unreadable
            if strict && !problems.isEmpty {
                throw StatusError(.failedPrecondition, "\(problems.count) unreadable page file(s): " + problems.prefix(5).joined(separator: "; "))
            }
            let pages = built.pages.values.map(\.page)
            corpus.withLock { $0 = built }
            search.corpusReplaced(pages: pages)
            let took = (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
            return LoadReport(pages: built.pageCount, articles: built.articleCount, problems: problems,
                              removedTemporaryFiles: removed, tookMs: took)
        }
    }

    enum PageSource {
        case file(StoredPageFile)
        case stored(String)
    }

    /// Reads and parses pages on every core, one file at a time (the raw text of the whole
    /// archive is never held at once). Returns the corpus and the pages that could not be read.
    private func buildCorpus(_ sources: [PageSource]) throws -> (Corpus, [String]) {
        let results = Locked([Result<(StoredPage, [StoredArticle]), Error>?](repeating: nil, count: sources.count))
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            let outcome = Result { () throws -> (StoredPage, [StoredArticle]) in
                let file: StoredPageFile
                switch sources[index] {
                case .file(let given): file = given
                case .stored(let id): file = try repository!.load(id)
                }
                let page = parser.parsePage(text: file.text, source: file.source, info: file.info, pageID: file.pageID)
                return try Corpus.makeStoredPage(page, textBytes: file.text.utf8.count, limits: limits, text: text)
            }
            results.withLock { $0[index] = outcome }
        }
        var built = Corpus()
        var unreadable: [String] = []
        for (index, result) in results.withLock({ $0 }).enumerated() {
            switch result! {
            case .success(let (page, articles)): built.upsert(page, articles: articles)
            case .failure(let error):
                if case .stored(let id) = sources[index] { unreadable.append("\(id).txt: \(error)") } else { throw error }
            }
        }
        return (built, unreadable)
    }

    // MARK: writes

    public struct IngestOutcome: Sendable {
        public var page: Folio_V1_Page
        public var replaced: Bool
    }

    /// Parses, writes durably, then publishes. Throws StatusError.
    public func ingest(text pageText: String, source: String, info: Folio_V1_PageInfo?, pageID: String?) throws -> IngestOutcome {
        guard let repository else {
            throw StatusError(.failedPrecondition, "foliod serves the bundled sample (no --data directory): it cannot store pages")
        }
        if let pageID, !pageID.isEmpty, !PageRepository.isValidPageID(pageID) {
            throw StatusError(.invalidArgument, "page id \"\(pageID)\" is not 1–128 of [A-Za-z0-9_.-] (not starting with a dot)")
        }
        let page = parser.parsePage(text: pageText, source: source, info: info, pageID: pageID)
        guard PageRepository.isValidPageID(page.id) else {
            throw StatusError(.invalidArgument, "derived page id \"\(page.id)\" is not usable; pass page_id")
        }
        let (stored, articles) = try Corpus.makeStoredPage(page, textBytes: pageText.utf8.count, limits: limits, text: text)
        return try writeLock.withLock {
            let existed = try repository.save(StoredPageFile(pageID: page.id, text: pageText, source: source, info: info))
            let old = corpus.withLock { $0.upsert(stored, articles: articles) }
            search.pageStored(page)
            logger.info("page ingested", metadata: ["page": "\(page.id)", "articles": "\(page.articles.count)",
                                                    "replaced": "\(existed || old != nil)"])
            return IngestOutcome(page: page, replaced: existed || old != nil)
        }
    }

    /// Deletes a page from disk and memory; returns how many articles went with it.
    public func delete(pageID: String) throws -> Int {
        guard let repository else {
            throw StatusError(.failedPrecondition, "foliod serves the bundled sample (no --data directory): it cannot delete pages")
        }
        guard PageRepository.isValidPageID(pageID) else { throw StatusError(.invalidArgument, "invalid page id \"\(pageID)\"") }
        return try writeLock.withLock {
            let onDisk = try repository.delete(pageID)
            let old = corpus.withLock { $0.remove(pageID) }
            guard onDisk || old != nil else { throw StatusError(.notFound, "no page \(pageID)") }
            search.pageRemoved(id: pageID)
            logger.info("page deleted", metadata: ["page": "\(pageID)"])
            return old?.page.articles.count ?? 0
        }
    }

    // MARK: reads

    func article(_ id: String) -> StoredArticle? {
        corpus.withLock { $0.articles[id] }
    }

    func page(_ id: String) -> StoredPage? {
        corpus.withLock { $0.pages[id] }
    }

    public struct Counts: Sendable {
        public var pages: Int
        public var articles: Int
        public var entities: Int
        public var textBytes: Int
    }

    public func counts(includingEntities: Bool = false) -> Counts {
        corpus.withLock {
            Counts(pages: $0.pageCount, articles: $0.articleCount,
                   entities: includingEntities ? $0.entityCount : 0, textBytes: $0.textBytes)
        }
    }

    /// A consistent view for listing: page ids in order with their stored pages.
    func snapshotForListing() -> (order: [String], pages: [String: StoredPage], articles: [String: StoredArticle]) {
        corpus.withLock { corpus in
            let order = corpus.orderedPageIDs()
            return (order, corpus.pages, corpus.articles)
        }
    }
}
