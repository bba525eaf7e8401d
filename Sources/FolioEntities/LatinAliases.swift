/// A name followed by its Latin form in brackets (世界贸易组织（WTO）, 比尔·盖茨 (Bill Gates)): the
/// Latin form names the same entity, there and wherever else the article prints it (IBM alone,
/// after 国际商用机器公司（IBM）). The tagger reads Latin letters as one code and finds none of them.
struct LatinAliases {
    /// Folded Latin form without spaces → (type slot, the bracketed name's folded key).
    private(set) var keys: [[UInt32]: (slot: Int, key: [UInt32])] = [:]
    var isEmpty: Bool { keys.isEmpty }

    static let longest = 60

    /// Looks after each name of `kept` (ordered by start) in `buf` (folded) for `（Latin）` and
    /// records the Latin form as the name's alias; returns the Latin spans (start, end, slot).
    mutating func find(after kept: [Candidate], in buf: UnsafeBufferPointer<UInt32>) -> [(start: Int, end: Int, slot: Int)] {
        var spans: [(start: Int, end: Int, slot: Int)] = []
        for c in kept {
            guard let slot = ArticleNames.slot(c.type), c.end < buf.count, c.start < c.end else { continue }
            var i = c.end
            if buf[i] == 0x20 { i += 1 }
            guard i < buf.count, buf[i] == 0x28 || buf[i] == 0xFF08 else { continue }   // ( （
            let start = i + 1
            var end = start, letters = 0
            while end < buf.count, end - start <= Self.longest, Self.mayBeInName(buf[end]) {
                if LatinFragments.isLetter(buf[end]) { letters += 1 }
                end += 1
            }
            guard end < buf.count, buf[end] == 0x29 || buf[end] == 0xFF09, letters >= 2,
                  LatinFragments.isLetter(buf[start]), buf[end - 1] != 0x20 else { continue }
            let form = Array(buf[start..<end].filter { $0 != 0x20 })
            let key = Array(buf[c.start..<c.end].filter { $0 != 0x20 && $0 != 0x09 })
            if keys[form] == nil { keys[form] = (slot, key) }
            spans.append((start, end, slot))
        }
        return spans
    }

    /// The key of the entity a Latin form names, when it is an alias of the type's slot.
    func key<C: Collection>(of folded: C, slot: Int) -> [UInt32]? where C.Element == UInt32 {
        guard let entry = keys[Array(folded)], entry.slot == slot else { return nil }
        return entry.key
    }

    @inline(__always)
    static func mayBeInName(_ v: UInt32) -> Bool {
        LatinFragments.isLetter(v) || Numerals.isArabicDigit(v) || v == 0x20 || v == 0x2E || v == 0x2D || v == 0x26 || v == 0x27
    }
}
