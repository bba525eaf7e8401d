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
/// the write lock only to capture the corpus, index and file stamps, and to rename the file.
extension ArchiveStore {
    /// The index the snapshot carries (a scratch one when the search provider keeps none).
    var snapshotIndex: SearchIndex { search.snapshotIndex ?? scratchIndex }
    private var scratchIndex: SearchIndex { SearchIndex() }

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

    /// Runs on `snapshotQueue` only. Writes the corpus, index and page file stamps as they were
    /// together under the write lock; writes made meanwhile are read again from their files at
    /// the next start (and make the next snapshot), so a steady stream of writes never keeps the
    /// snapshot from being written.
    func writeSnapshotNow() {
        schedule.withLockedValue { $0 = SnapshotSchedule() }
        guard let snapshot else { return }
        typealias Captured = (generation: Int, corpus: Corpus, index: IndexState, files: PageFileManifest, problems: [String])
        let captured: Captured? = writer.withLockedValue { state in
            state.generation == state.savedGeneration
                ? nil : (state.generation, corpus.withLockedValue { $0 }, snapshotIndex.state, state.manifest, state.loadProblems)
        }
        guard var captured else { return }
        do {
            try repository?.checkStillServed()
        } catch {
            logger.warning("snapshot not written", metadata: ["reason": "\(error)"])
            return
        }
        let started = DispatchTime.now()
        let temporary: String
        do {
            temporary = try snapshot.writeTemporary(header: captured.problems, corpus: captured.corpus, files: captured.files,
                                                    index: snapshotIndex, state: captured.index, limits: limits)
        } catch {
            logger.warning("cannot write the snapshot (start-up will parse the pages)",
                           metadata: ["path": "\(snapshot.path)", "reason": "\(error)"])
            return
        }
        let pages = captured.corpus.pageCount
        captured.corpus = Corpus()
        let behind: Int? = writer.withLockedValue { state in
            do {
                try snapshot.commit(temporary)
                state.savedGeneration = captured.generation
                return state.generation - captured.generation
            } catch {
                logger.warning("cannot write the snapshot", metadata: ["reason": "\(error)"])
                return nil
            }
        }
        if let behind {
            let ms = (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
            logger.info("snapshot written", metadata: ["path": "\(snapshot.path)", "ms": "\(ms)", "pages": "\(pages)",
                                                        "writes-since": "\(behind)"])
            // Writes made meanwhile asked for a snapshot after them: theirs is scheduled.
        } else {
            snapshot.discard(temporary)
        }
        releaseFreedMemory()
    }

    /// Hands memory freed by a load or a snapshot write back to the system (glibc keeps it otherwise,
    /// and resident memory would show the peak of the load rather than what the model needs).
    func releaseFreedMemory() {
        Heap.releaseFreePages()
    }
}
