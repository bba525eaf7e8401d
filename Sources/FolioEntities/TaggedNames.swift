/// Names of a stretch of text (the tagger's or the rules'), ordered by start, for merging the two:
/// the names a span overlaps and the names starting at a position are found by a binary search, not
/// a pass over all of them (a stretch dense with names made that pass quadratic).
/// Indices are those of the slice it was made from, and come in ascending order. A field's few names
/// (the usual case) are not ordered: a pass over them costs less than sorting them.
struct TaggedNames {
    let names: ArraySlice<Candidate>
    /// Indices of `names` by (start, index); empty when there are at most `fewNames`.
    private let order: [Int]
    /// reach[k]: the furthest end among the names order[0...k].
    private let reach: [Int]
    static let fewNames = 32

    init(_ names: ArraySlice<Candidate>) {
        self.names = names
        guard names.count > Self.fewNames else {
            order = []
            reach = []
            return
        }
        order = names.indices.sorted { (names[$0].start, $0) < (names[$1].start, $1) }
        var furthest = Int.min
        reach = order.map { furthest = max(furthest, names[$0].end); return furthest }
    }

    /// Indices of the names that overlap [start, end).
    func overlapping(_ start: Int, _ end: Int) -> [Int] {
        var found: [Int] = []
        forEachOverlapping(start, end) { found.append($0) }
        return order.isEmpty ? found : found.sorted()
    }

    /// Calls `body` with the index of each name that overlaps [start, end): in index order among few
    /// names, else in no set order.
    func forEachOverlapping(_ start: Int, _ end: Int, _ body: (Int) -> Void) {
        guard !order.isEmpty else {
            for i in names.indices where names[i].start < end && start < names[i].end { body(i) }
            return
        }
        // Every name that starts before `end`, latest start first, while one could still reach past `start`.
        var k = firstOrder(startingAtOrAfter: end) - 1
        while k >= 0 && reach[k] > start {
            let i = order[k]
            if names[i].end > start && names[i].start < end { body(i) }
            k -= 1
        }
    }

    /// The first name (by index) that starts at `start` and satisfies `accept`.
    func first(startingAt start: Int, where accept: (Candidate) -> Bool) -> Candidate? {
        guard !order.isEmpty else { return names.first { $0.start == start && accept($0) } }
        var k = firstOrder(startingAtOrAfter: start)
        while k < order.count && names[order[k]].start == start {
            if accept(names[order[k]]) { return names[order[k]] }
            k += 1
        }
        return nil
    }

    /// A place of the tagger that starts where `r` starts and ends before it.
    func hasPlace(openingAndShorterThan r: Candidate) -> Bool {
        first(startingAt: r.start) { $0.end < r.end && $0.type == .place } != nil
    }

    /// The position in `order` of the first name starting at or after `position`.
    private func firstOrder(startingAtOrAfter position: Int) -> Int {
        var low = 0, high = order.count
        while low < high {
            let mid = (low + high) / 2
            if names[order[mid]].start < position { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
