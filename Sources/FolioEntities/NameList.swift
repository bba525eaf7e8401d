/// The tagger's list of names learnt in training, as a trie whose edges (node, character) live in
/// a PairIndex: each step of a walk is one filter bit, and a slot probe only when the edge may
/// exist. Payload per node: bit t set when a name of type t ends there.
struct NameList: Sendable {
    private var edges = PairIndex(capacity: 1 << 12)
    /// A listed name's first two characters → the node they lead to: a walk starts with one
    /// probe of this table instead of two dependent edge probes.
    private(set) var starts = PairIndex(capacity: 1 << 12)
    private var payloads: [UInt8] = [0]
    private(set) var maxDepth = 0
    var isEmpty: Bool { payloads.count == 1 }

    /// Adds a name of `type` (0…7); false when it cannot be stored (the list is full).
    mutating func insert(_ word: [UInt32], type: Int) -> Bool {
        var node: UInt32 = 0
        for v in word {
            let child = edges.withSlots { slots in
                edges.filter.words.withUnsafeBufferPointer { edges.get(node, v, in: slots, filter: $0) }
            }
            if child >= 0 {
                node = UInt32(child)
            } else {
                let next = UInt32(payloads.count)
                guard edges.insert(node, v, index: next) else { return false }
                payloads.append(0)
                node = next
            }
        }
        guard node != 0 else { return true }
        if word.count >= 2 {
            let second = edges.withSlots { slots in
                edges.get(UInt32(edges.get(0, word[0], in: slots)), word[1], in: slots)
            }
            let known = starts.withSlots { starts.get(word[0], word[1], in: $0) }
            if known < 0 { guard second >= 0, starts.insert(word[0], word[1], index: UInt32(second)) else { return false } }
        }
        payloads[Int(node)] |= UInt8(1 << type)
        maxDepth = max(maxDepth, word.count)
        return true
    }

    /// Per type, the length of the longest listed name starting at `from` (0: none), for a walk
    /// whose first two characters are known to be a listed name's first pair and lead to
    /// `second` (from `starts`; names have two characters at least).
    @inline(__always)
    func longest(_ s: UnsafeBufferPointer<UInt32>, from: Int, second: UInt32, slots: UnsafeBufferPointer<UInt64>,
                 filter: UnsafeBufferPointer<UInt64>, payloads p: UnsafeBufferPointer<UInt8>) -> SIMD4<Int32> {
        var out = SIMD4<Int32>(repeating: 0)
        var node = second
        var i = from + 2
        let end = min(s.count, from + maxDepth)
        while true {
            let flags = p[Int(node)]
            if flags != 0 {
                for t in 0..<3 where flags & (1 << UInt8(t)) != 0 { out[t] = Int32(i - from) }
            }
            guard i < end else { break }
            let child = edges.get(node, s[i], in: slots, filter: filter)
            guard child >= 0 else { break }
            node = UInt32(child)
            i += 1
        }
        return out
    }

    /// The same list without its tables, for a reader that was handed copies of them
    /// (`longest` takes them as arguments).
    func withoutTables() -> NameList {
        var copy = self
        copy.edges = edges.withoutTables()
        copy.starts = starts.withoutTables()
        copy.payloads = []
        return copy
    }

    func withTables<R>(_ body: (UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<UInt8>) -> R) -> R {
        edges.withSlots { slots in
            edges.filter.words.withUnsafeBufferPointer { filter in
                payloads.withUnsafeBufferPointer { body(slots, filter, $0) }
            }
        }
    }
}
