extension EntityRecognizer {
    /// Keeps the best non-overlapping candidates: numeric forms first, then longer spans,
    /// then surer sources (gazetteer over rules over statistics); places inside a kept
    /// organization are kept too. Sorts packed integer keys, never the candidates themselves
    /// (copying one retains its strings).
    static func resolve(_ candidates: [Candidate]) -> [Candidate] {
        guard candidates.count > 1 else { return candidates }
        let n = candidates.count
        return candidates.withUnsafeBufferPointer { cs -> [Candidate] in
            var extent = 0
            // numeric first | longer first | higher rank first | earlier start | index
            var order = [UInt64](unsafeUninitializedCapacity: n) { keys, count in
                for i in 0..<n {
                    // Field by field: copying a whole Candidate retains its strings.
                    let cStart = cs[i].start, cEnd = cs[i].end, cRank = cs[i].rank
                    extent = max(extent, cEnd)
                    let numeric: UInt64 = cRank == Rank.numeric ? 0 : 1
                    let length = UInt64(0xFFFF - min(max(cEnd - cStart, 0), 0xFFFF))
                    let rank = UInt64(15 - min(max(cRank, 0), 15))
                    let start = UInt64(min(max(cStart, 0), 0xF_FFFF))
                    keys[i] = numeric << 63 | length << 47 | rank << 43 | start << 23 | UInt64(i)
                }
                count = n
            }
            order.sort()
            for k in 0..<n { order[k] &= 0x7F_FFFF }
            var taken = [Bool](repeating: false, count: extent)
            var chosen: [UInt64] = []   // (start, longer first, index) of every kept candidate
            chosen.reserveCapacity(16)
            var organizations: [Int] = []
            for k in 0..<n {
                let i = Int(order[k])
                let start = cs[i].start, end = cs[i].end
                guard start < end else { continue }
                var free = true
                for p in start..<end where taken[p] { free = false; break }
                guard free else { continue }
                for p in start..<end { taken[p] = true }
                chosen.append(Self.outputKey(start: start, end: end, i))
                if cs[i].type == .organization { organizations.append(i) }
            }
            // Places inside a kept organization are entities too (黑山县 in 黑山县万程膨润土有限责任公司).
            var nested: [Range<Int>] = []
            for o in organizations {
                let orgStart = cs[o].start, orgEnd = cs[o].end
                for k in 0..<n {
                    let i = Int(order[k])
                    let start = cs[i].start, end = cs[i].end
                    guard cs[i].type == .place, start >= orgStart, end <= orgEnd, end - start < orgEnd - orgStart,
                          !nested.contains(where: { start < $0.upperBound && $0.lowerBound < end }) else { continue }
                    nested.append(start..<end)
                    chosen.append(Self.outputKey(start: start, end: end, i))
                }
            }
            chosen.sort()
            return chosen.map { cs[Int($0 & 0x7F_FFFF)] }
        }
    }

    /// Output order: by start, longer first (then input order).
    @inline(__always)
    private static func outputKey(start: Int, end: Int, _ index: Int) -> UInt64 {
        UInt64(min(max(start, 0), 0xF_FFFF)) << 43 | UInt64(0xF_FFFF - min(max(end - start, 0), 0xF_FFFF)) << 23 | UInt64(index)
    }
}
