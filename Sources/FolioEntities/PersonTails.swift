/// A two-character name run into the word after it (梁军 + 有, 梁军 + 最, 梁军 + 仍): the tagger
/// reads three characters as the person when the third is one that given names seldom hold. Such a
/// three-character person is cut back to its first two characters when the article shows the two
/// as the name: they occur at least twice more often than the three (梁军 eight times, 梁军有
/// twice), so a full name repeated as such (徐鹏航 twice) is left alone.
extension EntityRecognizer {
    /// Share of a character's occurrences inside Chinese given names under which the tail is looked
    /// at (the article decides). Chosen on the dev split.
    static let tailGivenShare: Float = 0.01
    /// The surname share the name must open with.
    static let tailSurnameShare: Float = 0.1
    /// How many more times the two characters must occur in the article than the three.
    static let tailMoreOften = 2

    /// Cuts the tagger's people in `out[first...]` (over `s`, a field of `article`) that end so.
    static func trimPersonTails(_ s: UnsafeBufferPointer<UInt32>, _ out: inout [Candidate], from first: Int,
                                lexicon: EntityLexicon, article: UnsafeBufferPointer<UInt32>) {
        for k in first..<out.count where out[k].type == .person && out[k].end - out[k].start == 3 {
            let c = out[k]
            let head = s[c.start], second = s[c.start + 1], tail = s[c.end - 1]
            guard head < 0x10000, tail < 0x10000, isHan(second), isHan(tail),
                  lexicon.surname[Int(head)] >= tailSurnameShare,
                  lexicon.given[Int(tail)] < tailGivenShare,
                  lexicon.foreign[Int(tail)] < foreignShare else { continue }
            var pairs = 0, triples = 0
            var i = 0
            while i + 1 < article.count {
                if article[i] == head && article[i + 1] == second {
                    pairs += 1
                    if i + 2 < article.count && article[i + 2] == tail { triples += 1 }
                }
                i += 1
            }
            if pairs >= triples + tailMoreOften { out[k].end -= 1 }
        }
    }

    @inline(__always)
    static func isHan(_ v: UInt32) -> Bool { (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) }
}
