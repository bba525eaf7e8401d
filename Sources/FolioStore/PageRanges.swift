/// Hands the pages of a start-up out to its workers, one page at a time, so that they finish
/// together although pages differ in cost. Each worker starts with an equal contiguous range; one
/// whose range is done takes the back half of the largest range left. Every range a worker takes
/// is thus a contiguous run of pages, and so is every index shard built from one: the index keeps
/// the pages' order (GetEntity lists mentions in segment order).
struct PageRanges {
    /// A page to parse next, and how many pages its range has left after it.
    struct Claim: Equatable {
        var page: Int
        var left: Int
        /// The page is not the successor of the worker's previous one: a new range begins.
        var startsRange: Bool
    }

    /// Ranges with fewer pages left are not split: the thief's part would make a tiny shard.
    static let minimumSplit = 16

    private var next: [Int]
    private var end: [Int]
    private var started: [Bool]

    init(pages: Int, workers: Int) {
        next = (0..<workers).map { pages * $0 / workers }
        end = (0..<workers).map { pages * ($0 + 1) / workers }
        started = Array(repeating: false, count: workers)
    }

    /// The next page for `worker`; nil when no range has pages enough left to share.
    mutating func claim(worker: Int) -> Claim? {
        var startsRange = !started[worker]
        started[worker] = true
        if next[worker] == end[worker] {
            guard split(to: worker) else { return nil }
            startsRange = true
        }
        let page = next[worker]
        next[worker] += 1
        return Claim(page: page, left: end[worker] - next[worker], startsRange: startsRange)
    }

    /// Moves the back half of the range with the most pages left to `thief`.
    private mutating func split(to thief: Int) -> Bool {
        guard let victim = next.indices.max(by: { end[$0] - next[$0] < end[$1] - next[$1] }),
              end[victim] - next[victim] >= Self.minimumSplit else { return false }
        let middle = next[victim] + (end[victim] - next[victim]) / 2
        (next[thief], end[thief]) = (middle, end[victim])
        end[victim] = middle
        return true
    }
}
