import Dispatch
import FolioIndex
import FolioMemory
import FolioWire
import Foundation
import Logging
import NIOConcurrencyHelpers

/// When the next background snapshot write is due.
// @unchecked: DispatchWorkItem is not marked Sendable though cancel() is thread-safe; only used under `schedule`'s lock.
struct SnapshotSchedule: @unchecked Sendable {
    var pending: DispatchWorkItem?
    /// When the corpus first changed since the last write: a steady stream of writes postpones the
    /// snapshot at most `maxPostponeSeconds`.
    var dirtySince: DispatchTime?
    static let maxPostponeSeconds = 300.0
}

/// The start-up snapshot: read at load, rewritten in the background after the corpus changed
/// (debounced), and at shutdown. Writing never holds the corpus lock (readers never wait) and holds
/// the write lock only to capture the corpus and, at the end, to check that nothing changed since.
extension ArchiveStore {
    /// The index the snapshot carries (a scratch one when the search provider keeps none).
    var snapshotIndex: SearchIndex { search.snapshotIndex ?? scratchIndex }
    private var scratchIndex: SearchIndex { SearchIndex() }

    /// The snapshot's corpus and the problems of the load that wrote it. Throws SnapshotError
    /// (missing, stale or corrupt: the caller parses instead).
    func readSnapshot(_ file: SnapshotFile, key: String) throws -> (Corpus, [String]) {
        let (problems, corpus) = try file.read(key: key, into: snapshotIndex, limits: limits)
        return (corpus, problems)
    }

    /// Schedules a snapshot write `delay` seconds from now (debounced: a later change postpones it).
    func snapshotSoon(delay: Double? = nil) {
        guard snapshot != nil else { return }
        schedule.withLockedValue { schedule in
            schedule.pending?.cancel()
            let now = DispatchTime.now()
            let since = schedule.dirtySince ?? now
            schedule.dirtySince = since
            let waited = Double(now.uptimeNanoseconds - since.uptimeNanoseconds) / 1e9
            let wait = waited >= SnapshotSchedule.maxPostponeSeconds ? 0 : (delay ?? snapshotDelaySeconds)
            let item = DispatchWorkItem { [weak self] in self?.writeSnapshotNow() }
            schedule.pending = item
            snapshotQueue.asyncAfter(deadline: now + wait, execute: item)
        }
    }

    /// Writes the snapshot now if it is stale (at shutdown; waits for a write in progress).
    public func flushSnapshot() {
        guard snapshot != nil else { return }
        schedule.withLockedValue { $0.pending?.cancel() }
        snapshotQueue.sync { writeSnapshotNow() }
    }

    /// True when the snapshot on disk matches the corpus in memory.
    public var snapshotIsCurrent: Bool { writer.withLockedValue { $0.generation == $0.savedGeneration } }

    /// Runs on `snapshotQueue` only.
    func writeSnapshotNow() {
        schedule.withLockedValue { $0 = SnapshotSchedule() }
        guard let snapshot, let repository else { return }
        let captured: (generation: Int, corpus: Corpus, manifest: PageFileManifest, problems: [String])? = writer.withLockedValue { state in
            state.generation == state.savedGeneration
                ? nil : (state.generation, corpus.withLockedValue { $0 }, state.manifest, state.loadProblems)
        }
        guard var captured else { return }
        // Key before the check: a file changing after the key makes the key stale, never the model.
        let key = snapshot.currentKey()
        guard PageFileManifest.scan(repository.pagesDirectory) == captured.manifest else {
            // Files are written under the writer lock with the generation: once the lock is ours,
            // a write of foliod's own since the capture shows as a newer generation. That write
            // asked for a snapshot after it; only a change nobody made through foliod is news.
            if writer.withLockedValue({ $0.generation != captured.generation }) {
                snapshotSoon()
            } else {
                logger.notice("page files changed behind foliod's back: no snapshot until the next reload (SIGHUP)")
            }
            return
        }
        let started = DispatchTime.now()
        let temporary: String
        do {
            temporary = try snapshot.writeTemporary(header: captured.problems, corpus: captured.corpus,
                                                    index: snapshotIndex, key: key, limits: limits)
        } catch {
            logger.warning("cannot write the snapshot (start-up will parse the pages)",
                           metadata: ["path": "\(snapshot.path)", "reason": "\(error)"])
            return
        }
        let committed: Bool = writer.withLockedValue { state in
            guard state.generation == captured.generation else { return false }
            do {
                try snapshot.commit(temporary)
                state.savedGeneration = captured.generation
                return true
            } catch {
                logger.warning("cannot write the snapshot", metadata: ["reason": "\(error)"])
                return false
            }
        }
        let pages = captured.corpus.pageCount
        captured.corpus = Corpus()
        if committed {
            let ms = (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
            logger.info("snapshot written", metadata: ["path": "\(snapshot.path)", "ms": "\(ms)",
                                                        "pages": "\(pages)"])
        } else if FileManager.default.fileExists(atPath: temporary) {
            snapshot.discard(temporary)
            snapshotSoon()  // the corpus changed while writing: try again once it settles
        }
        releaseFreedMemory()
    }

    /// Hands memory freed by a load or a snapshot write back to the system (glibc keeps it otherwise,
    /// and resident memory would show the peak of the load rather than what the model needs).
    func releaseFreedMemory() {
        Heap.releaseFreePages()
    }
}
