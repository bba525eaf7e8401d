import FolioModel

/// People, places and organizations over folded scalars: gazetteer matches, places built from
/// a name plus a place suffix (古塔区, 土英北街), organizations built leftwards from an
/// organization suffix over places and name characters (锦州市 + 自然资源 + 局), and people
/// from a surname, likely given-name characters and the words around them.
struct NameScanner {
    let lex: EntityLexicon

    static let maxOrgBody = 10
    static let maxPlaceBody = 6

    @inline(__always)
    func isHan(_ v: UInt32) -> Bool { (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) }

    @inline(__always)
    func nameChar(_ v: UInt32) -> Bool { isHan(v) && !(v < 0x10000 && lex.stopper[Int(v)]) }

    func scan(_ s: UnsafeBufferPointer<UInt32>, taken: [Candidate], into out: inout [Candidate]) {
        let n = s.count
        var places: [Candidate] = []
        // 1. Gazetteer, longest match at each position.
        var i = 0
        while i < n {
            guard isHan(s[i]) else { i += 1; continue }
            var best: (end: Int, flags: UInt32)?
            lex.names.forEachMatch(s, from: i) { end, flags in best = (end, flags) }
            if let b = best {
                let type: Folio_V1_EntityType = b.flags & LexiconFlag.organization != 0 ? .organization
                    : b.flags & LexiconFlag.place != 0 ? .place : .person
                let c = Candidate(type: type, start: i, end: b.end, rank: Rank.gazetteer)
                out.append(c)
                if type == .place { places.append(c) }
            }
            i += 1
        }
        // 2. Places and organizations from suffixes, left to right so that chains can grow.
        var orgs: [Candidate] = []
        for e in 1...max(1, n) where e <= n && s[e - 1] < 0x10000 && lex.suffixEnd[Int(s[e - 1])] {
            if let p = place(s, endingAt: e, places: places) {
                places.append(p)
                out.append(p)
            }
            if let o = organization(s, endingAt: e, places: places, orgs: orgs, gazetteer: out) {
                orgs.append(o)
                out.append(o)
            }
        }
        // 3. People.
        persons(s, into: &out)
    }

    // MARK: places

    private func place(_ s: UnsafeBufferPointer<UInt32>, endingAt e: Int, places: [Candidate]) -> Candidate? {
        var best: Candidate?
        lex.placeSuffixes.forEachMatchBackward(s, endingAt: e) { start, kind in
            // The name part: a known place right before the suffix (锦州 + 港, 锦州 + 北站) …
            if let known = places.last(where: { $0.end == start && $0.start < start }), kind & (LexiconFlag.facility | LexiconFlag.zone | LexiconFlag.adminUnit) != 0 {
                let c = Candidate(type: .place, start: known.start, end: e, rank: Rank.rule)
                if best == nil || c.start < best!.start { best = c }
                return
            }
            // … or a few name characters, stopping at function words and at another place.
            let limit = kind & (LexiconFlag.adminUnit) != 0 ? 3 : Self.maxPlaceBody
            var b = start
            var placeShare: Float = 0
            while b > 0, start - b < limit, nameChar(s[b - 1]), !places.contains(where: { $0.end == b }) {
                b -= 1
                placeShare += lex.inPlace[Int(s[b])]
            }
            let body = start - b
            guard body >= 1 else { return }
            if body == 1 && kind & LexiconFlag.adminUnit == 0 { return }
            if kind & LexiconFlag.landform != 0 && placeShare / Float(body) < 0.15 { return }
            if placeShare / Float(body) < 0.03 { return }
            if lex.commonNouns.lookup(s, from: b, to: e) != 0 || lex.commonNouns.lookup(s, from: max(b, e - 2), to: e) != 0 && body == 1 { return }
            let c = Candidate(type: .place, start: b, end: e, rank: Rank.rule)
            if best == nil || c.start < best!.start { best = c }
        }
        return best
    }

    // MARK: organizations

    private func organization(_ s: UnsafeBufferPointer<UInt32>, endingAt e: Int, places: [Candidate],
                              orgs: [Candidate], gazetteer: [Candidate]) -> Candidate? {
        var best: Candidate?
        lex.orgSuffixes.forEachMatchBackward(s, endingAt: e) { start, flags in
            var b = start
            var anchored = false
            var body = 0
            var orgShare: Float = 0
            while b > 0 {
                if let unit = orgs.last(where: { $0.end == b }) ?? places.last(where: { $0.end == b && $0.start < b }) {
                    b = unit.start
                    anchored = true
                    continue
                }
                guard body < Self.maxOrgBody, nameChar(s[b - 1]) else { break }
                b -= 1
                body += 1
                orgShare += lex.inOrg[Int(s[b])]
            }
            guard b < start else { return }
            if lex.commonNouns.lookup(s, from: b, to: e) != 0 { return }
            let strong = flags & LexiconFlag.strongSuffix != 0
            let share = body > 0 ? orgShare / Float(body) : 1
            guard anchored || (strong && body >= 2 && share >= 0.05) else { return }
            if share < 0.02 && body > 2 { return }
            let c = Candidate(type: .organization, start: b, end: e, rank: Rank.rule)
            if best == nil || c.start < best!.start { best = c }
        }
        return best
    }

    // MARK: people

    private func persons(_ s: UnsafeBufferPointer<UInt32>, into out: inout [Candidate]) {
        let n = s.count
        var i = 0
        while i + 1 < n {
            let v = s[i]
            guard isHan(v), v < 0x10000 else { i += 1; continue }
            var surnameLength = 0
            var surnameScore: Float = 0
            if lex.surnames2.lookup(s, from: i, to: min(n, i + 2)) != 0 && i + 2 < n {
                surnameLength = 2
                surnameScore = 0.5
            } else if lex.surname[Int(v)] >= 0.02 {
                surnameLength = 1
                surnameScore = lex.surname[Int(v)]
            }
            guard surnameLength > 0 else { i += 1; continue }
            if let c = person(s, at: i, surnameLength: surnameLength, surnameScore: surnameScore) {
                out.append(c)
            }
            i += 1
        }
    }

    private func person(_ s: UnsafeBufferPointer<UInt32>, at i: Int, surnameLength: Int, surnameScore: Float) -> Candidate? {
        let n = s.count
        let leftContext = hasLeftContext(s, at: i)
        var best: (end: Int, score: Float)?
        for givenLength in 1...2 {
            let end = i + surnameLength + givenLength
            guard end <= n else { break }
            var givenScore: Float = 1
            var ok = true
            for k in (i + surnameLength)..<end {
                let g = s[k]
                guard isHan(g), g < 0x10000, !lex.stopper[Int(g)] else { ok = false; break }
                givenScore *= lex.given[Int(g)]
            }
            guard ok else { break }
            let rightContext = hasRightContext(s, at: end)
            // Geometric mean keeps one- and two-character given names comparable.
            var score = surnameScore * (givenLength == 1 ? givenScore : givenScore.squareRoot())
            if leftContext { score *= 8 }
            if rightContext { score *= 4 }
            if end < n && isHan(s[end]) && !rightContext && lex.given[Int(s[end])] > 0.05 && givenLength == 1 { score *= 0.5 }
            if best == nil || score >= best!.score * (givenLength == 2 ? 0.5 : 1) { best = (end, score) }
        }
        guard let b = best, b.score >= 0.02 else { return nil }
        return Candidate(type: .person, start: i, end: b.end, rank: Rank.context)
    }

    private func hasLeftContext(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Bool {
        var found = false
        lex.personLeft.forEachMatchBackward(s, endingAt: i) { _, _ in found = true }
        return found
    }

    private func hasRightContext(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Bool {
        if i >= s.count { return true }
        let v = s[i]
        if v == 0x3001 || v == 0xFF0C || v == 0x2C || v == 0x20 { return true }   // 、，, space: lists of names
        var found = false
        lex.personRight.forEachMatch(s, from: i) { _, _ in found = true }
        return found
    }
}
