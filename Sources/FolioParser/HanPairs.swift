import FolioText

/// Distinct pairs of adjacent Han characters: the words two short texts share, without a
/// dictionary (a headline and the text it heads, a picture's title and its caption).
enum HanPairs {
    /// Pairs two texts must share to be about the same thing.
    static let leastShared = 2

    /// Of folded text.
    static func of(_ s: [Unicode.Scalar]) -> Set<UInt64> {
        var out: Set<UInt64> = []
        for k in s.indices.dropFirst() where CharacterClass.isHan(s[k - 1]) && CharacterClass.isHan(s[k]) {
            out.insert(BigramModel.key(s[k - 1].value, s[k].value))
        }
        return out
    }

    static func of(_ text: String) -> Set<UInt64> { of(Folded.of(Array(text.unicodeScalars))) }
}
