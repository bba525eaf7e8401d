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

    /// Organization names hold ordinary words; only function words end them.
    @inline(__always)
    func orgChar(_ v: UInt32) -> Bool { isHan(v) && !(v < 0x10000 && lex.functionWord[Int(v)]) }

    /// Words that open an organization name without a place in it (国家发改委, 省交通厅). General knowledge.
    static let orgOpeners: [[UInt32]] = ["国家", "中央", "中共", "全国", "国务院", "省", "市", "县", "区"]
        .map { $0.unicodeScalars.map(\.value) }
    /// Single-character suffixes that name a government body after a two-character field (教育部).
    static let ministrySuffixes: [UInt32] = "部委局厅署办".unicodeScalars.map(\.value)

    static let nonInitial: [UInt32] = "级个些位名种类次号等".unicodeScalars.map(\.value)

    /// Length of the opener word at `b` (国家, 省 …), nil when none.
    func opener(_ s: UnsafeBufferPointer<UInt32>, at b: Int) -> Int? {
        Self.orgOpeners.first { w in
            b + w.count <= s.count && zip(w.indices, w).allSatisfy { s[b + $0.0] == $0.1 }
        }?.count
    }

    func opensOrganization(_ s: UnsafeBufferPointer<UInt32>, at b: Int) -> Bool { opener(s, at: b) != nil }

    /// Appends its candidates to `out`, which already holds the numeric scanner's (dates).
    /// `index`: scratch reused across fields (cleared here). `people` false: places and
    /// organizations only (the combined recognizer takes no rules' person).
    func scan(_ s: UnsafeBufferPointer<UInt32>, index: inout SpanIndex, into out: inout [Candidate], people: Bool = true) {
        let n = s.count
        let numericCount = out.count
        index.reset(count: n)
        // 1. Gazetteer, longest match at each position. Without people, positions where only a
        // person's name starts are skipped (their matches were never used).
        let startFlag = people ? CharFlag.nameStart : CharFlag.placeOrOrgStart
        let startPairs = people ? lex.bigrams : lex.placeOrOrgBigrams
        // First a one-byte table load (does any name start with this character?), then the bigram
        // hash: the positions where a name may start, listed first so that their trie probes
        // (mostly cache misses) are all asked for before the walk waits on the first.
        var starts = 0
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(n, 1)) { at in
            for i in 0..<max(n - 1, 0) where (s[i] >= 0x10000 || lex.charFlags[Int(s[i])] & startFlag != 0)
                && EntityLexicon.mayStart(s[i], s[i + 1], in: startPairs) {
                lex.names.prefetchLongMatch(s, from: i)
                at[starts] = Int32(i)
                starts += 1
            }
            var i = 0
            for k in 0..<starts where Int(at[k]) >= i {
                i = Int(at[k])
                var best: (end: Int, flags: UInt32)?
                lex.names.forEachLongMatch(s, from: i) { end, flags in best = (end, flags) }
                if let b = best, b.flags & LexiconFlag.blocked != 0 {
                    i = b.end
                    continue
                }
                // 邓小平理论, 毛泽东思想: a doctrine named after a person, not a mention of one.
                if let b = best, b.flags & (LexiconFlag.place | LexiconFlag.organization) == 0, startsDoctrine(s, at: b.end) {
                    i = b.end
                    continue
                }
                if let b = best {
                    let type: Folio_V1_EntityType = b.flags & LexiconFlag.organization != 0 ? .organization
                        : b.flags & LexiconFlag.place != 0 ? .place : .person
                    let c = Candidate(type: type, start: i, end: b.end, rank: Rank.gazetteer)
                    out.append(c)
                    if type == .place { index.add(place: c) }
                    if type == .organization { index.add(organization: c) }
                }
                i += 1
            }
        }
        // 2. Places and organizations from suffixes, left to right so that chains can grow.
        for e in 1...max(1, n) where e <= n && s[e - 1] < 0x10000 && lex.suffixEnd[Int(s[e - 1])] {
            // 社会, 部长: the suffix character and the next make a word, and neither a place nor an
            // organization ends here (asked once for both).
            if e < n && lex.breaks(s[e - 1], s[e]) { continue }
            if let p = place(s, endingAt: e, index: index) {
                index.add(place: p)
                out.append(p)
            }
            if let o = organization(s, endingAt: e, index: index) {
                index.add(organization: o)
                out.append(o)
            }
        }
        // Datelines: the place between a news agency and the date (新华社布达佩斯１月１４日电).
        for k in 0..<numericCount where out[k].type == .date {
            if let p = datelinePlace(s, before: out[k].start) { out.append(p) }
        }
        // 3. People.
        if people { persons(s, into: &out) }
    }

    // MARK: boundaries

    /// A name may start at `b`: text start, after punctuation or a function word, after a
    /// character that often precedes names (在, 由, 据), or right after another name.
    @inline(__always)
    func naturalStart(_ s: UnsafeBufferPointer<UInt32>, _ b: Int, names: SpanIndex?, organization: Bool = false) -> Bool {
        if b == 0 { return true }
        let v = s[b - 1]
        if !isHan(v) || v >= 0x10000 || lex.before[Int(v)] >= 0.15 { return true }
        if organization ? lex.functionWord[Int(v)] : lex.stopper[Int(v)] { return true }
        return names.map { $0.placeStart(b) >= 0 || $0.orgStart(b) >= 0 } ?? false
    }

    /// A gazetteer name ending exactly at `end` (the longest), as its start.
    func knownNameStart(_ s: UnsafeBufferPointer<UInt32>, endingAt end: Int, flags: UInt32) -> Int? {
        // One backward walk over the reversed place names instead of a lookup per start.
        var found: Int?
        lex.placesReversed.forEachMatchBackward(s, endingAt: end) { start, _ in
            if end - start >= 2 { found = start }
        }
        return found
    }

    // MARK: places

    static let agencies: [[UInt32]] = ["新华社", "本报", "中新社", "新华网"].map { $0.unicodeScalars.map(\.value) }

    private func datelinePlace(_ s: UnsafeBufferPointer<UInt32>, before d: Int) -> Candidate? {
        for length in 2...6 where d - length >= 0 {
            let start = d - length
            guard isHan(s[start]) else { return nil }
            for w in Self.agencies where start >= w.count {
                if zip(w.indices, w).allSatisfy({ s[start - w.count + $0.0] == $0.1 }) {
                    return Candidate(type: .place, start: start, end: d, rank: Rank.gazetteer)
                }
            }
        }
        return nil
    }

    /// (The caller has checked that no breaker pair ends here.)
    private func place(_ s: UnsafeBufferPointer<UInt32>, endingAt e: Int, index: SpanIndex) -> Candidate? {
        // A known place already ends here (锦州, 河北省): no longer guess over it.
        if index.knownPlaceEnds(e) { return nil }
        var best: Candidate?
        // X地区 is a place only when X is one (张家口地区; not 西部地区, 部分地区).
        let region = e >= 2 && s[e - 2] == 0x5730 && s[e - 1] == 0x533A   // 地区
        lex.placeSuffixes.forEachMatchBackward(s, endingAt: e) { start, kind in
            guard start > 0 else { return }
            if region && start >= e - 1 { return }
            func propose(_ b: Int) {
                if best == nil || b < best!.start { best = Candidate(type: .place, start: b, end: e, rank: Rank.rule) }
            }
            // A known place (or a place name from the gazetteer) right before the suffix:
            // 锦州 + 港, 锦州 + 北站, 河北 + 省.
            if kind & LexiconFlag.landform == 0,
               let b = (index.placeStart(start) >= 0 ? index.placeStart(start) : nil)
                ?? knownNameStart(s, endingAt: start, flags: LexiconFlag.place) {
                propose(b)
                return
            }
            if region { return }
            // Otherwise a few name characters back to a natural boundary.
            let limit = kind & LexiconFlag.adminUnit != 0 ? 3 : Self.maxPlaceBody
            var b = start
            var share: Float = 0
            var boundary = -1
            while b > 0, start - b < limit, nameChar(s[b - 1]) {
                b -= 1
                share += lex.inPlace[Int(s[b])]
                if naturalStart(s, b, names: index) { boundary = b; break }
            }
            let body = start - b
            guard body >= 1 else { return }
            if body == 1 && kind & LexiconFlag.adminUnit == 0 { return }
            let meanShare = share / Float(body)
            if boundary < 0 {
                // No boundary in reach: accept a two-character name only when it reads like a place.
                guard body >= 2, meanShare >= 0.3 else { return }
                b = start - 2
            }
            if kind & LexiconFlag.landform != 0 && meanShare < 0.15 { return }
            if lex.commonNouns.lookup(s, from: b, to: e) != 0 { return }
            if e - b == 2 || (start - b == 1 && lex.commonNouns.lookup(s, from: e - 2, to: e) != 0) {
                if lex.commonNouns.lookup(s, from: e - 2, to: e) != 0 { return }
            }
            propose(b)
        }
        return best
    }

    // MARK: organizations

    static let maxOrgLength = 16

    /// (The caller has checked that no breaker pair ends here.)
    private func organization(_ s: UnsafeBufferPointer<UInt32>, endingAt e: Int, index: SpanIndex) -> Candidate? {
        var best: Candidate?
        lex.orgSuffixes.forEachMatchBackward(s, endingAt: e) { start, flags in
            let singleSuffix = e - start == 1
            // 东部, 内部: the suffix character closes an ordinary word, not a name.
            if singleSuffix && start > 0 && lex.commonNouns.lookup(s, from: start - 1, to: e) != 0 { return }
            var b = start
            var anchorStart = -1
            var boundary = -1
            var body = 0
            var bodyBeforeAnchor = -1
            // A known organization ending here is where the name starts (借鉴 + 清华大学).
            if let known = index.knownOrgStart(e), known < start {
                b = known
                anchorStart = known
                bodyBeforeAnchor = 0
            }
            var bodySinceAnchor = 0
            while true {
                if let unitStart = index.longestEnding(at: b), e - unitStart <= Self.maxOrgLength {
                    // Two known organizations side by side, or places far apart across ordinary
                    // words (伊朗 + 学生占领 + 美国大使馆), are not one name.
                    if anchorStart >= 0 && (index.knownOrgStart(b) != nil || bodySinceAnchor > 2) { break }
                    if bodyBeforeAnchor < 0 { bodyBeforeAnchor = body }
                    b = unitStart
                    anchorStart = b
                    bodySinceAnchor = 0
                }
                if b == 0 { boundary = 0; break }
                if b < start && naturalStart(s, b, names: nil, organization: true) { boundary = b; break }
                guard orgChar(s[b - 1]) else { boundary = b; break }
                guard e - b < Self.maxOrgLength else { break }
                b -= 1
                body += 1
                bodySinceAnchor += 1
            }
            // Left of its last place or organization, a name only grows to reach another one
            // (中国石油 + 锦州 + 石化公司), never by plain characters (去 + 锦州北站).
            let begin = anchorStart >= 0 ? (boundary >= 0 && opensOrganization(s, at: boundary) ? boundary : anchorStart)
                : boundary
            guard begin >= 0, begin < start else { return }
            if lex.commonNouns.lookup(s, from: begin, to: e) != 0 { return }
            let strong = flags & LexiconFlag.strongSuffix != 0
            // Without a place or organization inside, only a strong suffix names an organization.
            // 省自然资源厅 + 组织: a weak suffix right after an organization is a verb or a noun.
            if !strong && bodyBeforeAnchor == 0 && index.orgStart(start) >= 0 { return }
            // 级, 个, 些 …: counters and particles never open an organization (各级党委).
            if Self.nonInitial.contains(s[begin]) { return }
            if anchorStart < 0, let opener = opener(s, at: begin) {
                // 省交通厅, 国家发改委; a bare 省委 / 市政府 names no particular body.
                if opener > 1 || start - begin - opener >= 2 { anchorStart = begin }
            }
            let ministry = singleSuffix && (2...4).contains(start - begin) && boundary >= 0
                && Self.ministrySuffixes.contains(s[start])
            if anchorStart < 0 && !strong && !ministry { return }
            if anchorStart < 0 && !ministry && start - begin < 2 { return }
            // Without a place, the name may not open with characters that are (almost) never in
            // a name (呼吁三国政府, 应再出现军事集团, 并且 + 友谊集团).
            if anchorStart < 0 && (begin..<min(start, begin + 2)).contains(where: { lex.stopper[Int(s[$0])] }) { return }
            // A short body without a place must read like a name (丰田公司), not a verb or a
            // quantifier before a noun (围绕中心, 一家医院).
            if anchorStart < 0 && start - begin <= 3 {
                var sum: Float = 0, least: Float = 1
                for k in begin..<start { let share = lex.inOrg[Int(s[k])]; sum += share; least = min(least, share) }
                if sum / Float(start - begin) < 0.015 || least < 0.004 { return }
            }
            if index.placeStart(e) == begin { return }
            let c = Candidate(type: .organization, start: begin, end: e, rank: Rank.rule)
            if best == nil || c.start < best!.start { best = c }
        }
        return best
    }
}

/// Places and organizations found so far in one text, by end offset: the org scanner grows
/// names leftwards over them, so it asks "what ends here?" once per character.
struct SpanIndex {
    /// Per end offset: start of the longest place, of the longest organization (-1: none),
    /// and whether a gazetteer place ends there; one allocation per text.
    private var slots: [Int32]

    init(count: Int) {
        slots = [Int32](repeating: -1, count: 4 * (count + 1))
    }

    /// No storage yet: `reset` allocates it.
    init() {
        slots = []
    }

    /// Empties the index for a text of `count` scalars, keeping its storage.
    mutating func reset(count: Int) {
        let size = 4 * (count + 1)
        if slots.count < size {
            slots = [Int32](repeating: -1, count: size)
        } else {
            slots.withUnsafeMutableBufferPointer { UnsafeMutableBufferPointer(rebasing: $0[0..<size]).update(repeating: -1) }
        }
    }

    func placeStart(_ end: Int) -> Int { Int(slots[4 * end]) }
    func orgStart(_ end: Int) -> Int { Int(slots[4 * end + 1]) }
    func knownPlaceEnds(_ end: Int) -> Bool { slots[4 * end + 2] >= 0 }

    mutating func add(place c: Candidate) {
        let p = placeStart(c.end)
        if p < 0 || c.start < p { slots[4 * c.end] = Int32(c.start) }
        if c.rank == Rank.gazetteer { slots[4 * c.end + 2] = 1 }
    }

    /// Start of a gazetteer organization ending at `end`.
    func knownOrgStart(_ end: Int) -> Int? {
        let v = Int(slots[4 * end + 3])
        return v >= 0 ? v : nil
    }

    mutating func add(organization c: Candidate) {
        if c.rank == Rank.gazetteer { slots[4 * c.end + 3] = Int32(c.start) }
        let o = orgStart(c.end)
        if o < 0 || c.start < o { slots[4 * c.end + 1] = Int32(c.start) }
    }

    /// Start of the longest place or organization ending at `end` (and starting before it).
    func longestEnding(at end: Int) -> Int? {
        let p = placeStart(end), o = orgStart(end)
        let start = p < 0 ? o : o < 0 ? p : min(p, o)
        return start >= 0 && start < end ? start : nil
    }
}
