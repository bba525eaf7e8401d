import FolioModel

/// Names found in an article (folded scalars) per type, matched again in every field of it: the
/// longest found name starting at a position, with its type. Each distinct name is kept once, in
/// a chain by its first scalar ordered longest first (then by type), so that a position costs a
/// filter bit and, where a name may start, the walk of one short chain.
struct ArticleNames {
    static let types: [Folio_V1_EntityType] = [.person, .place, .organization]
    /// Longer spans are not repeated: twice the longest name of the PFR corpus (32 scalars), and
    /// matching stays linear in the text (a span the length of a field would be compared at every
    /// position of every field).
    static let longestName = 64
    /// Names kept per type: hundreds of times what a printed article holds, and the tables stay in
    /// the caches (a page dumped as one line of random text makes a name of every other word).
    static let mostNames = 4096

    private struct Entry {
        var start: Int32
        var length: Int32
        var type: Int32
        /// The next entry of the chain, −1 at its end.
        var next: Int32
    }

    private var scalars: [UInt32] = []
    private var entries: [Entry] = []
    /// First entry of each chain (by the first scalar's hash), −1 where none.
    private var heads = [Int32](repeating: -1, count: 64)
    private var counts = [0, 0, 0]
    var isEmpty: Bool { entries.isEmpty }
    /// First scalars of every name, 1024 bits: most positions of a text start no found name.
    private var firstBits = [UInt64](repeating: 0, count: 16)

    /// Distinct names of a type.
    func count(type: Int) -> Int { counts[type] }

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

    @inline(__always)
    private static func bucket(_ v: UInt32, _ count: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(v) &* 0x9E37_79B9_7F4A_7C15) >> 40) & (count - 1)
    }

    mutating func add(_ name: ArraySlice<UInt32>, type: Int) {
        guard let first = name.first, counts[type] < Self.mostNames else { return }
        let b = Self.bucket(first, heads.count)
        // Where the chain goes on to shorter names (or the same length of a later type): there.
        var previous: Int32 = -1
        var k = heads[b]
        while k >= 0 {
            let e = entries[Int(k)]
            if e.type == Int32(type) && e.length == Int32(name.count)
                && scalars[Int(e.start)..<Int(e.start + e.length)].elementsEqual(name) { return }
            if e.length < Int32(name.count) || (e.length == Int32(name.count) && e.type > Int32(type)) { break }
            previous = k
            k = e.next
        }
        let entry = Entry(start: Int32(scalars.count), length: Int32(name.count), type: Int32(type), next: k)
        scalars.append(contentsOf: name)
        let index = Int32(entries.count)
        entries.append(entry)
        if previous < 0 { heads[b] = index } else { entries[Int(previous)].next = index }
        counts[type] += 1
        firstBits[Int(first >> 6) & 15] |= 1 << UInt64(first & 63)
        if entries.count > 2 * heads.count { rehash() }
    }

    /// Twice the chains, each kept in its order (a chain splits in two, order kept within each).
    private mutating func rehash() {
        let count = 2 * heads.count
        var fresh = [Int32](repeating: -1, count: count)
        var tails = [Int32](repeating: -1, count: count)
        for old in heads {
            var k = old
            while k >= 0 {
                let next = entries[Int(k)].next
                let b = Self.bucket(scalars[Int(entries[Int(k)].start)], count)
                entries[Int(k)].next = -1
                if tails[b] < 0 { fresh[b] = k } else { entries[Int(tails[b])].next = k }
                tails[b] = k
                k = next
            }
        }
        heads = fresh
    }

    /// `longestMatch` at every position of `s` in order, calling `body(start, end, type)` for each
    /// match: the first-scalar filter read through one buffer for the whole text.
    @inline(__always)
    func forEachLongestMatch(in s: UnsafeBufferPointer<UInt32>, _ body: (Int, Int, Int) -> Void) {
        firstBits.withUnsafeBufferPointer { bits in
            for i in 0..<s.count {
                let v = s[i]
                guard bits[Int(v >> 6) & 15] & (1 << UInt64(v & 63)) != 0,
                      let (end, t) = longestMatch(s, at: i) else { continue }
                body(i, end, t)
            }
        }
    }

    /// End and type of the longest name starting at `i` (the earlier type on a tie), nil when none.
    @inline(__always)
    func longestMatch(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> (Int, Int)? {
        let v = s[i]
        guard firstBits[Int(v >> 6) & 15] & (1 << UInt64(v & 63)) != 0 else { return nil }
        var k = heads[Self.bucket(v, heads.count)]
        while k >= 0 {
            let e = entries[Int(k)]
            k = e.next
            let start = Int(e.start), length = Int(e.length)
            guard scalars[start] == v, i + length <= s.count else { continue }
            var n = 1
            while n < length && s[i + n] == scalars[start + n] { n += 1 }
            if n == length { return (i + length, Int(e.type)) }
        }
        return nil
    }
}
