import Foundation
import FolioModel
import FolioText

/// Finds people, organizations, places, quantities and dates in an article's text fields.
///
/// Matching runs on folded scalars (Traditional → Simplified per character, full-width →
/// half-width), so offsets are the original text's Unicode-scalar offsets. One Entity per
/// distinct (type, normalized form), carrying all its mentions in field order.
public final class EntityRecognizer: Sendable {
    /// Loads the learnt data (Data/*.tsv in this module's bundle) once.
    public static let shared = EntityRecognizer(dataDirectory: Bundle.module.url(forResource: "Data", withExtension: nil))

    let lexicon: EntityLexicon
    let units: ScalarTrie

    /// `dataDirectory` nil gives a recognizer with only the numeric and hand-written rules.
    public init(dataDirectory: URL?) {
        lexicon = EntityLexicon(directory: dataDirectory)
        units = NumericScanner.buildUnits()
    }

    public func recognize(fields: [EntityField], pageDate: String?) -> [Folio_V1_Entity] {
        let (year, month) = Self.parseDate(pageDate)
        let numeric = NumericScanner(units: units, pageYear: year, pageMonth: month)
        let names = NameScanner(lex: lexicon)
        var entities: [Folio_V1_Entity] = []
        var byKey: [EntityKey: Int] = [:]
        var explicitText: Set<Int> = []
        // Pass 1: every field on its own.
        var folds: [[UInt32]] = []
        var found: [[Candidate]] = []
        var kepts: [[Candidate]] = []
        var people = ScalarTrie()
        var peopleCount = 0
        var originals: [[UInt32]] = []
        let fold = CharacterFold.shared
        for field in fields {
            var original: [UInt32] = []
            var folded: [UInt32] = []
            original.reserveCapacity(field.text.utf8.count)
            folded.reserveCapacity(field.text.utf8.count)
            for scalar in field.text.unicodeScalars {
                original.append(scalar.value)
                folded.append(fold.fold(value: scalar.value))
            }
            originals.append(original)
            let candidates = folded.withUnsafeBufferPointer { buf -> [Candidate] in
                var candidates: [Candidate] = []
                numeric.scan(buf, into: &candidates)
                names.scan(buf, numeric: candidates, into: &candidates)
                return candidates
            }
            let kept = Self.resolve(candidates)
            for c in kept where c.type == .person && c.length >= 2 {
                people.insert(folded[c.start..<c.end], payload: LexiconFlag.person)
                peopleCount += 1
            }
            folds.append(folded)
            found.append(candidates)
            kepts.append(kept)
        }
        // Pass 2: a person named once in the article is the same string everywhere in it
        // (彭楚政 where the context alone would have cut 彭楚).
        if peopleCount > 0 {
            for k in fields.indices {
                var extra: [Candidate] = []
                folds[k].withUnsafeBufferPointer { buf in
                    for i in 0..<buf.count {
                        var end = -1
                        people.forEachMatch(buf, from: i) { e, _ in end = e }
                        if end > 0 && !kepts[k].contains(where: { $0.start == i && $0.end == end && $0.type == .person }) {
                            extra.append(Candidate(type: .person, start: i, end: end, rank: Rank.gazetteer))
                        }
                    }
                }
                if !extra.isEmpty { kepts[k] = Self.resolve(found[k] + extra) }
            }
        }
        for (k, field) in fields.enumerated() {
            let original = originals[k]
            let folded = folds[k]
            let kept = kepts[k]
            for c in kept {
                // Key on scalars: hashing Swift Strings normalizes them (slow for CJK).
                let scalars = c.normalized.map { $0.unicodeScalars.map(\.value) }
                    ?? folded[c.start..<c.end].filter { $0 != 0x20 && $0 != 0x09 }
                guard !scalars.isEmpty else { continue }
                let key = EntityKey(type: c.type.rawValue, scalars: scalars)
                var mention = Folio_V1_Mention()
                mention.field = field.field
                mention.block = UInt32(clamping: field.index)
                mention.start = UInt32(c.start)
                mention.end = UInt32(c.end)
                if let at = byKey[key] {
                    entities[at].mentions.append(mention)
                    // Prefer a date written out (2022年) over a relative one (今年) as the display text.
                    if c.explicit && !explicitText.contains(at) {
                        entities[at].text = Self.string(original[c.start..<c.end])
                        explicitText.insert(at)
                    }
                } else {
                    var e = Folio_V1_Entity()
                    e.type = c.type
                    e.text = Self.string(original[c.start..<c.end])
                    e.normalized = c.normalized ?? Self.normalizedName(original: original[c.start..<c.end], folded: scalars)
                    if let q = c.quantity { e.quantity = q }
                    e.mentions = [mention]
                    byKey[key] = entities.count
                    if c.explicit { explicitText.insert(entities.count) }
                    entities.append(e)
                }
            }
        }
        return entities
    }

    /// Adds people named outside the recognized fields (bylines, dateline reporters) to an
    /// article's entities: a name already found keeps its mentions, a new one is appended with
    /// none (a byline has no TextField to point into). Spaces inside names are dropped.
    public func addingPeople(_ names: [String], to entities: [Folio_V1_Entity]) -> [Folio_V1_Entity] {
        var out = entities
        for name in names {
            let original = name.unicodeScalars.map(\.value).filter { $0 != 0x20 && $0 != 0x3000 && $0 != 0x09 }
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

    struct EntityKey: Hashable {
        let type: Int
        let scalars: [UInt32]
    }

    /// Keeps the best non-overlapping candidates: numeric forms first, then longer spans,
    /// then surer sources (gazetteer over rules over statistics).
    static func resolve(_ candidates: [Candidate]) -> [Candidate] {
        guard candidates.count > 1 else { return candidates }
        // Sort small integer keys, not the candidates (they carry strings).
        var keys: [(numeric: Bool, length: Int, rank: Int, start: Int, index: Int)] = []
        keys.reserveCapacity(candidates.count)
        var extent = 0
        for (i, c) in candidates.enumerated() {
            keys.append((c.rank == Rank.numeric, c.length, c.rank, c.start, i))
            extent = max(extent, c.end)
        }
        keys.sort { x, y in
            if x.numeric != y.numeric { return x.numeric }
            if x.length != y.length { return x.length > y.length }
            if x.rank != y.rank { return x.rank > y.rank }
            return x.start < y.start
        }
        let order = keys.map(\.index)
        var taken = [Bool](repeating: false, count: extent)
        var kept: [Candidate] = []
        for i in order {
            let c = candidates[i]
            guard c.start < c.end, !(c.start..<c.end).contains(where: { taken[$0] }) else { continue }
            for k in c.start..<c.end { taken[k] = true }
            kept.append(c)
        }
        // Places inside a kept organization are entities too (黑山县 in 黑山县万程膨润土有限责任公司).
        var nested: [Candidate] = []
        for org in kept where org.type == .organization {
            for i in order {
                let c = candidates[i]
                guard c.type == .place, c.start >= org.start, c.end <= org.end, c.length < org.length,
                      !nested.contains(where: { c.start < $0.end && $0.start < c.end }) else { continue }
                nested.append(c)
            }
        }
        return (kept + nested).sorted { ($0.start, -$0.length) < ($1.start, -$1.length) }
    }

    /// A String from scalar values (invalid values dropped), encoded straight to UTF-8:
    /// appending to a String.UnicodeScalarView one scalar at a time is several times slower.
    static func string(_ values: ArraySlice<UInt32>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 3)
        for v in values {
            switch v {
            case 0..<0x80:
                bytes.append(UInt8(v))
            case 0x80..<0x800:
                bytes.append(UInt8(0xC0 | v >> 6)); bytes.append(UInt8(0x80 | v & 0x3F))
            case 0xD800..<0xE000:
                continue
            case 0x800..<0x10000:
                bytes.append(UInt8(0xE0 | v >> 12)); bytes.append(UInt8(0x80 | v >> 6 & 0x3F)); bytes.append(UInt8(0x80 | v & 0x3F))
            case 0x10000..<0x110000:
                bytes.append(UInt8(0xF0 | v >> 18)); bytes.append(UInt8(0x80 | v >> 12 & 0x3F))
                bytes.append(UInt8(0x80 | v >> 6 & 0x3F)); bytes.append(UInt8(0x80 | v & 0x3F))
            default:
                continue
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func string(_ values: [UInt32]) -> String { string(values[...]) }

    /// A name's normalized form: the folded (Simplified, half-width) scalars, except that Latin
    /// capitals keep their case (the fold lower-cases them for matching only).
    static func normalizedName(original: ArraySlice<UInt32>, folded: [UInt32]) -> String {
        var out: [UInt32] = []
        out.reserveCapacity(folded.count)
        var k = 0
        for v in original where v != 0x20 && v != 0x09 && v != 0x3000 {
            guard k < folded.count else { break }
            if (0x41...0x5A).contains(v) { out.append(v) }
            else if (0xFF21...0xFF3A).contains(v) { out.append(v - 0xFEE0) }
            else { out.append(folded[k]) }
            k += 1
        }
        return out.count == folded.count ? string(out) : string(folded)
    }

    /// "YYYY-MM-DD" (or "YYYY-MM", "YYYY") → year and month.
    static func parseDate(_ date: String?) -> (Int?, Int?) {
        guard let parts = date?.split(separator: "-"), let first = parts.first, first.count == 4,
              let year = Int(first) else { return (nil, nil) }
        let month = parts.count > 1 ? Int(parts[1]).flatMap { (1...12).contains($0) ? $0 : nil } : nil
        return (year, month)
    }
}
