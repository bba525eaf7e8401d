/// Per-character folding for hot paths (parsing, indexing, matching): Traditional → Simplified
/// one scalar at a time (so offsets never move), full-width → half-width, ASCII upper → lower.
///
/// The Traditional → Simplified table is taken once at start-up from OpenCC's own data by
/// converting every BMP CJK character on its own with `t2s` (and `s2t` to learn which
/// characters exist only in Simplified); a character `t2s` keeps but `hk2s` changes (Hong Kong
/// standard forms: 衞, 敍) folds to that. Characters outside the BMP fold to themselves.
/// Taiwan's standard forms `tw2s` changes (著 for the particle 着) are only offered to search
/// (`searchOnlyPairs`): folding them here would change what the name tagger reads (著名).
public final class CharacterFold: Sendable {
    public static let shared = CharacterFold()

    /// Script membership of one character.
    public struct ScriptFlags: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// t2s changes it: it is written only in Traditional text.
        public static let traditionalOnly = ScriptFlags(rawValue: 1)
        /// t2s keeps it and s2t changes it: it is written only in Simplified text.
        public static let simplifiedOnly = ScriptFlags(rawValue: 2)
    }

    @usableFromInline let t2s: [UInt16]      // BMP scalar → simplified scalar (identity when unchanged)
    @usableFromInline let flags: [UInt8]     // BMP scalar → ScriptFlags raw value
    /// `flags` two bits a scalar, 32 scalars a word (scalar v in bits 2·(v % 32) of word v / 32):
    /// 16 KB that stay in the first-level cache in a pass over a page, where the 64 KB of `flags` did not.
    @usableFromInline let packedFlags: [UInt64]
    /// Number of characters the t2s table changes (0 means OpenCC data was unavailable).
    public let mappedCount: Int
    /// Whether some scalar folds to one of a longer UTF-8 encoding.
    let widens: Bool

    /// OpenCC's Hong Kong → Simplified configuration, asked after `t2s`.
    static let regionalConfig = "hk2s.json"
    /// OpenCC's Taiwan → Simplified configuration, for `searchOnlyPairs`.
    static let searchOnlyConfig = "tw2s.json"

    /// Characters `tw2s` folds where this table keeps them (著 → 着), with their folded forms:
    /// search matches them, names are read as printed.
    public let searchOnlyPairs: [(UInt32, UInt32)]

    /// CJK blocks whose characters OpenCC converts.
    static let cjkRanges: [ClosedRange<UInt32>] = [0x2E80...0x2FDF, 0x3000...0x303F, 0x3400...0x4DBF,
                                                   0x4E00...0x9FFF, 0xF900...0xFAFF]

    public init(converter: ScriptConverter = .shared) {
        var table = [UInt16](unsafeUninitializedCapacity: 0x10000) { buf, n in
            for i in 0..<0x10000 { buf[i] = UInt16(i) }
            n = 0x10000
        }
        var flags = [UInt8](repeating: 0, count: 0x10000)
        var scalars: [Unicode.Scalar] = []
        for range in Self.cjkRanges {
            for v in range { if let s = Unicode.Scalar(v) { scalars.append(s) } }
        }
        // One character per line: OpenCC's phrase tables never span a newline.
        let joined = String(String.UnicodeScalarView(scalars.flatMap { [$0, "\n"] }))
        let simplified = Self.lines(try? converter.convert(joined, to: .simplified), count: scalars.count)
        let traditional = Self.lines(try? converter.convert(joined, to: .traditional), count: scalars.count)
        // Regional standard forms: folded like their Simplified twins, but not counted as
        // Traditional-only.
        let regional = Self.lines(try? converter.convert(joined, config: Self.regionalConfig), count: scalars.count)
        let taiwan = Self.lines(try? converter.convert(joined, config: Self.searchOnlyConfig), count: scalars.count)
        var mapped = 0
        var unchanged: [Int] = []
        for (i, s) in scalars.enumerated() {
            let v = Int(s.value)
            if let to = simplified?[i], to != s, to.value <= 0xFFFF {
                table[v] = UInt16(to.value)
                flags[v] |= ScriptFlags.traditionalOnly.rawValue
                mapped += 1
            } else {
                unchanged.append(i)
                if let to = traditional?[i], to != s { flags[v] |= ScriptFlags.simplifiedOnly.rawValue }
            }
        }
        // Through t2s again: hk2s writes some characters in a form t2s takes back (抬 → 擡).
        func foldedOther(_ form: Unicode.Scalar?, of v: Int) -> UInt16? {
            guard let form, form.value <= 0xFFFF, Int(form.value) != v else { return nil }
            let folded = table[Int(form.value)]
            return Int(folded) != v ? folded : nil
        }
        for i in unchanged {
            let v = Int(scalars[i].value)
            guard let folded = foldedOther(regional?[i], of: v) else { continue }
            table[v] = folded
            mapped += 1
        }
        // Chains closed (苧 → 苎 where 苎 folds on): every character folds to a fixed point, so
        // that two spellings never fold apart.
        for v in 0..<0x10000 where table[v] != UInt16(v) {
            var to = table[v], steps = 0
            while table[Int(to)] != to, steps < 4 { to = table[Int(to)]; steps += 1 }
            if table[Int(to)] == to { table[v] = to }
        }
        searchOnlyPairs = unchanged.compactMap { i in
            let v = Int(scalars[i].value)
            guard table[v] == UInt16(v), let folded = foldedOther(taiwan?[i], of: v) else { return nil }
            return (UInt32(v), UInt32(folded))
        }
        // Width and case folding.
        for v in 0xFF01...0xFF5E { table[v] = UInt16(v - 0xFEE0) }
        table[0x3000] = 0x20
        for v in 0x41...0x5A { table[v] = UInt16(v + 0x20) }
        for v in 0xFF21...0xFF3A { table[v] = UInt16(v - 0xFEE0 + 0x20) }
        self.t2s = table
        self.flags = flags
        var packed = [UInt64](repeating: 0, count: 0x10000 / 32)
        for v in 0..<0x10000 { packed[v >> 5] |= UInt64(flags[v] & 3) << UInt64((v & 31) << 1) }
        self.packedFlags = packed
        self.mappedCount = mapped
        widens = table.indices.contains { v in
            Unicode.Scalar(UInt32(v)).map { Unicode.Scalar(UInt32(table[v]))?.utf8.count ?? 0 > $0.utf8.count } ?? false
        }
    }

    /// Splits converted output back into one scalar per input character (nil when the
    /// converter was unavailable or changed the line structure).
    private static func lines(_ text: String?, count: Int) -> [Unicode.Scalar?]? {
        guard let text else { return nil }
        var out: [Unicode.Scalar?] = []
        out.reserveCapacity(count)
        var current: [Unicode.Scalar] = []
        for s in text.unicodeScalars {
            if s == "\n" {
                out.append(current.count == 1 ? current[0] : nil)
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(s)
            }
        }
        return out.count == count ? out : nil
    }

    /// The table's bytes (a snapshot built under another table, such as older OpenCC data, is not read).
    public func withTableBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        t2s.withUnsafeBytes(body)
    }

    /// The folded form of one scalar (Simplified, half-width, lower-case).
    @inlinable @inline(__always)
    public func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let v = scalar.value
        guard v < 0x10000 else { return scalar }
        return Unicode.Scalar(UInt32(t2s[Int(v)])) ?? scalar
    }

    /// The folded value of one scalar value (fast path for UTF-32 buffers).
    @inlinable @inline(__always)
    public func fold(value v: UInt32) -> UInt32 {
        v < 0x10000 ? UInt32(t2s[Int(v)]) : v
    }

    /// Folds a whole string scalar by scalar; the result has exactly as many scalars.
    public func fold(_ text: String) -> String {
        // Written as UTF-8 into the string's own storage (appending to a scalar view grows it per
        // scalar). When no folded scalar takes more UTF-8 bytes than its source, the input's byte
        // count is room enough.
        let count = text.utf8.count
        guard count > 0 else { return text }
        guard !widens else {
            var out = String.UnicodeScalarView()
            for s in text.unicodeScalars { out.append(fold(s)) }
            return String(out)
        }
        return String(unsafeUninitializedCapacity: count) { out in
            var n = 0
            for s in text.unicodeScalars {
                for unit in fold(s).utf8 {
                    out[n] = unit
                    n += 1
                }
            }
            return n
        }
    }

    /// Which script(s) a character belongs to exclusively.
    @inlinable @inline(__always)
    public func scriptFlags(_ scalar: Unicode.Scalar) -> ScriptFlags {
        let v = scalar.value
        return v < 0x10000 ? ScriptFlags(rawValue: flags[Int(v)]) : []
    }
}
