import Foundation
import FolioText

/// Whether a short line reads like a title or like the first words of a paragraph that a column
/// break cut off (`近几年，某厂先后投资` over `五亿多元进行…`): a naive Bayes model over the line's
/// characters learnt from PFR training days (Data/title-fragments.tsv,
/// scripts/learn-title-fragments.py). Read only for title-like lines, so strings are fine here.
final class TitleFragments: Sendable {
    static let shared = TitleFragments()

    private let weights: [String: Float]
    private let prior: Float
    private let unseen: Float

    /// Reads the table once (`shared`); without it every line reads as a title (log-odds −∞).
    init(directory: URL? = LearntData.directory) {
        var w: [String: Float] = [:]
        var prior = -Float.infinity, unseen: Float = 0
        DataTable.forEachRow(directory, "title-fragments.tsv") { row in
            guard row.count >= 3, row[0].count == 1,
                  let value = Float(String(decoding: row[2], as: UTF8.self)), value.isFinite else { return }
            switch row[0].first! {
            case UInt8(ascii: "P"): prior = value
            case UInt8(ascii: "D"): unseen = value
            case UInt8(ascii: "F"): w[String(decoding: row[1], as: UTF8.self)] = value
            default: return
            }
        }
        weights = w
        self.prior = w.isEmpty ? -.infinity : prior
        self.unseen = unseen
    }

    /// Log-odds that `s` is a cut paragraph's start rather than a title.
    func fragmentLogOdds(_ s: [Unicode.Scalar]) -> Float {
        guard !s.isEmpty, prior.isFinite else { return -.infinity }
        return Self.features(Folded.of(s)).reduce(prior) { $0 + (weights[$1] ?? unseen) }
    }

    /// Mirrors `features` in scripts/learn-title-fragments.py (on folded, lower-case text).
    static func features(_ folded: [Unicode.Scalar]) -> [String] {
        let s = folded.map { Unicode.Scalar($0.properties.lowercaseMapping.unicodeScalars.count == 1
                                            ? $0.properties.lowercaseMapping.unicodeScalars.first! : $0) }
        func text(_ part: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(part)) }
        var out = ["^" + text(s[..<1]), text(s[(s.count - 1)...]) + "$",
                   "^^" + text(s.prefix(2)), text(s.suffix(2)) + "$$"]
        for i in 0..<(s.count - 1) { out.append(text(s[i...(i + 1)])) }
        out.append(s.contains(",") ? "," : "-,")
        out.append("#\(min(s.count / 4, 6))")
        return out
    }
}
