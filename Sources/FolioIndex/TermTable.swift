import FolioMemory
import CFolioPrefetch

/// Open-addressing hash map from CJK term keys (unigram scalars, bigram keys) to term ids.
/// Swift's Dictionary hashes with SipHash; term lookups are the hottest operation of indexing,
/// and a multiplicative hash over flat arrays is several times faster. A key and its value share a
/// slot: a lookup in a table larger than the cache costs one miss, not two.
struct TermTable {
    private static let empty = UInt64.max
    /// 12 bytes (a 64-bit key would pad the slot to 16).
    private struct Slot {
        private var keyLow: UInt32
        private var keyHigh: UInt32
        var value: UInt32

        init(key: UInt64, value: UInt32) {
            keyLow = UInt32(truncatingIfNeeded: key)
            keyHigh = UInt32(truncatingIfNeeded: key >> 32)
            self.value = value
        }

        var key: UInt64 { UInt64(keyHigh) << 32 | UInt64(keyLow) }
    }
    private var slots: [Slot]
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
        // Probed at random by every token of a build: huge pages spare those probes TLB misses.
        slots = [Slot](unsafeUninitializedCapacity: size) { buffer, initialized in
            HugePages.advise(buffer.baseAddress!, size * MemoryLayout<Slot>.stride)
            buffer.initialize(repeating: Slot(key: Self.empty, value: 0))
            initialized = size
        }
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    init(keys: [UInt64], values: [UInt32]) {
        self.init(capacity: keys.count, maxLoadQuarters: 3)
        for (key, value) in zip(keys, values) { insert(key, value) }
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E3779B97F4A7C15) >> shift) }

    /// Slots in the table (for memory accounting).
    var capacity: Int { slots.count }
    static let bytesPerSlot = MemoryLayout<Slot>.stride

    @inline(__always)
    subscript(key: UInt64) -> UInt32? {
        slots.withUnsafeBufferPointer { slots in
            var index = slot(key)
            while true {
                let found = slots[index]
                if found.key == key { return found.value }
                if found.key == Self.empty { return nil }
                index = (index + 1) & mask
            }
        }
    }

    /// Starts loading the slot where `key` would be found (see folio_prefetch).
    @inline(__always)
    func prefetch(_ key: UInt64) {
        slots.withUnsafeBufferPointer { folio_prefetch($0.baseAddress! + slot(key)) }
    }

    /// Inserts or overwrites.
    mutating func insert(_ key: UInt64, _ value: UInt32) {
        precondition(key != Self.empty)
        if (count + 1) * 4 > slots.count * maxLoadQuarters { grow() }
        var index = slot(key)
        while true {
            let found = slots[index].key
            if found == key || found == Self.empty {
                if found == Self.empty { count += 1 }
                slots[index] = Slot(key: key, value: value)
                return
            }
            index = (index + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        self = TermTable(capacity: slots.count, maxLoadQuarters: maxLoadQuarters)
        for entry in old where entry.key != Self.empty { insert(entry.key, entry.value) }
    }

    /// This table refilled to ¾ (a finished segment's table answers only a few lookups per query;
    /// the half-full table a build needs takes up to twice the memory).
    func packed() -> TermTable {
        var table = TermTable(capacity: count, maxLoadQuarters: 3)
        for entry in slots where entry.key != Self.empty { table.insert(entry.key, entry.value) }
        return table
    }

    /// Every (key, value) pair, in slot order.
    /// Keys (then values) of the filled slots, in slot order, without an array of them.
    func forEachKey(_ body: (UInt64) -> Void) {
        for slot in slots where slot.key != Self.empty { body(slot.key) }
    }

    func forEachPair(_ body: (UInt64, UInt32) -> Void) {
        for slot in slots where slot.key != Self.empty { body(slot.key, slot.value) }
    }

    func forEachValue(_ body: (UInt32) -> Void) {
        for slot in slots where slot.key != Self.empty { body(slot.value) }
    }
}
