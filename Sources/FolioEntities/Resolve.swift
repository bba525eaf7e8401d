extension EntityRecognizer {
    /// Keeps the best non-overlapping candidates: numeric forms first, then longer spans,
    /// then surer sources (gazetteer over rules over statistics); places inside a kept
    /// organization are kept too. Sorts packed integer keys, never the candidates themselves
    /// (copying one retains its strings), in scratch space on the stack for ordinary fields.
    static func resolve(_ candidates: [Candidate]) -> [Candidate] {
        guard candidates.count > 1 else { return candidates }
        let n = candidates.count
        return candidates.withUnsafeBufferPointer { cs -> [Candidate] in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * n) { scratch -> [Candidate] in
                // numeric first | longer first | higher rank first | earlier start | index
                var order = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
                var extent = 0
                for i in 0..<n {
                    // Field by field: copying a whole Candidate retains its strings.
                    let cStart = cs[i].start, cEnd = cs[i].end, cRank = cs[i].rank
                    extent = max(extent, cEnd)
                    let numeric: UInt64 = cRank == Rank.numeric ? 0 : 1
                    let length = UInt64(0xFFFF - min(max(cEnd - cStart, 0), 0xFFFF))
                    let rank = UInt64(15 - min(max(cRank, 0), 15))
                    let start = UInt64(min(max(cStart, 0), 0xF_FFFF))
                    order[i] = numeric << 63 | length << 47 | rank << 43 | start << 23 | UInt64(i)
                }
                order.sort()
                for k in 0..<n { order[k] &= 0x7F_FFFF }
                // Output keys of the kept candidates; each candidate is kept at most once.
                let chosen = UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 * n)])
                let count = withUnsafeTemporaryAllocation(of: Bool.self, capacity: extent) { taken in
                    taken.initialize(repeating: false)
                    return keep(cs, order: order, taken: taken, into: chosen)
                }
                var kept = UnsafeMutableBufferPointer(rebasing: chosen[0..<count])
                kept.sort()
                return kept.map { cs[Int($0 & 0x7F_FFFF)] }
            }
        }
    }

    /// Walks candidates in priority order, keeping those that overlap nothing kept before, then
    /// the places nested in kept organizations; writes their output keys, returns their count.
    private static func keep(_ cs: UnsafeBufferPointer<Candidate>, order: UnsafeMutableBufferPointer<UInt64>,
                             taken: UnsafeMutableBufferPointer<Bool>, into chosen: UnsafeMutableBufferPointer<UInt64>) -> Int {
        var count = 0
        var organizations: [Int] = []
        for k in 0..<order.count {
            let i = Int(order[k])
            let start = cs[i].start, end = cs[i].end
            guard start < end else { continue }
            var free = true
            for p in start..<end where taken[p] { free = false; break }
            guard free else { continue }
            for p in start..<end { taken[p] = true }
            chosen[count] = outputKey(start: start, end: end, i)
            count += 1
            if cs[i].type == .organization { organizations.append(i) }
        }
        // Places inside a kept organization are entities too (黑山县 in 黑山县万程膨润土有限责任公司).
        // Kept organizations never overlap, so each place is looked at for one organization at most:
        // places sorted by start, found by binary search, taken in priority order within each.
        guard !organizations.isEmpty else { return count }
        var priority = [Int](repeating: 0, count: cs.count)
        for k in 0..<order.count { priority[Int(order[k])] = k }
        let places = (0..<cs.count).filter { cs[$0].type == .place && cs[$0].start < cs[$0].end }
            .sorted { (cs[$0].start, $0) < (cs[$1].start, $1) }
        var nested = [Bool](repeating: false, count: taken.count)
        var inside: [Int] = []
        for o in organizations {
            let orgStart = cs[o].start, orgEnd = cs[o].end
            var low = 0, high = places.count
            while low < high {
                let middle = (low + high) / 2
                if cs[places[middle]].start < orgStart { low = middle + 1 } else { high = middle }
            }
            inside.removeAll(keepingCapacity: true)
            var j = low
            while j < places.count, cs[places[j]].start < orgEnd {
                let i = places[j]
                if cs[i].end <= orgEnd, cs[i].end - cs[i].start < orgEnd - orgStart { inside.append(i) }
                j += 1
            }
            inside.sort { priority[$0] < priority[$1] }
            for i in inside {
                let start = cs[i].start, end = cs[i].end
                guard !nested[start..<end].contains(true) else { continue }
                for p in start..<end { nested[p] = true }
                chosen[count] = outputKey(start: start, end: end, i)
                count += 1
            }
        }
        return count
    }

    /// Output order: by start, longer first (then input order).
    @inline(__always)
    private static func outputKey(start: Int, end: Int, _ index: Int) -> UInt64 {
        UInt64(min(max(start, 0), 0xF_FFFF)) << 43 | UInt64(0xF_FFFF - min(max(end - start, 0), 0xF_FFFF)) << 23 | UInt64(index)
    }
}
