/// An article's fields as Unicode scalars, original and folded, each in one buffer for all
/// fields (two allocations per article instead of two per paragraph). Offsets of a field are
/// `bounds[k]` into both buffers.
struct ScalarText {
    var original: [UInt32] = []
    var folded: [UInt32] = []
    var bounds: [Range<Int>] = []
    /// CJK characters (U+3400…U+9FFF, U+F900…U+FAFF) and how many of them the fold changes,
    /// counted while decoding (`EntityRecognizer.isTraditional`: no second pass over the text).
    var cjk = 0
    var changed = 0

    /// `fold`: the per-character fold table (FolioText's CharacterFold, copied so that the
    /// lookup inlines here).
    init(_ fields: [EntityField], fold: [UInt16]) {
        var capacity = 0
        for f in fields { capacity += f.text.utf8.count }
        var bounds: [Range<Int>] = []
        bounds.reserveCapacity(fields.count)
        var count = 0
        // A field has at most as many scalars as UTF-8 bytes: write both buffers in one pass.
        var folded: [UInt32] = []
        var cjk = 0, changed = 0
        original = [UInt32](unsafeUninitializedCapacity: capacity) { orig, origCount in
            folded = [UInt32](unsafeUninitializedCapacity: capacity) { fol, folCount in
                fold.withUnsafeBufferPointer { table in
                    for field in fields {
                        let start = count
                        var text = field.text
                        text.withUTF8 { bytes in
                            count = Self.decode(bytes, table, orig, fol, at: count, cjk: &cjk, changed: &changed)
                        }
                        bounds.append(start..<count)
                    }
                }
                folCount = count
            }
            origCount = count
        }
        self.folded = folded
        self.bounds = bounds
        self.cjk = cjk
        self.changed = changed
    }

    /// Decodes UTF-8 (valid by construction) into `orig` and its folded form into `fol` from
    /// offset `at`; returns the new end offset.
    @inline(__always)
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ table: UnsafeBufferPointer<UInt16>,
                               _ orig: UnsafeMutableBufferPointer<UInt32>, _ fol: UnsafeMutableBufferPointer<UInt32>,
                               at offset: Int, cjk: inout Int, changed: inout Int) -> Int {
        var i = 0, k = offset
        let n = bytes.count
        while i < n {
            let b0 = UInt32(bytes[i])
            var v: UInt32
            if b0 < 0x80 {
                v = b0; i += 1
            } else if b0 < 0xE0, i + 1 < n {
                v = (b0 & 0x1F) << 6 | UInt32(bytes[i + 1]) & 0x3F; i += 2
            } else if b0 < 0xF0, i + 2 < n {
                v = (b0 & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | UInt32(bytes[i + 2]) & 0x3F; i += 3
            } else if i + 3 < n {
                v = (b0 & 0x07) << 18 | (UInt32(bytes[i + 1]) & 0x3F) << 12
                    | (UInt32(bytes[i + 2]) & 0x3F) << 6 | UInt32(bytes[i + 3]) & 0x3F; i += 4
            } else {
                v = 0xFFFD; i = n
            }
            let f = v < 0x10000 ? UInt32(table[Int(v)]) : v
            orig[k] = v
            fol[k] = f
            // Without branches (wrapping subtractions as range checks): most scalars are CJK.
            let isCJK = v &- 0x3400 < 0xA000 - 0x3400 || v &- 0xF900 < 0xFB00 - 0xF900
            cjk &+= isCJK ? 1 : 0
            changed &+= isCJK && f != v ? 1 : 0
            k += 1
        }
        return k
    }

    /// A String from scalar values (invalid values dropped), encoded straight into the String's storage.
    static func string<C: Collection>(_ values: C) -> String where C.Element == UInt32 {
        String(unsafeUninitializedCapacity: values.count * 4) { out in
            var k = 0
            for v in values {
                switch v {
                case 0..<0x80:
                    out[k] = UInt8(v); k += 1
                case 0x80..<0x800:
                    out[k] = UInt8(0xC0 | v >> 6); out[k + 1] = UInt8(0x80 | v & 0x3F); k += 2
                case 0xD800..<0xE000:
                    continue
                case 0x800..<0x10000:
                    out[k] = UInt8(0xE0 | v >> 12); out[k + 1] = UInt8(0x80 | v >> 6 & 0x3F)
                    out[k + 2] = UInt8(0x80 | v & 0x3F); k += 3
                case 0x10000..<0x110000:
                    out[k] = UInt8(0xF0 | v >> 18); out[k + 1] = UInt8(0x80 | v >> 12 & 0x3F)
                    out[k + 2] = UInt8(0x80 | v >> 6 & 0x3F); out[k + 3] = UInt8(0x80 | v & 0x3F); k += 4
                default:
                    continue
                }
            }
            return k
        }
    }
}

/// The entities of one article so far, keyed by (type, normalized scalars) without a
/// Dictionary: an open-addressing map from a 64-bit hash to the entity index, the keys' scalars
/// kept in one buffer to confirm a hit.
struct EntityKeys {
    private var map = FlatMap(capacity: 32)
    private var scalars: [UInt32] = []
    private var ranges: [Range<Int>] = []
    private var types: [Int] = []

    static func hash<S: Sequence>(type: Int, _ key: S) -> UInt64 where S.Element == UInt32 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(type)
        for v in key { h = (h ^ UInt64(v)) &* 0x100_0000_01B3 }
        return h == UInt64.max ? 0 : h
    }

    /// Index of the entity with this key, nil when new.
    func find<S: Sequence>(type: Int, hash: UInt64, _ key: S) -> Int? where S.Element == UInt32 {
        guard let i = map.get(hash).map(Int.init) else { return nil }
        if types[i] == type && scalars[ranges[i]].elementsEqual(key) { return i }
        // A 64-bit hash collision: look through every key.
        return ranges.indices.first { types[$0] == type && scalars[ranges[$0]].elementsEqual(key) }
    }

    /// Records the key of entity number `ranges.count`.
    mutating func add<S: Sequence>(type: Int, hash: UInt64, _ key: S) where S.Element == UInt32 {
        let start = scalars.count
        types.append(type)
        for v in key { scalars.append(v) }
        if map.get(hash) == nil { map.set(hash, UInt32(ranges.count)) }
        ranges.append(start..<scalars.count)
    }
}
