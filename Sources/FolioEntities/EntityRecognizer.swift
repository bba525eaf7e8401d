import Foundation
import FolioModel

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
        var byKey: [String: Int] = [:]
        var explicitText: Set<Int> = []
        for field in fields {
            let original = Array(field.text.unicodeScalars)
            let folded = original.map { ScalarFold.shared.fold($0.value) }
            let kept = folded.withUnsafeBufferPointer { buf -> [Candidate] in
                var candidates: [Candidate] = []
                numeric.scan(buf, into: &candidates)
                names.scan(buf, taken: candidates, into: &candidates)
                return Self.resolve(candidates)
            }
            for c in kept {
                let normalized = c.normalized ?? Self.string(folded[c.start..<c.end]).filter { !$0.isWhitespace }
                guard !normalized.isEmpty else { continue }
                let key = "\(c.type.rawValue)\u{1}\(normalized)"
                var mention = Folio_V1_Mention()
                mention.field = field.field
                mention.block = UInt32(clamping: field.index)
                mention.start = UInt32(c.start)
                mention.end = UInt32(c.end)
                let text = Self.string(original[c.start..<c.end])
                if let at = byKey[key] {
                    entities[at].mentions.append(mention)
                    // Prefer a date written out (2022年) over a relative one (今年) as the display text.
                    if c.explicit && !explicitText.contains(at) {
                        entities[at].text = text
                        explicitText.insert(at)
                    }
                } else {
                    var e = Folio_V1_Entity()
                    e.type = c.type
                    e.text = text
                    e.normalized = normalized
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

    /// Keeps the best non-overlapping candidates: numeric forms first, then longer spans,
    /// then surer sources (gazetteer over rules over statistics).
    static func resolve(_ candidates: [Candidate]) -> [Candidate] {
        guard !candidates.isEmpty else { return [] }
        let order = candidates.indices.sorted { a, b in
            let x = candidates[a], y = candidates[b]
            if (x.rank == Rank.numeric) != (y.rank == Rank.numeric) { return x.rank == Rank.numeric }
            if x.length != y.length { return x.length > y.length }
            if x.rank != y.rank { return x.rank > y.rank }
            return x.start < y.start
        }
        var taken: [(Int, Int)] = []
        var kept: [Candidate] = []
        for i in order {
            let c = candidates[i]
            if taken.contains(where: { c.start < $0.1 && $0.0 < c.end }) { continue }
            taken.append((c.start, c.end))
            kept.append(c)
        }
        return kept.sorted { $0.start < $1.start }
    }

    static func string<C: Collection>(_ scalars: C) -> String where C.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    static func string<C: Collection>(_ values: C) -> String where C.Element == UInt32 {
        string(values.compactMap(Unicode.Scalar.init))
    }

    /// "YYYY-MM-DD" (or "YYYY-MM", "YYYY") → year and month.
    static func parseDate(_ date: String?) -> (Int?, Int?) {
        guard let parts = date?.split(separator: "-"), let first = parts.first, first.count == 4,
              let year = Int(first) else { return (nil, nil) }
        let month = parts.count > 1 ? Int(parts[1]).flatMap { (1...12).contains($0) ? $0 : nil } : nil
        return (year, month)
    }
}
