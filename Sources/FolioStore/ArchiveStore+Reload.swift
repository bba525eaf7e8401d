import Dispatch
import FolioModel
import FolioWire
import Foundation

extension ArchiveStore {
    /// A reload on top of the model in memory: the pages whose files changed since it was read
    /// (added, replaced or removed behind foliod's back) and the pages the last load skipped are read
    /// again, as a start reads them over its snapshot; the model already holds what every other file
    /// holds (foliod reads nothing else from disk: the parser and its data are those of the binary).
    /// nil when more than half the archive (and more than `fewPages`) changed: parsing every page is
    /// about as quick, and `load` does that.
    func readChanges(_ files: PageFileManifest, state: inout WriterState, repository: PageRepository,
                     removedTemporaryFiles: Int, started: DispatchTime) throws -> LoadReport? {
        let invalid: [String]
        do {
            invalid = try repository.pageIDs().problems
        } catch {
            throw StatusError(.failedPrecondition, "cannot read data directory \(repository.root): \(error.localizedDescription)")
        }
        let skipped = state.loadProblems.map(Self.pageID(ofProblem:)).filter(PageRepository.isValidPageID)
        let changed = files.changedPages(since: state.manifest).filter(PageRepository.isValidPageID).union(skipped)
        let held = corpus.withLockedValue { $0.pageCount }
        guard changed.count <= max(Self.fewPages, held / 2) else { return nil }
        let present = changed.filter(repository.exists).sorted()
        warnOfLoneTextPages(repository.loneTextPages(among: present))
        warnOfShadowedTextFiles(repository.shadowedTextFiles(among: present))
        let snapshotWasCurrent = state.savedGeneration == state.generation
        // Kept apart until the pages are in: a reload refused for want of memory leaves the stamps
        // as they were, and the next one reads the same pages again.
        var manifest = files
        state.loadProblems = try invalid + readAgain(changed.sorted(), from: repository, manifest: &manifest)
        state.manifest = manifest
        state.generation += 1
        if changed.isEmpty && snapshotWasCurrent { state.savedGeneration = state.generation }
        let (pages, articles) = corpus.withLockedValue { ($0.pageCount, $0.articleCount) }
        let took = (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
        var report = LoadReport(pages: pages, articles: articles, problems: state.loadProblems,
                                removedTemporaryFiles: removedTemporaryFiles, tookMs: took, fromSnapshot: false, snapshotSkipped: nil)
        report.fromModelInMemory = true
        report.pagesReadOverSnapshot = changed.count
        return report
    }
}
