import FolioText

/// A query word also finds its other script's phrase form. The index folds one character at a
/// time, which cannot join Taiwan's 計畫 (folded 计画) with 计划, 彷彿 (彷佛) with 仿佛, or forms of
/// another length (義大利 with 意大利): FolioText's `PhraseForms` lists them, and a phrase holding
/// one is ORed with its text in the other form (in exclusions too).
extension ParsedQuery {
    mutating func addScriptForms(_ table: ScriptFormTable = .shared) {
        clauses = clauses.map { Self.withScriptForms($0, table) }
        exclusions = Self.withScriptForms(exclusions, table)
    }

    /// The phrases and, after each, its other form when it has one not already in the list.
    private static func withScriptForms(_ phrases: [Phrase], _ table: ScriptFormTable) -> [Phrase] {
        var seen = Set(phrases.map { IndexFold.shared.fold($0.text) })
        var out: [Phrase] = []
        for phrase in phrases {
            out.append(phrase)
            if let form = table.otherForm(of: phrase.text), seen.insert(IndexFold.shared.fold(form)).inserted,
               let other = Phrase(form) {
                out.append(other)
            }
        }
        return out
    }
}

/// `PhraseForms` both ways, folded as the index folds, by first folded scalar.
struct ScriptFormTable: Sendable {
    static let shared = ScriptFormTable(PhraseForms.pairs)

    struct Entry: Sendable {
        let match: [UInt32]
        let replacement: [Unicode.Scalar]
    }

    private var byFirst: [UInt32: [Entry]] = [:]

    init(_ pairs: [PhraseForms.Pair]) {
        for pair in pairs {
            let other = pair.other.map { IndexFold.shared.foldValue($0.value) }
            let simplified = pair.simplified.map { IndexFold.shared.foldValue($0.value) }
            guard other != simplified else { continue }
            byFirst[simplified[0], default: []].append(Entry(match: simplified, replacement: pair.other))
            byFirst[other[0], default: []].append(Entry(match: other, replacement: pair.simplified))
        }
        // The longest match first at each position (藉此機會 before 藉此).
        for key in byFirst.keys { byFirst[key]?.sort { $0.match.count > $1.match.count } }
    }

    /// `text` with each listed form replaced by its other form, left to right; nil when none is in it.
    func otherForm(of text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        let folded = scalars.map { IndexFold.shared.foldValue($0.value) }
        var out = String.UnicodeScalarView()
        var changed = false
        var i = 0
        while i < folded.count {
            if let entry = byFirst[folded[i]]?.first(where: { folded[i...].starts(with: $0.match) }) {
                out.append(contentsOf: entry.replacement)
                i += entry.match.count
                changed = true
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return changed ? String(out) : nil
    }
}
