import CFolioPrefetch

/// Open-addressing hash map from 64-bit keys to 32-bit values: the one structure behind every
/// dictionary lookup on the hot path (Swift's Dictionary hashes with SipHash, too slow here).
/// Key and value share one slot so that a probe touches one cache line.
struct FlatMap: Sendable {
    private struct Slot { var key: UInt64; var value: UInt32 }
    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0
    private static let empty = UInt64.max

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: Self.empty, value: 0), count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    @inline(__always)
    func get(_ key: UInt64) -> UInt32? {
        slots.withUnsafeBufferPointer { buf in
            var i = Self.slot(key, mask)
            while true {
                let k = buf[i].key
                if k == key { return buf[i].value }
                if k == Self.empty { return nil }
                i = (i + 1) & mask
            }
        }
    }

    mutating func set(_ key: UInt64, _ value: UInt32) {
        if (count + 1) * 2 > slots.count { grow() }
        var i = Self.slot(key, mask)
        while slots[i].key != Self.empty && slots[i].key != key { i = (i + 1) & mask }
        if slots[i].key == Self.empty { count += 1 }
        slots[i] = Slot(key: key, value: value)
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: Self.empty, value: 0), count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for slot in old where slot.key != Self.empty { set(slot.key, slot.value) }
    }
}

/// (node or scalar, scalar) → node for `ScalarTrie`: FlatMap's open addressing with the key (21
/// bits each) and the value (22 bits) packed in one word per slot, so the table is half FlatMap's
/// size and more of it stays in cache (the gazetteer walk probes it at most positions of a text).
struct TrieEdges: Sendable {
    private var slots: [UInt64]
    private var mask: Int
    private var count = 0
    private static let empty = UInt64.max
    private static let valueBits: UInt64 = 22
    static let maxValue: UInt32 = (1 << 22) - 1

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: Self.empty, count: size)
        mask = size - 1
    }

    /// The pair's key, nil when a value does not fit in 21 bits (no Unicode scalar is that large).
    @inline(__always)
    private static func key(_ a: UInt32, _ b: UInt32) -> UInt64? {
        guard a < (1 << 21) - 1, b < (1 << 21) - 1 else { return nil }
        return UInt64(a) << 21 | UInt64(b)
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    @inline(__always)
    func get(_ a: UInt32, _ b: UInt32) -> UInt32? {
        guard let key = Self.key(a, b) else { return nil }
        return slots.withUnsafeBufferPointer { buf in
            var i = Self.slot(key, mask)
            while true {
                let s = buf[i]
                if s == Self.empty { return nil }
                if s >> Self.valueBits == key { return UInt32(truncatingIfNeeded: s & UInt64(Self.maxValue)) }
                i = (i + 1) & mask
            }
        }
    }

    /// Asks for the pair's slot line ahead of its `get` (the table is larger than the caches).
    @inline(__always)
    func prefetch(_ a: UInt32, _ b: UInt32) {
        guard let key = Self.key(a, b) else { return }
        slots.withUnsafeBufferPointer { folio_prefetch($0.baseAddress! + Self.slot(key, mask)) }
    }

    mutating func set(_ a: UInt32, _ b: UInt32, _ value: UInt32) {
        guard let key = Self.key(a, b), value <= Self.maxValue else { preconditionFailure("trie edge out of range") }
        if (count + 1) * 2 > slots.count { grow() }
        var i = Self.slot(key, mask)
        while slots[i] != Self.empty && slots[i] >> Self.valueBits != key { i = (i + 1) & mask }
        if slots[i] == Self.empty { count += 1 }
        slots[i] = key << Self.valueBits | UInt64(value)
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: Self.empty, count: old.count * 2)
        mask = slots.count - 1
        for s in old where s != Self.empty {
            var i = Self.slot(s >> Self.valueBits, mask)
            while slots[i] != Self.empty { i = (i + 1) & mask }
            slots[i] = s
        }
    }
}

/// A trie over folded Unicode scalars; each node may carry a payload (non-zero). Children
/// live in one TrieEdges keyed by (node, scalar). Built once, read concurrently.
struct ScalarTrie: Sendable {
    private var edges = TrieEdges(capacity: 1024)
    /// Per node: its payload (low 32 bits) and a filter of its children's scalars (high 32 bits,
    /// one bit per hashed scalar): the gazetteer walk loads a node's payload anyway, and the
    /// filter then rules out most scalars with no child without probing `edges` (a table too
    /// large for the caches).
    private var nodes: [UInt64] = [0]
    private(set) var maxDepth = 0
    /// Node reached by each word's first two scalars: one probe instead of two where a walk
    /// starts (most names are two or three characters long).
    private var pairs = TrieEdges(capacity: 1024)

    /// Inserts `word` (already folded); payloads are OR-ed so one string can carry several flags.
    mutating func insert<S: Sequence>(_ word: S, payload: UInt32) where S.Element == UInt32 {
        var node: UInt32 = 0
        var depth = 0
        var first: UInt32 = 0
        for v in word {
            if depth == 0 { first = v }
            if let next = edges.get(node, v) {
                node = next
            } else {
                let next = UInt32(nodes.count)
                nodes.append(0)
                edges.set(node, v, next)
                nodes[Int(node)] |= Self.childBit(v)
                node = next
            }
            depth += 1
            if depth == 2 { pairs.set(first, v, node) }
        }
        guard depth > 0 else { return }
        nodes[Int(node)] |= UInt64(payload)
        maxDepth = max(maxDepth, depth)
    }

    /// The filter bit of a child's scalar (in the high half of its parent's word).
    @inline(__always)
    private static func childBit(_ v: UInt32) -> UInt64 { 1 << (32 + UInt64((v &* 0x9E37_79B1) >> 27)) }

    @inline(__always)
    func child(_ node: UInt32, _ v: UInt32) -> UInt32? { edges.get(node, v) }

    @inline(__always)
    func payload(_ node: UInt32) -> UInt32 { UInt32(truncatingIfNeeded: nodes[Int(node)]) }

    /// Payload of exactly `s[from..<to]`, 0 when absent.
    func lookup(_ s: UnsafeBufferPointer<UInt32>, from: Int, to: Int) -> UInt32 {
        var node: UInt32 = 0
        for i in from..<to {
            guard let next = child(node, s[i]) else { return 0 }
            node = next
        }
        return payload(node)
    }

    /// Every match starting at `from` (forward) as (end, payload), shortest first.
    @inline(__always)
    func forEachMatch(_ s: UnsafeBufferPointer<UInt32>, from: Int, limit: Int = .max,
                      _ body: (Int, UInt32) -> Void) {
        var node: UInt32 = 0
        var i = from
        let end = min(s.count, from + min(limit, maxDepth))
        while i < end, let next = child(node, s[i]) {
            node = next
            i += 1
            let p = payload(node)
            if p != 0 { body(i, p) }
        }
    }

    /// Asks for the line `forEachLongMatch(s, from:)` probes first.
    @inline(__always)
    func prefetchLongMatch(_ s: UnsafeBufferPointer<UInt32>, from: Int) {
        if from + 1 < s.count { pairs.prefetch(s[from], s[from + 1]) }
    }

    /// Like forEachMatch, for tries whose words all have two scalars or more.
    @inline(__always)
    func forEachLongMatch(_ s: UnsafeBufferPointer<UInt32>, from: Int, _ body: (Int, UInt32) -> Void) {
        guard from + 1 < s.count, var node = pairs.get(s[from], s[from + 1]) else { return }
        var i = from + 2
        var word = nodes[Int(node)]
        if UInt32(truncatingIfNeeded: word) != 0 { body(i, UInt32(truncatingIfNeeded: word)) }
        let end = min(s.count, from + maxDepth)
        while i < end, word & Self.childBit(s[i]) != 0, let next = child(node, s[i]) {
            node = next
            i += 1
            word = nodes[Int(node)]
            if UInt32(truncatingIfNeeded: word) != 0 { body(i, UInt32(truncatingIfNeeded: word)) }
        }
    }

    /// Every match of a reversed-inserted word ending just before `end`, walking backwards,
    /// as (start, payload), shortest first.
    @inline(__always)
    func forEachMatchBackward(_ s: UnsafeBufferPointer<UInt32>, endingAt end: Int,
                              _ body: (Int, UInt32) -> Void) {
        var node: UInt32 = 0
        var i = end
        let stop = max(0, end - maxDepth)
        while i > stop, let next = child(node, s[i - 1]) {
            node = next
            i -= 1
            let p = payload(node)
            if p != 0 { body(i, p) }
        }
    }

    /// Whether some word starts at `from` (no closure: callers sit on the hottest path).
    @inline(__always)
    func hasMatch(_ s: UnsafeBufferPointer<UInt32>, from: Int) -> Bool {
        var node: UInt32 = 0
        var i = from
        let end = min(s.count, from + maxDepth)
        while i < end, let next = child(node, s[i]) {
            node = next
            i += 1
            if payload(node) != 0 { return true }
        }
        return false
    }

    /// Whether some reversed-inserted word ends just before `end`.
    @inline(__always)
    func hasMatchBackward(_ s: UnsafeBufferPointer<UInt32>, endingAt end: Int) -> Bool {
        var node: UInt32 = 0
        var i = end
        let stop = max(0, end - maxDepth)
        while i > stop, let next = child(node, s[i - 1]) {
            node = next
            i -= 1
            if payload(node) != 0 { return true }
        }
        return false
    }

    /// The longest word starting at `from` as (end, payload); (-1, 0) when none.
    @inline(__always)
    func longestMatch(_ s: UnsafeBufferPointer<UInt32>, from: Int) -> (Int, UInt32) {
        var node: UInt32 = 0
        var i = from
        var best = (-1, UInt32(0))
        let end = min(s.count, from + maxDepth)
        while i < end, let next = child(node, s[i]) {
            node = next
            i += 1
            let p = payload(node)
            if p != 0 { best = (i, p) }
        }
        return best
    }
}
