import Testing
@testable import FolioStore

/// Start-up workers take pages from `PageRanges`: every page exactly once, in contiguous runs.
@Suite struct PageRangesTests {
    /// Claims until every worker is told to stop, `pick` choosing who claims next; returns each
    /// worker's runs (a run starts at every claim that starts a range).
    static func drain(pages: Int, workers: Int, pick: (Int) -> Int) -> [[[Int]]] {
        var ranges = PageRanges(pages: pages, workers: workers)
        var runs = [[[Int]]](repeating: [], count: workers)
        var active = Set(0..<workers)
        var turn = 0
        while !active.isEmpty {
            let worker = active.sorted()[pick(turn) % active.count]
            turn += 1
            guard let claim = ranges.claim(worker: worker) else {
                active.remove(worker)
                continue
            }
            if claim.startsRange { runs[worker].append([]) }
            runs[worker][runs[worker].count - 1].append(claim.page)
        }
        return runs
    }

    @Test(arguments: [1, 2, 3, 7])
    func everyPageOnceInContiguousRuns(workers: Int) {
        var random = SystemRandomNumberGenerator()
        for pages in [workers, 40, 333] {
            // Some workers claim far more often than others: ranges get split.
            let weights = (0..<workers).map { _ in Int.random(in: 1...20, using: &random) }
            let runs = Self.drain(pages: pages, workers: workers) { _ in
                var roll = Int.random(in: 0..<weights.reduce(0, +), using: &random)
                return weights.firstIndex { roll -= $0; return roll < 0 }!
            }
            let all = runs.flatMap { $0 }
            #expect(all.allSatisfy { run in zip(run, run.dropFirst()).allSatisfy { $1 == $0 + 1 } })
            #expect(all.flatMap { $0 }.sorted() == Array(0..<pages))
        }
    }

    @Test func aWorkerDoneTakesTheBackHalfOfTheLargestRange() {
        var ranges = PageRanges(pages: 100, workers: 2)
        #expect(ranges.claim(worker: 0) == .init(page: 0, left: 49, startsRange: true))
        #expect(ranges.claim(worker: 1) == .init(page: 50, left: 49, startsRange: true))
        for page in 51..<100 { #expect(ranges.claim(worker: 1)?.page == page) }
        // Worker 0 has pages 1..<50 left: worker 1 takes 25..<50.
        #expect(ranges.claim(worker: 1) == .init(page: 25, left: 24, startsRange: true))
        #expect(ranges.claim(worker: 0) == .init(page: 1, left: 23, startsRange: false))
    }

    @Test func aFewPagesLeftAreNotSplit() {
        var ranges = PageRanges(pages: 2 * PageRanges.minimumSplit, workers: 2)
        #expect(ranges.claim(worker: 0)?.page == 0)
        for page in PageRanges.minimumSplit..<(2 * PageRanges.minimumSplit) { #expect(ranges.claim(worker: 1)?.page == page) }
        #expect(ranges.claim(worker: 1) == nil)
        #expect(ranges.claim(worker: 0) == .init(page: 1, left: PageRanges.minimumSplit - 2, startsRange: false))
    }
}
