/// A transliterated name the tagger cut in two (帕帕佐 + 普洛斯, 阿莱科斯·帕帕佐 + 普洛斯): two people
/// side by side with no character between them, read as one when the pieces are transliteration
/// throughout (each character often inside foreign names, or a middle dot). Chinese names in a
/// list (张育宾段建勋) stay apart: their characters are not transliteration characters.
extension EntityRecognizer {
    static func joinForeignPieces(_ s: UnsafeBufferPointer<UInt32>, _ out: inout [Candidate], from first: Int, lexicon: EntityLexicon) {
        guard out.count - first >= 2 else { return }
        func transliterated(_ c: Candidate) -> Bool {
            for k in c.start..<c.end {
                let v = s[k]
                if NameScanner.isMiddleDot(v) { continue }
                guard v < 0x10000, lexicon.foreign[Int(v)] >= foreignShare else { return false }
            }
            return true
        }
        var k = first
        while k + 1 < out.count {
            let a = out[k], b = out[k + 1]
            if a.type == .person && b.type == .person && a.end == b.start && transliterated(a) && transliterated(b) {
                out[k].end = b.end
                out.remove(at: k + 1)
            } else {
                k += 1
            }
        }
    }

    /// The share of a character's occurrences inside foreign names that marks it as transliteration
    /// (the rules' bar for continuing a foreign name past its first character).
    static let foreignShare: Float = 0.03
}
