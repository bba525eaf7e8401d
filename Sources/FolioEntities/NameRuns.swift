/// Credit lines list people with nothing between them (（张育宾段建勋岳林才）, 胡延奇郑斌杨书浩): the
/// tagger finds one of them and cuts or misses the others. A run of Han characters that stands
/// alone (the whole text, or between brackets or spaces) and splits into names of two or three
/// characters, each opening with a likely surname, one of them a person the tagger found, is read
/// as that list.
extension NameScanner {
    /// The surname share every name of the run must open with.
    static let runSurname: Float = 0.1
    /// Whether `v` bounds a run: ( ) （ ） [ ] 【 】, a space or an ideographic space. A switch, not
    /// a Set: it is asked at both ends of every Han run of a field.
    @inline(__always)
    static func isRunBound(_ v: UInt32) -> Bool {
        switch v {
        case 0x28, 0x29, 0xFF08, 0xFF09, 0x5B, 0x5D, 0x3010, 0x3011, 0x20, 0x3000: return true
        default: return false
        }
    }

    /// Appends the run's other names as people ranked above the tagger's spans.
    func nameRuns(_ s: UnsafeBufferPointer<UInt32>, taggerFrom first: Int, into out: inout [Candidate]) {
        let n = s.count
        guard n >= 4 else { return }
        let end = out.count
        var i = 0
        while i < n {
            guard isHan(s[i]) else { i += 1; continue }
            var j = i
            while j < n && isHan(s[j]) { j += 1 }
            defer { i = j }
            let length = j - i
            guard length >= 4, length <= 12,
                  i == 0 || Self.isRunBound(s[i - 1]), j == n || Self.isRunBound(s[j]) else { continue }
            // People the tagger found inside the run: (start, end) pairs; a place or an organization
            // there (（江西宜丰县刘泽仁）: a place and the writer) makes it no list of people.
            // Checked before anything is allocated: most runs hold no tagger name at all.
            var onlyPeople = true, anyInside = false
            for c in out[first..<end] where c.start < j && c.end > i {
                if c.type != .person { onlyPeople = false; break }
                if c.start >= i && c.end <= j { anyInside = true }
            }
            guard onlyPeople, anyInside else { continue }
            let found = out[first..<end].filter { $0.start < j && $0.end > i && $0.start >= i && $0.end <= j }.map { ($0.start, $0.end) }
            guard !found.isEmpty, let pieces = split(s, i, j, found) else { continue }
            for (a, b) in pieces where !found.contains(where: { $0 == (a, b) }) {
                out.append(Candidate(type: .person, start: a, end: b, rank: Rank.gazetteer))
            }
        }
    }

    /// The run [i, j) as names of two or three characters, each opening with a likely surname:
    /// the split keeping most of `found` (then the likelier surnames); nil when none keeps one.
    private func split(_ s: UnsafeBufferPointer<UInt32>, _ i: Int, _ j: Int, _ found: [(Int, Int)]) -> [(Int, Int)]? {
        let length = j - i
        // best[k]: (names of `found` kept, summed surname share, cut before) for the prefix of k characters.
        var best = [(kept: Int, share: Float, from: Int)?](repeating: nil, count: length + 1)
        best[0] = (0, 0, -1)
        for k in 2...length {
            for size in [2, 3] where k - size >= 0 {
                guard let prior = best[k - size] else { continue }
                let v = s[i + k - size]
                guard v < 0x10000 else { continue }
                let share = lex.surname[Int(v)]
                guard share >= Self.runSurname else { continue }
                let kept = prior.kept + (found.contains { $0 == (i + k - size, i + k) } ? 1 : 0)
                let candidate = (kept: kept, share: prior.share + share, from: k - size)
                if let current = best[k], (current.kept, current.share) >= (candidate.kept, candidate.share) { continue }
                best[k] = candidate
            }
        }
        guard let whole = best[length], whole.kept >= 1 else { return nil }
        var pieces: [(Int, Int)] = []
        var k = length
        while k > 0, let step = best[k] {
            pieces.append((i + step.from, i + k))
            k = step.from
        }
        return pieces.reversed()
    }
}
