/// Filter keys in the order and with the members `Set(keys).sorted()` gives, without hashing them:
/// Swift hashes and compares non-ASCII strings through their canonical (NFC) form, which cost more
/// than the rest of an article's stored form. Keys made only of ASCII and CJK ideographs are their
/// own NFC form (none of these characters decomposes, combines or is combined with), so for two of
/// them byte order and byte equality are String's order and equality; any other key is compared
/// as a String.
enum FoldedKeys {
    static func sortedUnique(_ keys: [String]) -> [String] {
        guard keys.count > 1 else { return keys }
        var items = keys.map { (key: $0, plain: isOwnCanonicalForm($0)) }
        // Stable: of equal keys the first given is kept, as a set keeps the first inserted.
        items.sort { a, b in a.plain && b.plain ? compareBytes(a.key, b.key) < 0 : a.key < b.key }
        var out: [String] = []
        out.reserveCapacity(items.count)
        var last = items[0]
        out.append(last.key)
        for item in items.dropFirst() {
            let same = last.plain && item.plain ? compareBytes(last.key, item.key) == 0 : last.key == item.key
            if !same {
                out.append(item.key)
                last = item
            }
        }
        return out
    }

    /// Whether every scalar of `key` is ASCII or in U+3400–U+9FFF (CJK ideographs, extension A,
    /// Yijing symbols).
    static func isOwnCanonicalForm(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 { i += 1; continue }
                // U+3400–U+3FFF: E3 90–BF xx; U+4000–U+9FFF: E4–E9 xx xx.
                guard (b == 0xE3 && i + 1 < bytes.count && bytes[i + 1] >= 0x90) || (0xE4...0xE9).contains(b) else { return false }
                i += 3
            }
            return true
        }
    }

    /// Byte order of two strings' UTF-8: negative, zero or positive.
    static func compareBytes(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                var i = 0
                while i < common {
                    if x[i] != y[i] { return Int(x[i]) - Int(y[i]) }
                    i += 1
                }
                return x.count - y.count
            }
        }
    }
}
