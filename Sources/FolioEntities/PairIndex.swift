import CFolioPrefetch

/// Open-addressed set of character pairs, each slot one word: the pair (21 bits per character,
/// folded codes and the tagger's bos/eos all fit) and the index of its rows (22 bits). One probe
/// reads one word from a table half FlatMap's size, so it mostly stays in cache.
struct PairIndex: Sendable {
    private var slots: [UInt64]
    private var mask: Int
    private var count = 0
    /// Pairs present, as bits of a small filter that stays in the first-level cache: most
    /// pairs of a text are absent, and the filter answers for them without touching the slots.
    private(set) var filter = PairFilter()
    private static let empty = UInt64.max
    static let maxIndex: UInt32 = (1 << 22) - 1

    init(capacity: Int) {
        var size = 16
        while size * 3 < capacity * 4 { size <<= 1 }
        slots = [UInt64](repeating: Self.empty, count: size)
        mask = size - 1
    }

    /// The pair's key, nil when a character does not fit in 21 bits.
    @inline(__always)
    static func key(_ a: UInt32, _ b: UInt32) -> UInt64? {
        // All-ones is the empty slot: no character may be all ones.
        guard a < (1 << 21) - 1, b < (1 << 21) - 1 else { return nil }
        return UInt64(a) << 21 | UInt64(b)
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    /// Adds a pair (unique keys only, as the model's sorted tables are); false when it does not fit.
    mutating func insert(_ a: UInt32, _ b: UInt32, index: UInt32) -> Bool {
        guard let key = Self.key(a, b), index <= Self.maxIndex else { return false }
        // Up to three quarters full: the table stays half the size (more of it in cache) and a
        // probe still mostly ends within the slot's cache line.
        if (count + 1) * 4 > slots.count * 3 { grow() }
        var i = Self.slot(key, mask)
        while slots[i] != Self.empty {
            if slots[i] >> 22 == key { return false }
            i = (i + 1) & mask
        }
        slots[i] = key << 22 | UInt64(index)
        count += 1
        filter.insert(key)
        return true
    }

    /// ORs `bits` into the pair's index, adding the pair with `bits` as its index when absent;
    /// false when it does not fit.
    mutating func setBits(_ a: UInt32, _ b: UInt32, _ bits: UInt32) -> Bool {
        guard let key = Self.key(a, b), bits <= Self.maxIndex else { return false }
        var i = Self.slot(key, mask)
        while slots[i] != Self.empty {
            if slots[i] >> 22 == key {
                slots[i] |= UInt64(bits)
                return true
            }
            i = (i + 1) & mask
        }
        return insert(a, b, index: bits)
    }

    /// Twice the slots, every entry placed again (a slot holds its whole entry).
    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: Self.empty, count: old.count * 2)
        mask = slots.count - 1
        for s in old where s != Self.empty {
            var i = Self.slot(s >> 22, mask)
            while slots[i] != Self.empty { i = (i + 1) & mask }
            slots[i] = s
        }
    }

    /// Row index of the pair, −1 when absent.
    @inline(__always)
    func get(_ a: UInt32, _ b: UInt32, in buf: UnsafeBufferPointer<UInt64>, filter bits: UnsafeBufferPointer<UInt64>) -> Int32 {
        guard let key = Self.key(a, b), PairFilter.mayContain(key, bits) else { return -1 }
        return probe(key, buf)
    }

    /// The same without the filter, for pairs known to be present (its test would be wasted).
    @inline(__always)
    func get(_ a: UInt32, _ b: UInt32, in buf: UnsafeBufferPointer<UInt64>) -> Int32 {
        guard let key = Self.key(a, b) else { return -1 }
        return probe(key, buf)
    }

    /// Asks for the pair's slot line ahead of its `get`, for a pair known to be present.
    @inline(__always)
    func prefetch(_ a: UInt32, _ b: UInt32, in buf: UnsafeBufferPointer<UInt64>) {
        guard let key = Self.key(a, b), let base = buf.baseAddress else { return }
        folio_prefetch(base + Self.slot(key, mask))
    }

    /// Asks for the pair's filter word and slot line ahead of its `get`, whether or not the pair
    /// is present: testing the filter here was a branch the CPU could not predict, taken on a
    /// word that mostly missed the first-level cache.
    @inline(__always)
    func prefetch(_ a: UInt32, _ b: UInt32, in buf: UnsafeBufferPointer<UInt64>, filter bits: UnsafeBufferPointer<UInt64>) {
        guard let key = Self.key(a, b), let base = buf.baseAddress, let words = bits.baseAddress else { return }
        folio_prefetch(words + (PairFilter.bit(key) >> 6))
        folio_prefetch(base + Self.slot(key, mask))
    }

    @inline(__always)
    private func probe(_ key: UInt64, _ buf: UnsafeBufferPointer<UInt64>) -> Int32 {
        var i = Self.slot(key, mask)
        while true {
            let s = buf[i]
            if s == Self.empty { return -1 }
            if s >> 22 == key { return Int32(truncatingIfNeeded: s & UInt64(Self.maxIndex)) }
            i = (i + 1) & mask
        }
    }

    func withSlots<R>(_ body: (UnsafeBufferPointer<UInt64>) -> R) -> R { slots.withUnsafeBufferPointer(body) }

    /// The same index without its own slots and filter, for a reader that was handed copies of
    /// them (`get` and `prefetch` take the tables as arguments; only the mask stays).
    func withoutTables() -> PairIndex {
        var copy = self
        copy.slots = []
        copy.filter = PairFilter(words: [])
        return copy
    }
}

/// A one-hash bit filter over pair keys: no false negatives, about one false positive in
/// twenty for the tagger's tables.
struct PairFilter: Sendable {
    static let bits = 18
    private(set) var words = [UInt64](repeating: 0, count: (1 << bits) / 64)

    init() {}

    init(words: [UInt64]) { self.words = words }

    @inline(__always)
    static func bit(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0xD6E8_FEB8_6659_FD93) >> UInt64(64 - bits)) }

    mutating func insert(_ key: UInt64) {
        let b = Self.bit(key)
        words[b >> 6] |= 1 << UInt64(b & 63)
    }

    @inline(__always)
    static func mayContain(_ key: UInt64, _ words: UnsafeBufferPointer<UInt64>) -> Bool {
        let b = bit(key)
        return words[b >> 6] & (1 << UInt64(b & 63)) != 0
    }
}
