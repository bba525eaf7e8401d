import FolioIndex

/// Filter keys in the order and with the members `Set(keys).sorted()` gives, without hashing them:
/// Swift hashes and compares non-ASCII strings through their canonical (NFC) form, which cost more
/// than the rest of an article's stored form. Among keys that `NFCQuickCheck` finds in NFC, byte order
/// and byte equality are String's order and equality; the keys of an article with any other key go
/// through a set as before.
enum FoldedKeys {
    static func sortedUnique(_ keys: [String]) -> [String] {
        guard keys.count > 1 else { return keys }
        // Every key's bytes in one buffer, sorted as spans of it: no String is copied, retained
        // or compared while sorting. A key of other characters: the set, as before.
        var bytes: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        spans.reserveCapacity(keys.count)
        for key in keys {
            let start = bytes.count
            let plain = key.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
                guard NFCQuickCheck.isNFC(utf8) else { return false }
                bytes.append(contentsOf: utf8)
                return true
            } ?? false
            guard plain else { return Set(keys).sorted() }
            spans.append((start, bytes.count - start))
        }
        var order = Array(keys.indices)
        bytes.withUnsafeBufferPointer { buffer in
            spans.withUnsafeBufferPointer { spans in
                func compare(_ a: Int, _ b: Int) -> Int {
                    let x = spans[a], y = spans[b]
                    let common = min(x.count, y.count)
                    var i = 0
                    while i < common {
                        let p = buffer[x.start + i], q = buffer[y.start + i]
                        if p != q { return Int(p) - Int(q) }
                        i += 1
                    }
                    return x.count - y.count
                }
                // Equal keys in the order given: the first of each run is the one a set keeps.
                order.sort { a, b in
                    let c = compare(a, b)
                    return c < 0 || c == 0 && a < b
                }
                var kept = 0
                for k in order.indices where k == 0 || compare(order[k - 1], order[k]) != 0 {
                    order[kept] = order[k]
                    kept += 1
                }
                order.removeSubrange(kept...)
            }
        }
        return order.map { keys[$0] }
    }
}
