/// Tagger spans over Latin text that name nothing: a span cut inside a word (…the Korean econo),
/// an English sentence (We must build a bridge to the 21st century: names have few function
/// words), and a couple of letters alone (a.m.). The tagger learnt Chinese text; Latin runs in it
/// are mostly unseen. Read on folded text (letters lower-cased).
enum LatinFragments {
    static let functionWords: Set<String> = [
        "a", "an", "the", "to", "is", "are", "was", "were", "be", "been", "will", "would", "can", "must", "should",
        "we", "i", "you", "he", "she", "it", "they", "this", "that", "with", "in", "on", "at", "of", "for", "and",
        "or", "but", "not", "from", "by", "as", "our", "their", "his", "her", "its", "has", "have", "had",
    ]

    @inline(__always)
    static func isLetter(_ v: UInt32) -> Bool { (0x61...0x7A).contains(v) || (0x41...0x5A).contains(v) }

    /// Whether the span starts or ends inside a Latin word.
    static func cutsWord(_ s: UnsafeBufferPointer<UInt32>, _ c: Candidate) -> Bool {
        guard c.start >= 0, c.start < c.end, c.end <= s.count else { return false }
        return (c.start > 0 && isLetter(s[c.start - 1]) && isLetter(s[c.start]))
            || (c.end < s.count && isLetter(s[c.end - 1]) && isLetter(s[c.end]))
    }

    static func namesNothing(_ s: UnsafeBufferPointer<UInt32>, _ c: Candidate) -> Bool {
        guard c.start >= 0, c.start < c.end, c.end <= s.count else { return false }
        if cutsWord(s, c) { return true }
        var letters = 0, han = false, functions = 0
        var word: [UInt32] = []
        func endWord() {
            if !word.isEmpty, word.count <= 6, functionWords.contains(String(String.UnicodeScalarView(word.compactMap(Unicode.Scalar.init)))) {
                functions += 1
            }
            word.removeAll(keepingCapacity: true)
        }
        for i in c.start..<c.end {
            let v = s[i]
            if isLetter(v) {
                letters += 1
                word.append(v)
            } else {
                endWord()
                if v >= 0x3400 { han = true }
            }
        }
        endWord()
        guard letters > 0 else { return false }
        return functions >= 3 || (!han && letters < 3)
    }
}
