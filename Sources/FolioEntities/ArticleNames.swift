import FolioModel

/// Names found in an article (folded scalars) per type, matched again in every field of it: the
/// longest found name starting at a position, with its type.
struct ArticleNames {
    static let types: [Folio_V1_EntityType] = [.person, .place, .organization]
    private var lists = [PersonNames](repeating: PersonNames(), count: 3)
    private(set) var isEmpty = true
    /// Longer spans are not repeated: twice the longest name of the PFR corpus (32 scalars), and
    /// matching stays linear in the text (a span the length of a field would be compared at every
    /// position of every field).
    static let longestName = 64
    /// Names kept per type: hundreds of times what a printed article holds, and the tables stay in
    /// the caches (a page dumped as one line of random text makes a name of every other word).
    static let mostNames = 4096
    /// First scalars of every name, 1024 bits: most positions of a text start no found name.
    private var firstBits = [UInt64](repeating: 0, count: 16)

    /// Index of a name type in `types`, nil for other types.
    @inline(__always)
    static func slot(_ type: Folio_V1_EntityType) -> Int? {
        switch type {
        case .person: return 0
        case .place: return 1
        case .organization: return 2
        default: return nil
        }
    }

    mutating func add(_ name: ArraySlice<UInt32>, type: Int) {
        guard let first = name.first, lists[type].count < Self.mostNames else { return }
        lists[type].add(name)
        firstBits[Int(first >> 6) & 15] |= 1 << UInt64(first & 63)
        isEmpty = false
    }

    /// End and type of the longest name starting at `i` (the earlier type on a tie), nil when none.
    @inline(__always)
    func longestMatch(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> (Int, Int)? {
        let v = s[i]
        guard firstBits[Int(v >> 6) & 15] & (1 << UInt64(v & 63)) != 0 else { return nil }
        var best: (Int, Int)?
        for t in 0..<3 where !lists[t].isEmpty {
            let end = lists[t].longestMatch(s, at: i)
            if end > (best?.0 ?? 0) { best = (end, t) }
        }
        return best
    }
}
