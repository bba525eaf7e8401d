import FolioModel

/// Which of the rules' names the combined recognizer adds to the tagger's: each kind of rule
/// name on its own, so that only the kinds precise on PFR text are taken (the tagger learnt 1998
/// national news; the rules know local bodies, ports and streets it has never seen).
struct RuleKinds: OptionSet, Sendable {
    let rawValue: UInt32

    /// An organization of the gazetteer.
    static let knownOrganization = RuleKinds(rawValue: 1 << 0)
    /// A company by its legal form (有限公司, 有限责任公司).
    static let company = RuleKinds(rawValue: 1 << 1)
    /// An organization opening with a known place (锦州市 + 科技局).
    static let placeOrganization = RuleKinds(rawValue: 1 << 2)
    /// A national or provincial commission or department (国家发改委, 省交通厅: 国家 or 省, two
    /// characters or more, 委 or 厅).
    static let provincialOffice = RuleKinds(rawValue: 1 << 3)
    /// Any other organization of the rules.
    static let otherOrganization = RuleKinds(rawValue: 1 << 4)
    /// A place of the gazetteer or the place list (or a dateline's place).
    static let knownPlace = RuleKinds(rawValue: 1 << 5)
    /// A known place and an administrative suffix (黑山 + 县).
    static let knownAdminPlace = RuleKinds(rawValue: 1 << 6)
    /// Name characters and an administrative suffix (古塔 + 区).
    static let adminPlace = RuleKinds(rawValue: 1 << 7)
    /// A street: a name and 路, 街, 大街 or 大道, not a common word (铁路, 公路, 大街, 小巷).
    static let street = RuleKinds(rawValue: 1 << 8)
    /// A known place and a port or station (营口 + 港).
    static let knownFacility = RuleKinds(rawValue: 1 << 9)
    /// Name characters and a port or station.
    static let facility = RuleKinds(rawValue: 1 << 10)
    /// A zone (七里河 + 经济开发区) or a region (张家口 + 地区).
    static let zone = RuleKinds(rawValue: 1 << 11)
    /// A landform (山, 河, 湖, 岛 …).
    static let landform = RuleKinds(rawValue: 1 << 12)
    /// A person of the rules.
    static let person = RuleKinds(rawValue: 1 << 13)
    /// Any rule name of a taken kind may also extend a tagger place or organization it starts
    /// with (锦州 + 北站, 锦州市 + 自然资源局), replacing the tagger spans it covers.
    static let extensions = RuleKinds(rawValue: 1 << 14)
    /// Any other place of the rules.
    static let otherPlace = RuleKinds(rawValue: 1 << 15)
    /// Only a city's or county's office may extend a tagger place: a tagger place ending with
    /// 市, 县, 区 or 省 and then an office (局, 厅, 委, 馆, 场 …) or a company (锦州市 + 科技局,
    /// 凌海市 + 白台子文泉采石场), and a known place's station (锦州 + 北站).
    static let officeExtensions = RuleKinds(rawValue: 1 << 16)

    /// A zone that opens with a tagger place (七里河 + 经济开发区) replaces the tagger's names
    /// inside it and those that start inside it and run on (济开发区辽宁俏牌…公司: the rules'
    /// names after the zone are then taken as where the tagger is silent).
    static let zoneExtensions = RuleKinds(rawValue: 1 << 17)

    /// A place of the gazetteer replaces the tagger places it covers (明 + 尼苏达州, 沙特 +
    /// 阿拉伯), unless its last character and the next make a word (合肥市 + 民, 北京市 + 区).
    static let knownPlaceCovers = RuleKinds(rawValue: 1 << 18)

    /// Every kind: the old tagger + rules recognizer (which merges without the replacing passes of
    /// `zoneExtensions` and `knownPlaceCovers`).
    static let all = RuleKinds(rawValue: (1 << 19) - 1)
}

extension EntityRecognizer {
    static let newspaper: UInt32 = 0x62A5   // 报
    static let companyForms: [[UInt32]] = ["有限公司", "有限责任公司"].map { $0.unicodeScalars.map(\.value) }
    static let nationalOpeners: [[UInt32]] = ["国家", "省"].map { $0.unicodeScalars.map(\.value) }
    static let commissionEnds: [UInt32] = "委厅".unicodeScalars.map(\.value)
    static let officeEnds: [UInt32] = "局厅委办馆场院所站".unicodeScalars.map(\.value)
    static let cityEnds: [UInt32] = "市县区省".unicodeScalars.map(\.value)
    static let streetEnds: [[UInt32]] = ["路", "街", "大街", "大道"].map { $0.unicodeScalars.map(\.value) }
    /// Characters that make 路 or 街 after them an ordinary word (铁路, 公路, 线路, 门路, 山路, 大街, 长街).
    static let roadWordHeads: [UInt32] = "铁公线道门思生电马网出进退弯老新后水陆航去来让带走开上半小大长沿临满逛主头山".unicodeScalars.map(\.value)

    /// The kind of a rules' candidate (one bit), `[]` for a type the rules' names never have.
    /// `places`: the tagger's names (an organization opening with one of its places
    /// is a place's organization).
    static func ruleKind(_ s: UnsafeBufferPointer<UInt32>, _ r: Candidate, lexicon: EntityLexicon,
                         places: TaggedNames = TaggedNames([])) -> RuleKinds {
        guard r.start >= 0, r.start < r.end, r.end <= s.count else { return [] }
        switch r.type {
        case .person:
            return .person
        case .organization:
            if r.rank == Rank.gazetteer { return .knownOrganization }
            // 顺德报: PFR names no newspaper an organization.
            if s[r.end - 1] == newspaper { return .otherOrganization }
            if endsWithAny(s, r.end, companyForms) && r.end - r.start > 4 { return .company }
            if let p = knownPlace(lexicon, s, from: r.start), p < r.end { return .placeOrganization }
            if places.hasPlace(openingAndShorterThan: r) { return .placeOrganization }
            if commissionEnds.contains(s[r.end - 1]), let opener = startsWithAny(s, r.start, nationalOpeners),
               r.end - r.start - opener >= 3 {
                return .provincialOffice
            }
            return .otherOrganization
        case .place:
            if r.rank == Rank.gazetteer { return .knownPlace }
            // The longest place suffix ending the name, and whether a known place is its body.
            var suffixStart = r.end, kind: UInt32 = 0
            lexicon.placeSuffixes.forEachMatchBackward(s, endingAt: r.end) { start, k in
                if start > r.start { suffixStart = start; kind = k }
            }
            let body = knownPlace(lexicon, s, from: r.start)
            let knownBody = body.map { $0 == suffixStart || ($0 > suffixStart && $0 < r.end) } ?? false
            if kind & LexiconFlag.adminUnit != 0 { return knownBody ? .knownAdminPlace : .adminPlace }
            if kind & LexiconFlag.street != 0 {
                guard suffixStart - r.start >= 2, endsWithAny(s, r.end, streetEnds),
                      !roadWordHeads.contains(s[suffixStart - 1]) else { return .otherPlace }
                return .street
            }
            if kind & LexiconFlag.facility != 0 { return knownBody ? .knownFacility : .facility }
            if kind & LexiconFlag.landform != 0 { return .landform }
            return .zone
        default:
            return []
        }
    }

    /// Length of the first of `words` that `s` has at `start`, nil when none.
    static func startsWithAny(_ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ words: [[UInt32]]) -> Int? {
        words.first { w in start + w.count <= s.count && w.indices.allSatisfy { s[start + $0] == w[$0] } }?.count
    }

    /// Whether rule name `r` may replace the tagger names `tagged` it covers (see `officeExtensions`).
    static func extendsOffice(_ s: UnsafeBufferPointer<UInt32>, _ r: Candidate, kind: RuleKinds, tagged: TaggedNames) -> Bool {
        guard let head = tagged.first(startingAt: r.start, where: { $0.type == .place }) else { return false }
        switch kind {
        case .knownFacility:
            return true
        case .placeOrganization, .company:
            return cityEnds.contains(s[head.end - 1]) && r.end - head.end >= 2
                && (officeEnds.contains(s[r.end - 1]) || kind == .company)
        default:
            return false
        }
    }

    /// Adds to the tagger's candidates (`out[taggerFrom...]`) the rules' names of the given kinds
    /// (see `merge(rules:into:taggerFrom:)`).
    static func merge(rules: ArraySlice<Candidate>, into out: inout [Candidate], taggerFrom first: Int,
                      kinds: RuleKinds, _ s: UnsafeBufferPointer<UInt32>, lexicon: EntityLexicon) {
        if kinds == .all {
            merge(rules: rules, into: &out, taggerFrom: first)
            return
        }
        if kinds.contains(.zoneExtensions) { takeZones(rules: rules, into: &out, taggerFrom: first, s, lexicon: lexicon) }
        if kinds.contains(.knownPlaceCovers) { takeKnownPlaces(rules: rules, into: &out, taggerFrom: first, s, lexicon: lexicon) }
        let tagged = TaggedNames(out[first...])
        // `extends` is asked right after `taken` for the same name: its kind is kept, not found
        // again (a trie walk or two). The kind depends only on the span, type and rank.
        var last: (start: Int, end: Int, type: Folio_V1_EntityType, rank: Int, kind: RuleKinds)?
        func kind(_ r: Candidate) -> RuleKinds {
            if let last, last.start == r.start, last.end == r.end, last.type == r.type, last.rank == r.rank { return last.kind }
            let k = ruleKind(s, r, lexicon: lexicon, places: tagged)
            last = (r.start, r.end, r.type, r.rank, k)
            return k
        }
        merge(rules: rules, into: &out, taggerFrom: first, taken: { r in
            kinds.contains(kind(r))
        }, extends: { r in
            if kinds.contains(.extensions) { return true }
            return kinds.contains(.officeExtensions) && extendsOffice(s, r, kind: kind(r), tagged: tagged)
        })
    }

    /// See `RuleKinds.zoneExtensions`.
    static func takeZones(rules: ArraySlice<Candidate>, into out: inout [Candidate], taggerFrom first: Int,
                          _ s: UnsafeBufferPointer<UInt32>, lexicon: EntityLexicon) {
        var drop = Dropped(out[first...])
        var zones: [Candidate] = []
        let tagged = TaggedNames(out[first...])
        for r in rules where r.type == .place {
            guard tagged.hasPlace(openingAndShorterThan: r),
                  ruleKind(s, r, lexicon: lexicon, places: tagged) == .zone,
                  // 地区: a region, not a zone (PFR tags 欧洲 in 欧洲地区).
                  !(r.end - r.start > 2 && s[r.end - 2] == region[0] && s[r.end - 1] == region[1]) else { continue }
            // Every name it overlaps starts inside it (no person).
            guard let cut = replaced(by: r, in: tagged, dropped: drop, { $0.start >= r.start && $0.type != .person }) else { continue }
            drop.add(cut)
            zones.append(r)
        }
        replace(drop, with: zones, in: &out)
    }

    /// See `RuleKinds.knownPlaceCovers`.
    static func takeKnownPlaces(rules: ArraySlice<Candidate>, into out: inout [Candidate], taggerFrom first: Int,
                                _ s: UnsafeBufferPointer<UInt32>, lexicon: EntityLexicon) {
        var drop = Dropped(out[first...])
        var taken: [Candidate] = []
        let tagged = TaggedNames(out[first...])
        for r in rules where r.type == .place && r.rank == Rank.gazetteer {
            // 合肥市 + 民, 北京市 + 区: the suffix starts a word.
            if r.end < s.count && lexicon.breaks(s[r.end - 1], s[r.end]) { continue }
            // Every name it overlaps is a shorter place inside it.
            guard let cut = replaced(by: r, in: tagged, dropped: drop, {
                $0.type == .place && $0.start >= r.start && $0.end <= r.end && $0.end - $0.start < r.end - r.start
            }) else { continue }
            drop.add(cut)
            taken.append(r)
        }
        replace(drop, with: taken, in: &out)
    }

    /// Indexes of the names in `tagged` (not yet `dropped`) that `r` overlaps, nil when it overlaps
    /// none or one that `may` refuses. Allocates only when `r` is taken.
    static func replaced(by r: Candidate, in tagged: TaggedNames, dropped: Dropped,
                         _ may: (Candidate) -> Bool) -> [Int]? {
        var any = false, refused = false
        tagged.forEachOverlapping(r.start, r.end) { j in
            guard !dropped.contains(j) else { return }
            any = true
            refused = refused || !may(tagged.names[j])
        }
        guard any && !refused else { return nil }
        return tagged.overlapping(r.start, r.end).filter { !dropped.contains($0) }
    }

    /// Which of the tagger's names (indices of `out`) a pass has replaced.
    struct Dropped {
        private let first: Int
        private let count: Int
        /// Allocated at the first name dropped (most passes drop none).
        private var marks: [Bool] = []

        init(_ tagged: ArraySlice<Candidate>) {
            first = tagged.startIndex
            count = tagged.count
        }

        var any: Bool { !marks.isEmpty }

        func contains(_ i: Int) -> Bool { !marks.isEmpty && i >= first && i - first < count && marks[i - first] }

        mutating func add(_ indices: [Int]) {
            guard !indices.isEmpty else { return }
            if marks.isEmpty { marks = [Bool](repeating: false, count: count) }
            for i in indices { marks[i - first] = true }
        }
    }

    /// Removes the names marked in `drop` from `out` and appends `names`.
    static func replace(_ drop: Dropped, with names: [Candidate], in out: inout [Candidate]) {
        guard !names.isEmpty else { return }
        if drop.any {
            var kept = 0
            for i in out.indices where !drop.contains(i) {
                out[kept] = out[i]
                kept += 1
            }
            out.removeSubrange(kept...)
        }
        out.append(contentsOf: names)
    }
}
