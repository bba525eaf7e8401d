/// Open-addressing hash map from CJK term keys (unigram scalars, bigram keys) to term ids.
/// Swift's Dictionary hashes with SipHash; term lookups are the hottest operation of indexing,
/// and a multiplicative hash over flat arrays is several times faster.
struct TermTable {
    private static let empty = UInt64.max
    private(set) var keys: [UInt64]
    private(set) var values: [UInt32]
    private(set) var count = 0
    private var mask: Int
    private var shift: UInt64
    /// Fill limit in quarters: 2 (half full) while building, where lookups are the hot path; 3 for
    /// a table loaded whole from a snapshot, which only answers a few lookups per query.
    private var maxLoadQuarters: Int

    init(capacity: Int = 1024, maxLoadQuarters: Int = 2) {
        self.maxLoadQuarters = maxLoadQuarters
        var size = 16
        while size * maxLoadQuarters < capacity * 4 { size <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: size)
        values = [UInt32](repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    init(keys: [UInt64], values: [UInt32]) {
        self.init(capacity: keys.count, maxLoadQuarters: 3)
        for (key, value) in zip(keys, values) { insert(key, value) }
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E3779B97F4A7C15) >> shift) }

    @inline(__always)
    subscript(key: UInt64) -> UInt32? {
        var index = slot(key)
        while true {
            let found = keys[index]
            if found == key { return values[index] }
            if found == Self.empty { return nil }
            index = (index + 1) & mask
        }
    }

    /// Inserts or overwrites.
    mutating func insert(_ key: UInt64, _ value: UInt32) {
        precondition(key != Self.empty)
        if (count + 1) * 4 > keys.count * maxLoadQuarters { grow() }
        var index = slot(key)
        while true {
            let found = keys[index]
            if found == key {
                values[index] = value
                return
            }
            if found == Self.empty {
                keys[index] = key
                values[index] = value
                count += 1
                return
            }
            index = (index + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        self = TermTable(capacity: keys.count, maxLoadQuarters: maxLoadQuarters)
        for (key, value) in zip(oldKeys, oldValues) where key != Self.empty { insert(key, value) }
    }

    /// Every (key, value) pair, in slot order.
    var pairs: [(key: UInt64, value: UInt32)] {
        zip(keys, values).filter { $0.0 != Self.empty }.map { (key: $0.0, value: $0.1) }
    }
}
