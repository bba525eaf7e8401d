import Foundation
import FolioText

/// Whether a short line reads like a title or like the first words of a paragraph that a column
/// break cut off (`近几年，某厂先后投资` over `五亿多元进行…`): a naive Bayes model over the line's
/// characters learnt from PFR training days (Data/title-fragments.tsv,
/// scripts/learn-title-fragments.py). Read only for title-like lines.
final class TitleFragments: Sendable {
    static let shared = TitleFragments()

    /// Feature hashes (FNV-1a of the UTF-8) in ascending order, and their weights: a third of the
    /// memory of a dictionary of strings, read only for title-like lines.
    private let keys: [UInt64]
    private let weights: [Float]
    private let prior: Float
    private let unseen: Float

    /// Reads the table once (`shared`); without it every line reads as a title (log-odds −∞).
    init(directory: URL? = LearntData.directory) {
        var rows: [(key: UInt64, weight: Float)] = []
        var prior = -Float.infinity, unseen: Float = 0
        DataTable.forEachRow(directory, "title-fragments.tsv") { row in
            guard row.count >= 3, row[0].count == 1,
                  let value = Float(String(decoding: row[2], as: UTF8.self)), value.isFinite else { return }
            switch row[0].first! {
            case UInt8(ascii: "P"): prior = value
            case UInt8(ascii: "D"): unseen = value
            case UInt8(ascii: "F"): rows.append((Self.hash(row[1]), value))
            default: return
            }
        }
        rows.sort { $0.key < $1.key }
        keys = rows.map(\.key)
        weights = rows.map(\.weight)
        self.prior = rows.isEmpty ? -.infinity : prior
        self.unseen = unseen
    }

    /// Log-odds that `s` is a cut paragraph's start rather than a title.
    func fragmentLogOdds(_ s: [Unicode.Scalar]) -> Float {
        guard !s.isEmpty, prior.isFinite else { return -.infinity }
        return Self.features(Folded.of(s)).reduce(prior) { $0 + weight(Self.hash(Array($1.utf8)[...])) }
    }

    private func weight(_ key: UInt64) -> Float {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < keys.count && keys[lo] == key ? weights[lo] : unseen
    }

    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
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
