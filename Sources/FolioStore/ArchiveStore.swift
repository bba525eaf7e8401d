import Dispatch
import FolioIndex
import FolioModel
import FolioWire
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The archive: the in-memory corpus behind a lock, the data directory behind it, and the start-up
/// snapshot beside it. Reads take the lock only to fetch a stored entry; writes are serialized by
/// `writer`'s lock (parse and disk I/O happen outside the corpus lock, so readers never wait on a disk).
public final class ArchiveStore: Sendable {
    public let repository: PageRepository?
    package let parser: PageParsing
    package let text: TextServices
    let limits: WireLimits
    let search: SearchProvider
    let logger: Logger
    let corpus = NIOLockedValueBox(Corpus())
    /// Taken by every write for its whole length: writes are serialized, and what they keep besides
    /// the corpus is only reachable with the lock held.
    let writer = NIOLockedValueBox(WriterState())

    let snapshot: SnapshotFile?
    let snapshotDelaySeconds: Double
    let snapshotQueue = DispatchQueue(label: "foliod.snapshot", qos: .utility)
    let schedule = NIOLockedValueBox(SnapshotSchedule())
    /// Threads that parse pages at start-up and reload.
    let parseWorkers: Int
    /// Set when foliod stops: loads give up between pages (LoadStop.swift).
    let stop = LoadStop()

    public init(repository: PageRepository?, parser: PageParsing, text: TextServices, limits: WireLimits,
                search: SearchProvider, logger: Logger, snapshotDelaySeconds: Double = 30,
                parseWorkers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.repository = repository
        self.parser = parser
        self.text = text
        self.limits = limits
        self.search = search
        self.logger = logger
        self.snapshotDelaySeconds = snapshotDelaySeconds
        self.parseWorkers = max(1, parseWorkers)
        snapshot = repository.map { SnapshotFile(dataDirectory: $0.root, indexKind: search.snapshotIndex == nil ? "none" : "folioindex",
                                                     parser: parser.modelIdentity) }
        // The index reads snippets and phrase checks from the stored articles, not from its own copy;
        // its merges from a copy of the corpus as it was when they were planned.
        let limits = limits
        search.readTexts(from: { [weak self] id in
            guard let self, let stored = article(id) else { return nil }
            return try? SearchableText.article(stored.body.serialized(limits: limits))
        }, frozen: { [weak self] in
            let corpus = self?.corpus.withLockedValue { $0 } ?? Corpus()
            return { id in corpus.articles[id].flatMap { try? SearchableText.article($0.body.serialized(limits: limits)) } }
        })
    }

    public var isReadOnly: Bool { repository == nil }

    // MARK: loading

    public struct LoadReport: Sendable {
        public var pages: Int
        public var articles: Int
        public var problems: [String]
        public var removedTemporaryFiles: Int
        public var tookMs: UInt64
        /// True when the model and index came from the snapshot (only pages changed since were parsed).
        public var fromSnapshot: Bool
        /// Pages whose files changed since the snapshot was written (or, on a reload, since the model
        /// in memory was read), read again on top of it.
        public var pagesReadOverSnapshot = 0
        /// A reload that read again only the pages changed since the model in memory was read.
        public var fromModelInMemory = false
        /// Whether every page was parsed (no snapshot and no model in memory underneath).
        public var parsedEveryPage: Bool { !fromSnapshot && !fromModelInMemory }
        /// Why the snapshot was not used (nil when it was, or when there is no data directory).
        public var snapshotSkipped: String?
        /// The snapshot was there but damaged or unreadable (not merely missing or out of date).
        public var snapshotDamaged = false
        /// Article bodies as held in memory (deflated when large) and as serialized messages.
        public var articleBytesStored = 0
        public var articleBytesSerialized = 0
    }

    /// What the last successful load did (start-up or reload).
    public var lastLoad: LoadReport? { lastLoadReport.withLockedValue { $0 } }
    private let lastLoadReport = NIOLockedValueBox<LoadReport?>(nil)

    /// Loads the data directory (or `sample` when there is none) and replaces the corpus: from the
    /// snapshot when this build wrote it (with the pages changed since read again), else by parsing every page (then a fresh
    /// snapshot is written in the background). An unreadable page file is skipped and reported in
    /// `problems`, at a start and at a reload alike; an unreadable data directory fails the load and
    /// the old corpus stays. `reloading`: the data directory and its pages/ must still be there
    /// (at start-up they are created), else the load fails.
    /// A stop asked meanwhile (`abandonLoads`) ends the load between two pages: it throws, and the
    /// corpus served stays as it was.
    @discardableResult
    public func load(sample: [StoredPageFile] = [], reloading: Bool = false) throws -> LoadReport {
        try stop.loading { try readAndInstall(sample: sample, reloading: reloading) }
    }

    private func readAndInstall(sample: [StoredPageFile], reloading: Bool) throws -> LoadReport {
        try stop.check()
        // What a crash left, at the start only: a reload would wait here for a background write under
        // way (tens of seconds for a large archive), and only a crash leaves anything.
        if let snapshot, !reloading { snapshotQueue.sync { snapshot.removeLeftovers() } }
        var report = try writer.withLockedValue { (state) throws -> LoadReport in
            // A reload may have waited here behind a long write.
            try stop.check()
            let started = DispatchTime.now()
            func elapsed() -> UInt64 { (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000 }
            guard let repository, let snapshot else {
                let built = try buildCorpus(sample.map { .file($0) })
                install(built.corpus, shards: built.shards, entities: built.entities)
                return LoadReport(pages: built.corpus.pageCount, articles: built.corpus.articleCount, problems: built.problems,
                                  removedTemporaryFiles: 0, tookMs: elapsed(), fromSnapshot: false, snapshotSkipped: nil)
            }
            let removed: Int
            do {
                removed = try repository.prepare(create: !reloading)
                for change in try repository.closeToOtherWriters() { logger.warning("\(change)") }
            } catch let error as StatusError {
                throw error
            } catch {
                throw StatusError(.failedPrecondition, "cannot read data directory \(repository.root): \(error.localizedDescription)")
            }
            // Stamps first: a file changing while we read is read again next time, never missed.
            let files = PageFileManifest.scan(repository.pagesDirectory)
            let served = corpus.withLockedValue { $0.pageCount }
            if !reloading && files.count == 0, let misplaced = Self.misplacedPageFiles(repository) { throw misplaced }
            if reloading && files.count == 0 && served > 0 {
                throw StatusError(.failedPrecondition, "\(repository.pagesDirectory) holds no page file while \(served) pages are served: "
                                  + "an unmounted disk is no empty archive, nothing reloaded (to empty the archive, delete its pages with folio delete)")
            }
            if reloading, let report = try readChanges(files, state: &state, repository: repository,
                                                       removedTemporaryFiles: removed, started: started) {
                return report
            }
            let skipped: String, damaged: Bool
            var listedInSnapshot = 0
            // What the snapshot served of the pages changed since, when a start parses every page.
            var snapshotServed: [String: [ArticleAnchor]] = [:]
            do {
                // Refused before anything is installed: the corpus and index served meanwhile stay.
                var changed = Set<String>(), vanished = Set<String>(), unchanged: [String] = []
                let contents = try snapshot.read(into: snapshotIndex, limits: limits) { stored, problems throws(SnapshotError) in
                    // Pages deleted since the snapshot was written (a crash before the next one) left
                    // their retired ids: gone by a delete, not lost.
                    listedInSnapshot = files.count > 0 ? stored.count
                        : files.vanishedPages(since: stored).filter { !repository.leftRetiredIDs($0) }.count
                    // An unmounted disk or a restore of snapshot/ alone: refused below, snapshot untouched.
                    if !reloading && listedInSnapshot > 0 && files.count == 0 { throw .outdated("pages/ holds no page file") }
                    changed = files.changedPages(since: stored)
                    vanished = files.vanishedPages(since: stored)
                    // A reload installs the snapshot while calls are served: it must be whole as read.
                    // Past half the archive, parsing everything is about as quick; pages whose files are
                    // gone cost nothing to read again, and only the snapshot knows their ids to retire.
                    let toParse = changed.count - vanished.count
                    if reloading && !changed.isEmpty || toParse > max(Self.fewPages, stored.count / 2) {
                        throw .outdated("\(changed.count) pages changed since the snapshot was written")
                    }
                    unchanged = problems.filter { !changed.contains(Self.pageID(ofProblem: $0)) }
                    if let id = readableAgain(unchanged, in: repository) {
                        throw .outdated("page \(id), skipped when the snapshot was written, can be read now")
                    }
                } outdated: { (records: ServedAnchors.Records) -> Void in
                    // A reload has them in memory. Unchanged files are those the snapshot was built from.
                    guard !reloading else { return }
                    snapshotServed = records.anchors(of: changed)
                }
                logger.debug("snapshot read", metadata: ["resident-bytes": "\(ProcessMemory.residentBytes())"])
                corpus.withLockedValue { $0 = contents.corpus }
                state.manifest = files
                state.loadProblems = try unchanged + readAgain(changed.sorted(), from: repository, manifest: &state.manifest)
                // A page deleted since the snapshot left its retired ids: gone as asked, nothing to warn of.
                warnOfLostPages(vanished.filter { !repository.leftRetiredIDs($0) })
                state.generation += 1
                // Pages read again: a fresh snapshot is due.
                state.savedGeneration = changed.isEmpty ? state.generation : state.generation - 1
                let (pages, articles) = corpus.withLockedValue { ($0.pageCount, $0.articleCount) }
                var report = LoadReport(pages: pages, articles: articles, problems: state.loadProblems,
                                        removedTemporaryFiles: removed, tookMs: elapsed(), fromSnapshot: true, snapshotSkipped: nil)
                report.pagesReadOverSnapshot = changed.count
                return report
            } catch let error as SnapshotError {
                if !reloading && files.count == 0 && listedInSnapshot > 0 {
                    throw StatusError(.failedPrecondition, "\(repository.pagesDirectory) holds no page file while the snapshot lists "
                                      + "\(listedInSnapshot) page files: an unmounted disk or a partial restore is no empty archive, nothing loaded "
                                      + "and the snapshot kept (to start an empty archive, move \(repository.root)/snapshot away too)")
                }
                skipped = error.description
                switch error {
                case .corrupt, .io: damaged = true
                case .missing, .stale, .outdated, .otherFormat: damaged = false
                }
            }
            let ids: [String], invalid: [String]
            do {
                (ids, invalid) = try repository.pageIDs()
            } catch {
                throw StatusError(.failedPrecondition, "cannot read data directory \(repository.root): \(error.localizedDescription)")
            }
            // Each page numbered from what foliod served before its file's own ids (see ServedAnchors).
            let earlier = snapshotServed
            let servedWith: @Sendable (String) -> [ArticleAnchor]
            if reloading { servedWith = { self.servedAnchors(of: $0) } } else { servedWith = { earlier[$0] ?? [] } }
            let built = try buildCorpus(ids.map { .stored($0) }, served: servedWith)
            warnOfLoneTextPages(repository.loneTextPages(among: ids))
            warnOfShadowedTextFiles(repository.shadowedTextFiles(among: ids))
            let problems = invalid + built.problems
            if reloading {
                let kept = Set(ids)
                for id in corpus.withLockedValue({ Array($0.pages.keys) }) where !kept.contains(id) && !repository.exists(id) {
                    retireServedAnchors(of: id, in: repository)
                }
            } else {
                // Pages the snapshot served whose files went (a delete left its retired ids already).
                let lost = earlier.keys.filter { !repository.exists($0) && !repository.leftRetiredIDs($0) }
                for id in lost { retireServedAnchors(of: id, served: earlier[id], in: repository) }
                warnOfLostPages(Set(lost))
            }
            install(built.corpus, shards: built.shards, entities: built.entities)
            state.manifest = files
            for id in built.rewritten { state.manifest.refresh(pageID: id, in: repository.pagesDirectory) }
            state.loadProblems = problems
            state.generation += 1
            var report = LoadReport(pages: built.corpus.pageCount, articles: built.corpus.articleCount, problems: problems,
                                    removedTemporaryFiles: removed, tookMs: elapsed(), fromSnapshot: false, snapshotSkipped: skipped)
            report.snapshotDamaged = damaged
            return report
        }
        (report.articleBytesStored, report.articleBytesSerialized) = corpus.withLockedValue { $0 }.bodyBytes
        lastLoadReport.withLockedValue { $0 = report }
        releaseFreedMemory()
        // Stopping: a start-up load finished as the stop came is not written (its pages are read
        // again at the next start); a drain writes a reload's (`flushSnapshot`).
        if stop.isAsked { return report }
        if report.fromModelInMemory {
            // Pages read again on a reload are written like an ingest's: after a quiet spell.
            if report.pagesReadOverSnapshot > 0 { snapshotSoon() }
        } else if report.parsedEveryPage || report.pagesReadOverSnapshot > 0 {
            snapshotSoon(delay: 0)
        }
        return report
    }

    /// Page files where a start does not read them, when pages/ holds none: in the data directory
    /// itself (`--data` given the pages folder, or a restore that unpacked it there) or in
    /// pages/pages (a copy of pages/ into an existing pages/). Started on, that is an empty archive
    /// beside an archive nobody is told of.
    static func misplacedPageFiles(_ repository: PageRepository) -> StatusError? {
        for (folder, advice) in [(repository.root, "is the data directory the pages folder itself? give its parent as --data, or move them into \(repository.pagesDirectory)"),
                                 (repository.pagesDirectory + "/pages", "a copy put a pages folder inside pages/: move them up into \(repository.pagesDirectory)")] {
            // .page files only: a .txt there may be anyone's notes.
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            let count = names.count { $0.hasSuffix(PageRepository.recordExtension) && !$0.hasPrefix(".") }
            guard count > 0 else { continue }
            return StatusError(.failedPrecondition, "\(repository.pagesDirectory) holds no page file but \(folder) holds \(count): \(advice); nothing loaded")
        }
        return nil
    }

    /// Pages read from a .txt alone: an old archive's, or files someone left in pages/ (served).
    /// Pages the snapshot served whose files are gone with no delete (a restore that missed them).
    func warnOfLostPages(_ lost: Set<String>) {
        guard !lost.isEmpty else { return }
        logger.warning("pages served when the snapshot was written have no file now: not served, their article ids kept retired (a restore that missed them? put their files back and reload)",
                       metadata: ["count": "\(lost.count)", "pages": "\(lost.sorted().prefix(20).joined(separator: ","))"])
    }

    func warnOfLoneTextPages(_ lone: [String]) {
        guard !lone.isEmpty else { return }
        logger.warning("pages read from a .txt file alone (no .json beside it): pages of an archive older than .page files, or files left in pages/ by someone (move those out and reload)",
                       metadata: ["count": "\(lone.count)", "pages": "\(lone.prefix(20).joined(separator: ","))"])
    }

    func warnOfShadowedTextFiles(_ shadowed: [String]) {
        guard !shadowed.isEmpty else { return }
        logger.warning("page text files not read: a .page file of the same id holds the page (move the .txt out, or ingest it under an id of its own)",
                       metadata: ["count": "\(shadowed.count)", "files": "\(shadowed.prefix(20).map { $0 + ".txt" }.joined(separator: ","))"])
    }

    /// Changed pages a start always reads over the snapshot, however small the archive.
    static let fewPages = 64

    /// The page a load problem names ("ID: reason").
    static func pageID(ofProblem problem: String) -> String {
        problem.firstIndex(of: ":").map { String(problem[..<$0]) } ?? problem
    }

    /// Reads pages whose files changed since the snapshot as ingest and delete do (a page whose
    /// files are gone leaves): parsed on every core, then put in the corpus and the index in one
    /// step each. Returns the problems of those that cannot be read. A page file that lacks ids
    /// the page was served with (a file from another archive, an older backup, a page file without
    /// ids) is written again with them, and `manifest` told: a later parse of it gives the same ids.
    func readAgain(_ ids: [String], from repository: PageRepository, manifest: inout PageFileManifest) throws -> [String] {
        guard !ids.isEmpty else { return [] }
        let rewritten = NIOLockedValueBox<[String]>([])
        let results = NIOLockedValueBox([Result<(Folio_V1_Page, PreparedPage), Error>?](repeating: nil, count: ids.count))
        let next = NIOLockedValueBox(0)
        DispatchQueue.concurrentPerform(iterations: min(parseWorkers, ids.count)) { _ in
            // A stop is looked for between pages: the pages read so far are dropped below.
            while !stop.isAsked {
                let k = next.withLockedValue { n -> Int in defer { n += 1 }; return n }
                guard k < ids.count else { return }
                guard repository.exists(ids[k]) else { continue }  // gone: removed below, nothing to read
                let result = Result { () throws -> (Folio_V1_Page, PreparedPage) in
                    // The ids served come first: a page file from another archive or an older backup
                    // must not move them to other stories.
                    let read = try numbered(try repository.load(ids[k]), served: self.servedAnchors(of: ids[k]), in: repository)
                    if read.rewritten { rewritten.withLockedValue { $0.append(ids[k]) } }
                    return (read.page, read.prepared)
                }
                results.withLockedValue { $0[k] = result }
            }
        }
        try stop.check(parsed: results.withLockedValue { $0.count(where: { $0 != nil }) }, of: ids.count)
        let held = corpus.withLockedValue { corpus in ids.filter { corpus.pages[$0] != nil } }
        for id in held where !repository.exists(id) { retireServedAnchors(of: id, in: repository) }
        var problems: [String] = []
        var stored: [(Folio_V1_Page, PreparedPage)] = []
        for (id, result) in zip(ids, results.withLockedValue { $0 }) {
            switch result {
            case .success(let read)?: stored.append(read)
            case .failure(let error)?: problems.append("\(id): \(error)")
            case nil: break
            }
        }
        // One index change, seen whole by searches: a page read again is never missing meanwhile.
        do {
            try search.pagesReplaced(removed: held, by: stored.map(\.0)) {
                corpus.withLockedValue { corpus in
                    for id in held { _ = corpus.remove(id) }
                    for (_, prepared) in stored { _ = corpus.upsert(prepared) }
                }
            }
        } catch {
            // Nothing changed: the pages served stay as they were.
            throw StatusError(.resourceExhausted, "not enough memory to index the pages read again (\(error)); still serving the previous corpus")
        }
        for id in rewritten.withLockedValue({ $0 }) { manifest.refresh(pageID: id, in: repository.pagesDirectory) }
        logger.info("pages changed on disk read again", metadata: ["pages": "\(ids.count)"])
        return problems
    }

    /// The first page a parse skipped (its file could not be read or parsed) that is stored whole
    /// now: repaired since (a mode or an owner put right keeps the size and time the snapshot's key
    /// looks at). Such a snapshot lacks it. At most the first 64 skipped pages are tried.
    private func readableAgain(_ problems: [String], in repository: PageRepository) -> String? {
        for problem in problems.prefix(64) {
            let id = Self.pageID(ofProblem: problem)
            guard PageRepository.isValidPageID(id), repository.exists(id),
                  let file = try? repository.load(id) else { continue }
            let page = parser.parsePage(text: file.text, source: file.source, info: file.info, pageID: file.pageID)
            if (try? PreparedPage(page, textBytes: file.text.utf8.count, limits: limits, text: text)) != nil { return id }
        }
        return nil
    }

    /// What writes keep besides the corpus (snapshot bookkeeping, see ArchiveStore+Snapshot.swift).
    struct WriterState {
        /// Bumped by every change of the corpus; the snapshot on disk matches `savedGeneration`.
        var generation = 0
        var savedGeneration = 0
        /// The page files the corpus reflects (a snapshot is written only while they still look so).
        var manifest = PageFileManifest()
        /// Problems of the last parse, stored in the snapshot so a reload from it judges them the same way.
        var loadProblems: [String] = []
    }

    private func install(_ built: Corpus, shards: [IndexShard], entities: ShardEntities) {
        corpus.withLockedValue { $0 = built }
        search.corpusReplaced(shards: shards, entities: entities)
        logger.debug("index installed", metadata: ["resident-bytes": "\(ProcessMemory.residentBytes())"])
    }

    // MARK: writes

    /// A change made but not synced to disk: what the client is told (and the journal), since the
    /// served archive already shows it.
    private static func unsynced(_ error: StatusError, _ done: String) -> StatusError {
        StatusError(error.code, "\(done), but \(error.message): a crash before the disk settles may undo it; check the disk")
    }

    /// The snapshot's format, as the start-up log names it.
    public static var snapshotFormat: String { SearchIndex.snapshotFormat }

    public struct IngestOutcome: Sendable {
        public var page: Folio_V1_Page
        public var replaced: Bool
    }

    /// Parses, writes durably, then publishes. Throws StatusError. A page id that is already
    /// stored with other text or metadata is refused with ALREADY_EXISTS unless `replace`;
    /// the same page sent again is acknowledged without a write. `commit` is asked, under the
    /// writer's lock, just before anything changes: false (nobody waits for the answer any
    /// more) stores nothing, true means the caller will be told the outcome.
    public func ingest(text pageText: String, source: String, info: Folio_V1_PageInfo?, pageID: String?,
                       replace: Bool = false, commit: () -> Bool = { true }) throws -> IngestOutcome {
        guard let repository else {
            throw StatusError(.failedPrecondition, "foliod serves the bundled sample (no --data directory): it cannot store pages")
        }
        if let pageID, !pageID.isEmpty, !PageRepository.isValidPageID(pageID) {
            throw StatusError(.invalidArgument, "page id \"\(pageID)\" is not 1–128 of [A-Za-z0-9_.-] (not starting with a dot)")
        }
        if let reason = TextCheck.binaryReason(pageText.utf8) { throw StatusError(.invalidArgument, reason) }
        if let reason = TextCheck.ownFileReason(pageText) { throw StatusError(.invalidArgument, reason) }
        var page = parser.parsePage(text: pageText, source: source, info: info, pageID: pageID)
        guard PageRepository.isValidPageID(page.id) else {
            throw StatusError(.invalidArgument, "derived page id \"\(page.id)\" is not usable; pass page_id")
        }
        // A replace keeps the ids of the articles it keeps (same headline or first line); a page
        // stored again after a delete, the ids of the stories that come back (same headline).
        // What foliod serves comes first: a page file put back from an older backup behind its
        // back must not give the ids it served since to other stories.
        let earlier = try knownAnchors(of: page.id, in: repository)
        if !earlier.isEmpty { page = ArticleAnchors.apply(earlier, to: page) }
        let prepared = try PreparedPage(page, retired: ArticleAnchors.retired(earlier, after: page), textBytes: pageText.utf8.count,
                                        limits: limits, text: text)
        try prepared.checkServable(page, limits: limits)
        var file = StoredPageFile(pageID: page.id, text: pageText, source: source, info: info)
        file.anchors = ArticleAnchors.of(page, replacing: earlier)
        let outcome = try writer.withLockedValue { (state) throws -> IngestOutcome? in
            if repository.exists(page.id) {
                // A file that cannot be read is overwritten when asked to (the page served may come
                // from the snapshot, but the file is what the next parse reads).
                let stored: StoredPageFile?
                do {
                    stored = try repository.load(page.id)
                } catch {
                    guard replace else {
                        throw StatusError(.alreadyExists, "page \(page.id) is in the data directory but its file cannot be read "
                                          + "(\(error)); ingest with replace (folio ingest --replace) to overwrite it")
                    }
                    stored = nil
                }
                // The same text and page info is the same page, whatever it was called (`source` is the
                // name it came under: a folder ingest and a retry of one file name it differently).
                if let stored, stored.text == file.text, stored.info == file.info, corpus.withLockedValue({ $0.pages[page.id] != nil }) {
                    return nil
                }
                guard replace else {
                    throw StatusError(.alreadyExists, "page \(page.id) already exists with other text or metadata; "
                                      + "ingest with replace (folio ingest --replace) to overwrite it, or give another page id")
                }
            }
            guard commit() else { throw StatusError(.cancelled, "call ended before the page was stored") }
            var existed = false
            var unsynced: StatusError?
            var old: StoredPage?
            // The index is built first and the file written only once it is: a page the index has no
            // memory for is refused with nothing stored. The index counts what a replaced page's
            // articles took from its statistics from their text, which the corpus holds until the
            // upsert; searches see the old version or the new.
            do {
                try search.pagesReplaced(removed: [page.id], by: [page]) {
                    do {
                        existed = try repository.save(file)
                    } catch let change as PageRepository.UnsyncedChange {
                        // The new file is in place: serve what the next start will read, and say so.
                        existed = change.existed
                        unsynced = change.error
                    }
                    repository.forgetRetired(page.id)
                    state.manifest.refresh(pageID: page.id, in: repository.pagesDirectory)
                    state.loadProblems.removeAll { $0.hasPrefix(page.id + ":") }
                    old = corpus.withLockedValue { $0.upsert(prepared) }
                }
            } catch let error as IndexMemoryError {
                logger.error("page not stored: not enough memory to index it", metadata: ["page": "\(page.id)", "reason": "\(error)"])
                throw StatusError(.resourceExhausted, "not enough memory to index the page (the page was not stored)")
            } catch {
                // The client is told; the operator reading the journal must be too (a full disk).
                logger.error("page not stored", metadata: ["page": "\(page.id)", "reason": "\(error)"])
                throw error
            }
            state.generation += 1
            logger.info("page ingested", metadata: ["page": "\(page.id)", "articles": "\(page.articles.count)",
                                                    "replaced": "\(existed || old != nil)"])
            if let unsynced {
                logger.error("page written but not synced", metadata: ["page": "\(page.id)", "reason": "\(unsynced.message)"])
                throw Self.unsynced(unsynced, "page \(page.id) was written and is served")
            }
            return IngestOutcome(page: page, replaced: existed || old != nil)
        }
        guard let outcome else { return IngestOutcome(page: page, replaced: false) }   // unchanged
        snapshotSoon()
        return outcome
    }

    /// Deletes a page from disk and memory; returns how many articles went with it.
    /// `commit` as for `ingest`.
    public func delete(pageID: String, commit: () -> Bool = { true }) throws -> Int {
        guard let repository else {
            throw StatusError(.failedPrecondition, "foliod serves the bundled sample (no --data directory): it cannot delete pages")
        }
        guard PageRepository.isValidPageID(pageID) else { throw StatusError(.invalidArgument, "invalid page id \"\(pageID)\"") }
        let removed = try writer.withLockedValue { state in
            guard commit() else { throw StatusError(.cancelled, "call ended before the page was deleted") }
            try retireAnchors(of: pageID, in: repository)
            let onDisk: Bool
            var unsynced: StatusError?
            do {
                onDisk = try repository.delete(pageID)
            } catch let change as PageRepository.UnsyncedChange {
                onDisk = true
                unsynced = change.error
            }
            state.manifest.refresh(pageID: pageID, in: repository.pagesDirectory)
            state.loadProblems.removeAll { $0.hasPrefix(pageID + ":") }
            // Before the corpus lets the articles go: the index reads their text (see ingest).
            search.pageRemoved(id: pageID)
            let old = corpus.withLockedValue { $0.remove(pageID) }
            guard onDisk || old != nil else { throw StatusError(.notFound, "no page \(pageID)") }
            state.generation += 1
            logger.info("page deleted", metadata: ["page": "\(pageID)"])
            if let unsynced {
                logger.error("page deleted but not synced", metadata: ["page": "\(pageID)", "reason": "\(unsynced.message)"])
                throw Self.unsynced(unsynced, "page \(pageID) was deleted and is no longer served")
            }
            return old?.articleIDs.count ?? 0
        }
        snapshotSoon()
        return removed
    }

    // MARK: reads

    package func article(_ id: String) -> StoredArticle? {
        corpus.withLockedValue { $0.articles[id] }
    }

    /// The whole page message, assembled from the stored shell and article bytes.
    package func page(_ id: String) throws -> Folio_V1_Page? {
        let (page, articles) = corpus.withLockedValue { ($0.pages[id], $0.articles) }
        return try page?.assembled(articles: articles, limits: limits)
    }

    public struct Counts: Sendable {
        public var pages: Int
        public var articles: Int
        public var textBytes: Int
    }

    public func counts() -> Counts {
        let snapshot = corpus.withLockedValue { $0 }
        return Counts(pages: snapshot.pageCount, articles: snapshot.articleCount,
                      textBytes: snapshot.textBytes)
    }

    /// A consistent view for listing: page ids in order with the corpus they index into.
    package func snapshotForListing() -> (order: [String], corpus: Corpus) {
        corpus.withLockedValue { corpus in (corpus.orderedPageIDs(), corpus) }
    }
}
