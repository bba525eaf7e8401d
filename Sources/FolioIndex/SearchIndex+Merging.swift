import Foundation

extension SearchIndex {
    /// After a write: runs the merges its state calls for where `merging` says.
    func mergesWanted() {
        switch merging {
        case .manual:
            return
        case .afterEachWrite:
            runMerges()
        case .background:
            let start = stateLock.withLock { () -> Bool in
                mergeWanted = true
                guard !mergeRunning else { return false }
                mergeRunning = true
                return true
            }
            guard start else { return }
            mergeQueue.async { [self] in
                // A write that comes while the last plan finds nothing sets `mergeWanted` again:
                // the loop looks once more instead of leaving its merge to the write after it.
                while true {
                    stateLock.withLock { mergeWanted = false }
                    runMerges()
                    let done = stateLock.withLock { () -> Bool in
                        guard !mergeWanted else { return false }
                        mergeRunning = false
                        return true
                    }
                    if done { return }
                }
            }
        }
    }

    /// Every merge the current state calls for, one after the other.
    private func runMerges() {
        while let plan = planMerge() {
            // Out of memory for the merged segment: the segments stay as they are (searches are
            // right, only slower); the next write tries again.
            let merged: Segment?
            do { merged = try plan.build(articles: articleLookup) } catch { return }
            install(merged, from: plan)
        }
    }

    /// The next merge of the current state, planned with a frozen copy of the archive's texts
    /// (taken under the write lock: no write is halfway between its index and its store change).
    func planMerge() -> MergePlan? {
        writeLock.lock()
        defer { writeLock.unlock() }
        let base = state
        guard let range = base.nextMerge() else { return nil }
        let frozen = stateLock.withLock { frozenTexts }
        return MergePlan(base: base, range: range, texts: frozen?())
    }

    /// Puts a merged segment in place; false when the state it was planned on was replaced meanwhile.
    @discardableResult
    func install(_ merged: Segment?, from plan: MergePlan) -> Bool {
        writeLock.lock()
        defer { writeLock.unlock() }
        guard let next = state.installing(merged, plan: plan) else { return false }
        // The generation stays: a merge changes how the live documents are cut into segments, not
        // what they are, nor BM25's statistics (those of the live documents alone, DeletedFrequencies)
        // or the tie order (article ids): a search page token issued before it goes on as it would have.
        stateLock.withLock { current = next }
        return true
    }

    /// Returns once the background merges asked for so far are done (tests, benchmarks).
    package func waitForMerges() {
        while stateLock.withLock({ mergeRunning }) { mergeQueue.sync {} }
    }
}
