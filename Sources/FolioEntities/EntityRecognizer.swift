import Foundation
import FolioModel
import FolioText

/// Finds people, organizations, places, quantities and dates in an article's text fields.
///
/// Matching runs on folded scalars (Traditional → Simplified per character, full-width →
/// half-width), so offsets are the original text's Unicode-scalar offsets. One Entity per
/// distinct (type, normalized form), carrying all its mentions in field order.
public final class EntityRecognizer: Sendable {
    /// Loads the learnt data (Data/*.tsv and tagger.bin: installed in share/folio/entities, else this
    /// module's bundle) once. Names by the combined recognizer (ninth round: the tagger and the
    /// rules' precise kinds; held-out F1 above the targets and THULAC, docs/developing.md,
    /// "Entities: the character tagger"); the rules alone when tagger.bin is missing or damaged.
    public static let shared = EntityRecognizer(dataDirectory: dataDirectory, names: .combined)
    /// Names by the tagger, with the rules' names of the kinds precise on PFR text where it is
    /// silent (`combinedRuleKinds`: companies, a city's offices, ports, streets, zones…): `shared`.
    public static let combined = shared
    /// The same data, names by the hand-written rules alone (the default until the ninth round;
    /// `folio parse --rule-names`).
    public static let rules = EntityRecognizer(dataDirectory: dataDirectory, names: .rules)
    /// Names by the learnt tagger (Data/tagger.bin) alone.
    public static let taggerOnly = EntityRecognizer(dataDirectory: dataDirectory, names: .tagger)
    /// Names by the tagger, with every rules' name where it is silent or where they extend its places.
    public static let taggerAndRules = EntityRecognizer(dataDirectory: dataDirectory, names: .taggerAndRules)

    public static var dataDirectory: URL? {
        InstalledResources.url("entities") ?? Bundle.module.url(forResource: "Data", withExtension: nil)
    }

    /// How people, places and organizations are found.
    public enum Names: Sendable {
        /// The learnt character tagger (Data/tagger.bin); the rules when it is missing or damaged.
        case tagger
        /// The hand-written rules over learnt lexicons (NameScanner).
        case rules
        /// The tagger, then the rules where it found nothing or where they extend one of its places
        /// (out-of-domain text: the tagger learnt 1998 national news, the rules know 2022 local
        /// bodies and streets).
        case taggerAndRules
        /// The tagger, then the rules' names of the kinds precise on PFR text where the tagger is
        /// silent (`EntityRecognizer.combinedRuleKinds`).
        case combined
    }

    let lexicon: EntityLexicon
    let units: ScalarTrie
    let numberStarts: [UInt64]
    let tagger: Tagger?
    /// `tagger != nil`, kept apart: testing the optional itself copies the tagger, per field.
    let hasTagger: Bool
    /// With the tagger: also run the rules and keep what they add (see `merge`).
    let hybrid: Bool
    /// Which of the rules' names are added to the tagger's.
    let ruleKinds: RuleKinds

    /// Whether names come from the tagger (false: the rules).
    public var usesTagger: Bool { tagger != nil }
    /// Size of the tagger's weight file in bytes (0 without a tagger).
    public var taggerModelBytes: Int { tagger?.model.bytes ?? 0 }

    /// The combined recognizer with only these kinds of the rules' names (`RuleKinds` bits; for
    /// benchmarks: `folio-bench entities --rule-kinds`).
    public convenience init(dataDirectory: URL?, ruleKindBits: UInt32) {
        self.init(dataDirectory: dataDirectory, names: .combined, kinds: RuleKinds(rawValue: ruleKindBits))
    }

    /// `dataDirectory` nil gives a recognizer with only the numeric and hand-written rules.
    public convenience init(dataDirectory: URL?, names: Names = .rules) {
        self.init(dataDirectory: dataDirectory, names: names, kinds: nil)
    }

    init(dataDirectory: URL?, names: Names, kinds: RuleKinds?) {
        lexicon = EntityLexicon(directory: dataDirectory)
        units = NumericScanner.buildUnits()
        numberStarts = NumericScanner.buildStarts()
        switch names {
        case .taggerAndRules: ruleKinds = .all
        case .combined: ruleKinds = kinds ?? Self.combinedRuleKinds
        default: ruleKinds = []
        }
        hybrid = !ruleKinds.isEmpty
        if names != .rules, let url = dataDirectory?.appendingPathComponent("tagger.bin"),
           let data = try? Data(contentsOf: url, options: .alwaysMapped), let model = TaggerModel(data: data) {
            tagger = Tagger(model: model)
        } else {
            tagger = nil
        }
        hasTagger = tagger != nil
    }

    /// Whether the text is written in Traditional characters: at least one CJK character in ten
    /// (and two at least) folds to another (Simplified) one. A stray variant in Simplified text does not count.
    static func isTraditional(_ text: ScalarText) -> Bool {
        // Counted by ScalarText while it decoded the fields.
        text.changed >= 2 && text.changed * 10 >= text.cjk
    }

    public func recognize(fields: [EntityField], pageDate: String?) -> [Folio_V1_Entity] {
        recognize(fields: fields, pageDate: pageDate, buffers: RecognizerBuffers())
    }

    /// The same, reusing `buffers` (one per page, or per thread: not shared between threads at
    /// once) so that a page's articles allocate the tagger's and scanners' scratch space once.
    public func recognize(fields: [EntityField], pageDate: String?, buffers: RecognizerBuffers) -> [Folio_V1_Entity] {
        let (year, month) = Self.parseDate(pageDate)
        var numeric = NumericScanner(units: units, starts: numberStarts, pageYear: year, pageMonth: month)
        numeric.pageDay = pageDate.flatMap { CalendarDay($0) }
        let names = NameScanner(lex: lexicon)
        var text = ScalarText(fields, fold: lexicon.foldTable)
        numeric.traditional = Self.isTraditional(text)
        // 彷彿 is 仿佛, not 彷佛 (an unknown word the tagger took for a place): phrase forms first.
        if numeric.traditional { lexicon.phraseFold.apply(to: &text.folded) }
        // Moved out of the box for the call (locals, uniquely held) and back at its end.
        var (scratch, spans, tagging, ruled) = buffers.take()
        defer { buffers.give(back: scratch, spans, tagging, ruled) }
        // Pass 1's candidates per field (with the tagger, or the rules on a long field): pass 2
        // adds to them without tagging or scanning again.
        var raws: [[Candidate]?] = []
        let wordCounts = WordCounts()
        // Names and figures of one stretch of a field (offsets into it), appended to `out`.
        func find(_ buf: UnsafeBufferPointer<UInt32>, article all: UnsafeBufferPointer<UInt32>, into out: inout [Candidate]) {
            numeric.scan(buf, into: &out)
            if hasTagger, let tagger {
                let first = out.count
                tagger.tag(buf, scratch: &tagging, into: &out)
                // 邓小平理论, 毛泽东思想: a doctrine named after a person, not a mention of one.
                // 万台, 万辆 (a table's unit, 万 read as a surname): a quantity, not a person;
                // nor is 南昆线 (see placeEnds).
                // 中国 in 发展中国家, 蒙古 in 蒙古族: inside a word that names nothing.
                var kept = first
                for k in first..<out.count {
                    let c = out[k]
                    if c.type == .person && (names.startsDoctrine(buf, at: c.end) || Self.isUnitOfMagnitude(buf, c, units: units)
                        || Self.placeEnds.contains(buf[c.end - 1])) { continue }
                    if Self.insideBlockedWord(buf, c, lexicon) || LatinFragments.namesNothing(buf, c) { continue }
                    if k != kept { out.swapAt(kept, k) }
                    kept += 1
                }
                out.removeSubrange(kept...)
                // 梁军有 where the article writes 梁军 alone; 江苏新沂市, 江西省 + 宜春地区, 爱沙尼亚 (PlaceJoins).
                Self.trimPersonTails(buf, &out, from: first, lexicon: lexicon, article: all, counts: wordCounts)
                // 蔡 + 大姐, 孙子: kinship words; 曹大夫: the surname is the person.
                Self.dropKinWords(buf, &out, from: first, lexicon: lexicon)
                Self.joinRegions(buf, &out, from: first, lexicon: lexicon)
                Self.splitJoinedPlaces(buf, &out, from: first, lexicon: lexicon)
                Self.retypeListedPlaces(buf, &out, from: first, lexicon: lexicon)
                // A transliterated name cut in two (帕帕佐 + 普洛斯) is one person; a bare
                // surname before a title (叶省长) is a person the tagger seldom finds.
                Self.joinForeignPieces(buf, &out, from: first, lexicon: lexicon)
                names.addressedSurnames(buf, taggerFrom: first, into: &out)
                names.creditNames(buf, into: &out)
                names.nameRuns(buf, taggerFrom: first, into: &out)
                if hybrid {
                    // The rules where the tagger is silent, and where they extend a tagger place
                    // into a longer place or organization (锦州 + 北站, 锦州市 + 自然资源局).
                    ruled.removeAll(keepingCapacity: true)
                    ruled.append(contentsOf: out[0..<first])
                    names.scan(buf, index: &spans, into: &ruled, people: ruleKinds.contains(.person))
                    Self.merge(rules: ruled[first...], into: &out, taggerFrom: first, kinds: ruleKinds, buf, lexicon: lexicon)
                }
                // Places named inside an organization are entities too (黑山县 in
                // 黑山县万程膨润土有限责任公司): the place list, at the organization's start.
                for k in first..<out.count where out[k].type == .organization {
                    let o = out[k]
                    if var p = Self.knownPlace(lexicon, buf, from: o.start), p < o.end {
                        // With its administrative suffix (黑山 + 县).
                        if p + 1 < o.end, Self.adminSuffixes.contains(buf[p]) { p += 1 }
                        out.append(Candidate(type: .place, start: o.start, end: p, rank: Rank.gazetteer))
                    }
                }
            } else {
                names.scan(buf, index: &spans, into: &out)
            }
        }
        var segment: [Candidate] = []
        func scan(_ k: Int, extra: [Candidate] = []) -> [Candidate] {
            if k < raws.count, let raw = raws[k] { return Self.resolve(raw + extra) }
            scratch.removeAll(keepingCapacity: true)
            text.folded.withUnsafeBufferPointer { all in
                let field = UnsafeBufferPointer(rebasing: all[text.bounds[k]])
                guard field.count > Self.segmentLength else { return find(field, article: all, into: &scratch) }
                let cuts = Self.segments(field)
                // A field far longer than any paragraph: stretch by stretch, so that no step's cost
                // grows with the field (the rules' merge compares every pair of names).
                for (from, to) in zip(cuts, cuts.dropFirst()) {
                    segment.removeAll(keepingCapacity: true)
                    find(UnsafeBufferPointer(rebasing: field[from..<to]), article: all, into: &segment)
                    for var c in segment {
                        c.start += from
                        c.end += from
                        scratch.append(c)
                    }
                }
            }
            if k == raws.count {
                let keep = hasTagger || text.bounds[k].count >= Self.rescanLength
                raws.append(keep ? scratch.withUnsafeBufferPointer { Array($0) } : nil)  // (see resolve)
            }
            scratch.append(contentsOf: extra)
            return Self.resolve(scratch)
        }
        // Pass 1: every field on its own.
        var kepts: [[Candidate]] = []
        kepts.reserveCapacity(fields.count)
        var found = ArticleNames()
        let repeatTypes = hasTagger ? Self.repeatedByTagger : Self.repeatedByRules
        for k in fields.indices {
            let kept = scan(k)
            let base = text.bounds[k].lowerBound
            for c in kept where c.length >= 2 && c.length <= ArticleNames.longestName {
                guard let t = ArticleNames.slot(c.type), repeatTypes & (1 << t) != 0 else { continue }
                found.add(text.folded[(base + c.start)..<(base + c.end)], type: t)
            }
            kepts.append(kept)
        }
        // A name's Latin form in brackets after it names it too, everywhere in the article (pass 2).
        var aliases = LatinAliases()
        for k in fields.indices where !kepts[k].isEmpty {
            text.folded.withUnsafeBufferPointer { all in
                for span in aliases.find(after: kepts[k], in: UnsafeBufferPointer(rebasing: all[text.bounds[k]])) {
                    let base = text.bounds[k].lowerBound
                    found.add(text.folded[(base + span.start)..<(base + span.end)], type: span.slot)
                }
            }
        }
        // Pass 2: a name found once in the article is the same string everywhere in it
        // (彭楚政 where the context alone would have cut 彭楚; 野村证券 tagged once in ten). Rare: the
        // field is scanned again (the rules) or its candidates resolved again (the tagger).
        if !found.isEmpty {
            // One buffer for every field's matches (most fields have some, and all are kept already).
            var extra: [Candidate] = []
            for k in fields.indices {
                extra.removeAll(keepingCapacity: true)
                let kept = kepts[k]
                text.folded.withUnsafeBufferPointer { all in
                    let buf = UnsafeBufferPointer(rebasing: all[text.bounds[k]])
                    found.forEachLongestMatch(in: buf) { i, end, t in
                        // 邓小平理论: a doctrine, not a mention of the person.
                        if t == 0 && names.startsDoctrine(buf, at: end) { return }
                        // Spans already kept with the type add nothing (the common case: looked up
                        // before the blocked words).
                        if Self.keeps(kept, start: i, end: end, slot: t) { return }
                        let c = Candidate(type: ArticleNames.types[t], start: i, end: end, rank: Rank.gazetteer)
                        // IBM in IBMX: no name cut out of a Latin word.
                        if LatinFragments.cutsWord(buf, c) { return }
                        // 中国 in 发展中国家: not a mention, wherever else the article names it.
                        if hasTagger && Self.insideBlockedWord(buf, c, lexicon) { return }
                        extra.append(c)
                    }
                }
                if !extra.isEmpty { kepts[k] = scan(k, extra: extra) }
            }
        }
        var entities: [Folio_V1_Entity] = []
        var keys = EntityKeys()
        var spacedText: [Bool] = []
        for (k, field) in fields.enumerated() {
            let base = text.bounds[k].lowerBound
            for c in kepts[k] {
                let span = (base + c.start)..<(base + c.end)
                // Key on scalars: hashing Swift Strings normalizes them (slow for CJK).
                let folded = text.folded[span].lazy.filter { $0 != 0x20 && $0 != 0x09 }
                let type = c.type.rawValue
                let hash: UInt64
                let at: Int?
                let aliasOf = aliases.isEmpty ? nil : ArticleNames.slot(c.type).flatMap { aliases.key(of: folded, slot: $0) }
                if let normalized = c.normalized {
                    guard !normalized.isEmpty else { continue }
                    hash = EntityKeys.hash(type: type, normalized.unicodeScalars.lazy.map(\.value))
                    at = keys.find(type: type, hash: hash, normalized.unicodeScalars.lazy.map(\.value))
                } else if let aliasOf {
                    // WTO after 世界贸易组织（WTO）: a mention of that entity.
                    hash = EntityKeys.hash(type: type, aliasOf)
                    at = keys.find(type: type, hash: hash, aliasOf)
                } else {
                    guard !folded.isEmpty else { continue }
                    hash = EntityKeys.hash(type: type, folded)
                    at = keys.find(type: type, hash: hash, folded)
                }
                var mention = Folio_V1_Mention()
                mention.field = field.field
                mention.block = UInt32(clamping: field.index)
                mention.start = UInt32(c.start)
                mention.end = UInt32(c.end)
                if let at {
                    entities[at].mentions.append(mention)
                    // The text stays the first mention's (model.proto), 今年 before 2022年 too.
                    if spacedText[at] && !Self.hasSpace(text.original[span]) {
                        // 崔 治 in a spaced byline, 崔治 in the text: the display text without spaces.
                        entities[at].text = ScalarText.string(text.original[span])
                        spacedText[at] = false
                    }
                } else {
                    var e = Folio_V1_Entity()
                    e.type = c.type
                    e.text = ScalarText.string(text.original[span])
                    if let normalized = c.normalized {
                        e.normalized = normalized
                        keys.add(type: type, hash: hash, normalized.unicodeScalars.lazy.map(\.value))
                    } else if let aliasOf {
                        // The bracketed name was not kept as an entity of its own: the alias stands alone.
                        e.normalized = Self.normalizedName(original: text.original[span], folded: text.folded[span])
                        keys.add(type: type, hash: hash, aliasOf)
                    } else {
                        // Most names are written as normalized already: share the one String.
                        e.normalized = text.original[span].elementsEqual(folded) ? e.text
                            : Self.normalizedName(original: text.original[span], folded: text.folded[span])
                        keys.add(type: type, hash: hash, folded)
                    }
                    if let q = c.quantity { e.quantity = q }
                    e.mentions = [mention]
                    spacedText.append(c.normalized == nil && Self.hasSpace(text.original[span]))
                    entities.append(e)
                }
            }
        }
        return entities
    }

    /// Whether `kept` (a field's resolved candidates, ordered by start) holds the span with a
    /// type of `ArticleNames.slot` `slot`: a binary search, so that a field with many names stays linear.
    static func keeps(_ kept: [Candidate], start: Int, end: Int, slot: Int) -> Bool {
        var low = 0, high = kept.count
        while low < high {
            let middle = (low + high) / 2
            if kept[middle].start < start { low = middle + 1 } else { high = middle }
        }
        while low < kept.count && kept[low].start == start {
            if kept[low].end == end && ArticleNames.slot(kept[low].type) == slot { return true }
            low += 1
        }
        return false
    }

    static func hasSpace(_ s: ArraySlice<UInt32>) -> Bool { s.contains { $0 == 0x20 || $0 == 0x3000 } }

    /// Adds to the tagger's candidates (`out[taggerFrom...]`) the rules' names that overlap none
    /// of them, and a rules' place or organization that starts with a tagger place or
    /// organization and goes further (replacing the tagger spans it covers), with the rules'
    /// places nested in it.
    /// `taken` chooses among the rules' names (all by default), `extends` those that may extend
    /// a tagger name (all by default).
    static func merge(rules: ArraySlice<Candidate>, into out: inout [Candidate], taggerFrom first: Int,
                      taken: (Candidate) -> Bool = { _ in true }, extends: (Candidate) -> Bool = { _ in true }) {
        let tagged = Array(out[first...])
        let taggedByStart = TaggedNames(tagged[...])
        var removed: [Int] = []
        var added: [Candidate] = []
        for r in rules where (r.type == .person || r.type == .place || r.type == .organization) && taken(r) {
            // The overlapped names looked at in place: most rules' names overlap some, and listing
            // them allocated an array per name; listed only when they are replaced.
            var overlaps = false, inside = true, opens = false
            taggedByStart.forEachOverlapping(r.start, r.end) { j in
                let t = tagged[j]
                overlaps = true
                if !(t.start >= r.start && t.end <= r.end && t.type != .person) { inside = false }
                if t.start == r.start && t.end < r.end { opens = true }
            }
            if !overlaps {
                added.append(r)
                continue
            }
            guard r.type != .person && extends(r) else { continue }
            if inside && opens {
                removed += taggedByStart.overlapping(r.start, r.end)
                added.append(r)
            }
        }
        guard !added.isEmpty else { return }
        // Rules' places inside an organization the merge took (found by start: a paragraph of
        // organizations would compare each with every rules' name).
        let ruleNames = TaggedNames(rules)
        for o in added where o.type == .organization {
            for i in ruleNames.overlapping(o.start, o.end) {
                let r = rules[i]
                if r.type == .place && r.start >= o.start && r.end <= o.end && r.end - r.start < o.end - o.start { added.append(r) }
            }
        }
        if !removed.isEmpty {
            let drop = Set(removed.map { $0 + first })
            out = out.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        }
        out.append(contentsOf: added)
    }

    /// The rules' names the combined recognizer adds (chosen on the dev split).
    static let combinedRuleKinds: RuleKinds = [.company, .placeOrganization, .provincialOffice, .knownPlace, .street,
                                                .knownFacility, .officeExtensions, .zoneExtensions, .knownPlaceCovers]

    /// Fields at least this long (scalars) keep the rules' candidates for the article-level pass
    /// instead of being scanned again; shorter ones are cheaper to scan again than to copy.
    static let rescanLength = 2048

    /// Types (bits: person 0, place 1, organization 2) that the article-level pass repeats. With
    /// the tagger, all three: on the dev split (trained on days 1–12, scored on 13–15) places and
    /// organizations gained a little each (Benchmarks/RESULTS.md); the rules repeat people only.
    static let repeatedByRules = 1
    static let repeatedByTagger = 7

    /// Whether a two-scalar candidate is a magnitude (万, 千, 百, 亿) and a unit of measure.
    static func isUnitOfMagnitude(_ s: UnsafeBufferPointer<UInt32>, _ c: Candidate, units: ScalarTrie) -> Bool {
        guard c.end - c.start == 2, magnitudes.contains(s[c.start]) else { return false }
        return units.lookup(s, from: c.start + 1, to: c.end) != 0
    }

    /// The same for the lexicon's blocked words, first asking whether the candidate's first scalar
    /// is in any of them (a word covering the candidate holds it): most candidates stop there.
    @inline(__always)
    static func insideBlockedWord(_ s: UnsafeBufferPointer<UInt32>, _ c: Candidate, _ lexicon: EntityLexicon) -> Bool {
        if c.start < c.end && !lexicon.inBlockedWordChars(s[c.start]) { return false }
        return insideBlockedWord(s, c, lexicon.blockedWords)
    }

    /// Whether the candidate lies inside an occurrence of one of `words`, shorter than it.
    static func insideBlockedWord(_ s: UnsafeBufferPointer<UInt32>, _ c: Candidate, _ words: [[UInt32]]) -> Bool {
        for w in words where w.count > c.end - c.start {
            // Every placement of w that covers the candidate.
            let lowest = max(0, c.end - w.count), highest = min(c.start, s.count - w.count)
            guard lowest <= highest else { continue }
            for start in lowest...highest where s[start] == w[0] {
                var k = 1
                while k < w.count && s[start + k] == w[k] { k += 1 }
                if k == w.count { return true }
            }
        }
        return false
    }

    /// Last characters of places and bodies that end no person name of the training days
    /// (南昆线 is a railway): a person the tagger ends with one is dropped.
    static let placeEnds: [UInt32] = "线站街县省市区厂局".unicodeScalars.map(\.value)

    static let magnitudes: [UInt32] = "万千百亿".unicodeScalars.map(\.value)

    static let adminSuffixes: [UInt32] = "省市县区州旗盟镇乡村".unicodeScalars.map(\.value)

    /// End of the longest known place (gazetteer or place list) starting at `i`, nil when none.
    static func knownPlace(_ lex: EntityLexicon, _ s: UnsafeBufferPointer<UInt32>, from i: Int) -> Int? {
        var end: Int?
        lex.names.forEachLongMatch(s, from: i) { e, flags in
            if flags & LexiconFlag.place != 0 && flags & LexiconFlag.blocked == 0 { end = e }
        }
        return end
    }

    /// The tagger's names in one text alone (no numbers, no resolution): (type, start, end) in
    /// Unicode scalars. Empty without a tagger. For benchmarks and tests.
    public func tagNames(_ text: String) -> [(type: Folio_V1_EntityType, start: Int, end: Int)] {
        guard let tagger else { return [] }
        let scalars = ScalarText([EntityField(field: .block, index: 0, text: text)], fold: lexicon.foldTable)
        var scratch = TaggerScratch()
        var out: [Candidate] = []
        scalars.folded.withUnsafeBufferPointer { tagger.tag($0, scratch: &scratch, into: &out) }
        return out.map { ($0.type, $0.start, $0.end) }
    }

    /// Adds people named outside the recognized fields (bylines, dateline reporters) to an
    /// article's entities: a name already found keeps its mentions, a new one is appended with
    /// none (a byline has no TextField to point into). Spaces inside names are dropped, but for one
    /// between two Latin words (Michael Smith).
    public func addingPeople(_ names: [String], to entities: [Folio_V1_Entity]) -> [Folio_V1_Entity] {
        var out = entities
        for name in names {
            let scalars = name.unicodeScalars.map(\.value)
            let original = scalars.indices.compactMap { j -> UInt32? in
                guard Self.isSpace(scalars[j]) else { return scalars[j] }
                return Self.keepsSpace(scalars[..<j].last, after: scalars[(j + 1)...]) ? 0x20 : nil
            }
            guard !original.isEmpty else { continue }
            let folded = original.map { CharacterFold.shared.fold(value: $0) }
            let normalized = Self.normalizedName(original: original[...], folded: folded)
            if out.contains(where: { $0.type == .person && $0.normalized == normalized }) { continue }
            var e = Folio_V1_Entity()
            e.type = .person
            e.text = Self.string(original)
            e.normalized = normalized
            out.append(e)
        }
        return out
    }

    static func string(_ values: [UInt32]) -> String { ScalarText.string(values) }

    /// A name's normalized form: the folded (Simplified, half-width) scalars, except that Latin
    /// capitals keep their case (the fold lower-cases them for matching only). `original` has no
    /// spaces but those `keepsSpace` keeps.
    static func normalizedName(original: ArraySlice<UInt32>, folded: [UInt32]) -> String {
        guard original.count == folded.count else { return string(folded) }
        return string(zip(original, folded).map { capital($0) ?? $1 })
    }

    /// The same for a span of an article's text, original and folded side by side (no copies):
    /// spaces dropped (崔 治), but for one between two Latin words (International Monetary Fund).
    static func normalizedName(original: ArraySlice<UInt32>, folded: ArraySlice<UInt32>) -> String {
        original.withUnsafeBufferPointer { o in
            folded.withUnsafeBufferPointer { f in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: f.count) { out in
                    var k = 0
                    for j in 0..<f.count {
                        if isSpace(f[j]) {
                            guard k > 0, out[k - 1] != 0x20, keepsSpace(out[k - 1], after: f[(j + 1)...]) else { continue }
                            out[k] = 0x20
                        } else {
                            out[k] = capital(o[j]) ?? f[j]
                        }
                        k += 1
                    }
                    return ScalarText.string(UnsafeBufferPointer(rebasing: out[0..<k]))
                }
            }
        }
    }

    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool { v == 0x20 || v == 0x09 || v == 0x3000 }

    /// Whether a space after `previous` and before `rest` separates two Latin words (letters or
    /// digits on both sides, the next of `rest` that is not a space).
    static func keepsSpace<C: Collection>(_ previous: UInt32?, after rest: C) -> Bool where C.Element == UInt32 {
        guard let previous, isLatinWordCharacter(previous), let next = rest.first(where: { !isSpace($0) }) else { return false }
        return isLatinWordCharacter(next)
    }

    /// ASCII and full-width letters and digits, and the Latin letters with diacritics (é, ü).
    @inline(__always)
    static func isLatinWordCharacter(_ v: UInt32) -> Bool {
        (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v)
            || ((0xC0...0x24F).contains(v) && v != 0xD7 && v != 0xF7)
            || (0xFF10...0xFF19).contains(v) || (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v)
    }

    /// A Latin capital (ASCII or full-width) as its ASCII self, nil for anything else.
    @inline(__always)
    static func capital(_ v: UInt32) -> UInt32? {
        if (0x41...0x5A).contains(v) { return v }
        if (0xFF21...0xFF3A).contains(v) { return v - 0xFEE0 }
        return nil
    }

    /// "YYYY-MM-DD" (or "YYYY-MM", "YYYY") → year and month.
    static func parseDate(_ date: String?) -> (Int?, Int?) {
        guard let date else { return (nil, nil) }
        // Fast path for the usual "YYYY-MM-DD": String.split costs more than a page's dates.
        let u = date.utf8
        if u.count == 10 {
            var digits: [Int] = []
            for (k, b) in u.enumerated() where k != 4 && k != 7 {
                guard b >= 0x30 && b <= 0x39 else { digits = []; break }
                digits.append(Int(b - 0x30))
            }
            if digits.count == 8, u[u.index(u.startIndex, offsetBy: 4)] == 0x2D, u[u.index(u.startIndex, offsetBy: 7)] == 0x2D {
                let year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
                let month = digits[4] * 10 + digits[5]
                return (year, (1...12).contains(month) ? month : nil)
            }
        }
        let parts = date.split(separator: "-")
        guard let first = parts.first, first.count == 4, let year = Int(first) else { return (nil, nil) }
        let month = parts.count > 1 ? Int(parts[1]).flatMap { (1...12).contains($0) ? $0 : nil } : nil
        return (year, month)
    }
}

/// Scratch space of `EntityRecognizer.recognize` kept from one call to the next: candidate lists,
/// the rules' span index and the tagger's per-position tables (most of a call's allocations).
public final class RecognizerBuffers {
    private var scratch: [Candidate] = []
    private var spans = SpanIndex(count: 256)
    private var tagging = TaggerScratch()
    private var ruled: [Candidate] = []

    public init() {
        scratch.reserveCapacity(64)
    }

    /// The buffers, emptied of the last call's candidates; the box holds nothing until `give`.
    func take() -> ([Candidate], SpanIndex, TaggerScratch, [Candidate]) {
        // Released here, so that the caller's copies are the only ones (no copy on write).
        defer {
            scratch = []
            spans = SpanIndex()
            tagging = TaggerScratch()
            ruled = []
        }
        scratch.removeAll(keepingCapacity: true)
        ruled.removeAll(keepingCapacity: true)
        return (scratch, spans, tagging, ruled)
    }

    func give(back scratch: [Candidate], _ spans: SpanIndex, _ tagging: TaggerScratch, _ ruled: [Candidate]) {
        self.scratch = scratch
        self.spans = spans
        self.tagging = tagging
        self.ruled = ruled
    }
}
