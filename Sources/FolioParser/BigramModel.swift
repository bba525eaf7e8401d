import Foundation
import FolioText

/// Character-bigram statistics learnt from PFR training days (Data/bigrams.tsv, scripts/learn-bigrams.py).
/// Used to decide which fragment continues a paragraph cut at a column break.
final class BigramModel: Sendable {
    static let shared = BigramModel()

    private let bigrams: [UInt64: UInt32]
    private let unigrams: [UInt32: UInt32]
    private let total: Double

    /// Reads Data/bigrams.tsv once (`shared`); a missing table leaves every pair unseen.
    init(directory: URL? = LearntData.directory) {
        var uni: [UInt32: UInt32] = [:]
        var bi: [UInt64: UInt32] = [:]
        var totalCount: UInt64 = 0
        uni.reserveCapacity(4000)
        bi.reserveCapacity(60000)
        DataTable.forEachRow(directory, "bigrams.tsv") { row in
            guard row.count >= 3, row[0].count == 1, let n = DataTable.integer(row[2]) else { return }
            // One or two characters: a small String, made without allocating.
            var first: UInt32 = 0, second: UInt32 = 0, length = 0
            for scalar in String(decoding: row[1], as: UTF8.self).unicodeScalars {
                if length == 0 { first = scalar.value } else if length == 1 { second = scalar.value }
                length += 1
            }
            switch (row[0].first!, length) {
            case (UInt8(ascii: "T"), _):
                totalCount = n
            case (UInt8(ascii: "U"), 1) where n <= UInt64(UInt32.max):
                uni[first] = UInt32(n)
            case (UInt8(ascii: "B"), 2) where n <= UInt64(UInt32.max):
                bi[Self.key(first, second)] = UInt32(n)
            default:
                return
            }
        }
        unigrams = uni
        bigrams = bi
        total = Double(max(totalCount, 1))
    }

    @inline(__always)
    static func key(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

    /// How much more likely `b` follows `a` than it appears at all (pointwise mutual
    /// information, natural log, smoothed). Around 0 for unrelated characters, strongly
    /// positive inside words, strongly negative for pairs never seen together.
    func association(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Double {
        let fold = CharacterFold.shared
        let fa = fold.fold(value: a.value), fb = fold.fold(value: b.value)
        let ca = Double(unigrams[fa] ?? 0) + 1
        let cb = Double(unigrams[fb] ?? 0) + 1
        let cab = Double(bigrams[Self.key(fa, fb)] ?? 0) + 0.5
        // PMI = log( P(ab) / (P(a) P(b)) )
        return log(cab * total / (ca * cb))
    }

    /// log(count + 1) of a character (folded) in the training days: 0 for one never seen.
    func unigramLogFrequency(_ scalar: Unicode.Scalar) -> Double {
        log(Double(unigrams[CharacterFold.shared.fold(value: scalar.value)] ?? 0) + 1)
    }

    /// How often `b` followed `a` in the training days (folded).
    func count(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> UInt32 {
        let fold = CharacterFold.shared
        return bigrams[Self.key(fold.fold(value: a.value), fold.fold(value: b.value))] ?? 0
    }

    /// Evidence that `tail` (end of one fragment) and `head` (start of another) were one text:
    /// the junction bigram counts most; a neighbouring pair adds a little.
    func joinScore(tail: ArraySlice<Unicode.Scalar>, head: ArraySlice<Unicode.Scalar>) -> Double {
        guard let a = tail.last, let b = head.first else { return -20 }
        var score = association(a, b)
        if tail.count >= 2, head.count >= 1 {
            score += 0.25 * association(tail[tail.index(before: tail.endIndex - 1)], b)
        }
        if head.count >= 2 {
            score += 0.25 * association(a, head[head.startIndex + 1])
        }
        return score
    }
}
