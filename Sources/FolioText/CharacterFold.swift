import Foundation

/// Per-character folding for hot paths (parsing, indexing, matching): Traditional → Simplified
/// one scalar at a time (so offsets never move), full-width → half-width, ASCII upper → lower.
///
/// The Traditional → Simplified table is taken once at start-up from OpenCC's own data by
/// converting every BMP CJK character on its own with `t2s` (and `s2t` to learn which
/// characters exist only in Simplified); a character `t2s` keeps but `hk2s` changes (Hong Kong
/// standard forms: 衞, 敍) folds to that.
/// Pairs with a side outside the BMP (頫/𫖯, 鰊/𬶠, 𨋢/䢂: OpenCC run over the supplementary CJK
/// blocks too) fold together to a BMP member where the pair has one, so that the BMP table stays
/// 16-bit and BMP text never takes another path; only scalars outside the BMP look in `wide`.
/// Kangxi radicals (⾹ for 香), CJK radical supplement forms with a plain ideograph (⻄ for 西) and
/// compatibility ideographs (U+F9DC for 隆) fold like the ideograph Unicode's NFKC gives them.
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
    /// Scalars outside the BMP that fold (to a BMP scalar where their class has one); the rest fold
    /// to themselves.
    @usableFromInline let wide: [UInt32: UInt32]
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
    /// The supplementary-plane CJK blocks (Extensions B–I and the compatibility supplement).
    static let wideRanges: [ClosedRange<UInt32>] = [0x20000...0x2A6DF, 0x2A700...0x2EE5F, 0x2F800...0x2FA1F,
                                                    0x30000...0x323AF]

    /// CJK Radicals Supplement forms that stand for one plain ideograph (Unicode's
    /// EquivalentUnifiedIdeograph.txt; NFKC gives only ⺟ and ⻳). Forms without a clear ideograph
    /// are left as they are.
    static let radicalSupplement: [UInt32: UInt32] = [
        0x2E81: 0x5382, 0x2E85: 0x4EBB, 0x2E86: 0x5182, 0x2E89: 0x5202, 0x2E8A: 0x535C,
        0x2E8C: 0x5C0F, 0x2E8D: 0x5C0F, 0x2E92: 0x5DF3, 0x2E93: 0x5E7A, 0x2E96: 0x5FC4,
        0x2E98: 0x624C, 0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708, 0x2E9F: 0x6BCD,
        0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA3: 0x706C, 0x2EA4: 0x722B, 0x2EA7: 0x725B, 0x2EA8: 0x72AD,
        0x2EA9: 0x738B, 0x2EAC: 0x793A, 0x2EAD: 0x793B, 0x2EAE: 0x7AF9, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F,
        0x2EB6: 0x7F8A, 0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EBD: 0x81FC,
        0x2EC1: 0x864E, 0x2EC2: 0x8864, 0x2EC3: 0x8980, 0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2,
        0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D, 0x2ECB: 0x8F66, 0x2ECC: 0x8FB6, 0x2ECF: 0x961D, 0x2ED0: 0x9485,
        0x2ED1: 0x9577, 0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED6: 0x961D, 0x2ED7: 0x96E8, 0x2ED8: 0x9752,
        0x2ED9: 0x97E6, 0x2EDA: 0x9875, 0x2EDB: 0x98CE, 0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDF: 0x98E0,
        0x2EE0: 0x9963, 0x2EE2: 0x9A6C, 0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F,
        0x2EE7: 0x5364, 0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50,
        0x2EED: 0x6B6F, 0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C, 0x2EF2: 0x4E80,
        0x2EF3: 0x9F9F,
    ]

    /// Scalars Unicode's NFKC maps to one ideograph: Kangxi radicals (U+2F00–2FD5) and compatibility
    /// ideographs (U+F900–FAFF, U+2F800–2FA1F), with the supplement forms above.
    static func ideographVariants() -> [(UInt32, UInt32)] {
        var pairs: [(UInt32, UInt32)] = radicalSupplement.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for range: ClosedRange<UInt32> in [0x2F00...0x2FD5, 0xF900...0xFAFF, 0x2F800...0x2FA1F] {
            for v in range {
                guard let s = Unicode.Scalar(v) else { continue }
                let mapped = String(Character(s)).precomposedStringWithCompatibilityMapping.unicodeScalars
                guard mapped.count == 1, let to = mapped.first, to.value != v else { continue }
                pairs.append((v, to.value))
            }
        }
        return pairs
    }

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
        // Pairs with a side outside the BMP, joined after the BMP table is done.
        var widePairs: [(UInt32, UInt32)] = []
        for (i, s) in scalars.enumerated() {
            let v = Int(s.value)
            if let to = simplified?[i], to != s, to.value <= 0xFFFF {
                table[v] = UInt16(to.value)
                flags[v] |= ScriptFlags.traditionalOnly.rawValue
                mapped += 1
            } else if let to = simplified?[i], to != s {  // 頫 → 𫖯
                widePairs.append((s.value, to.value))
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
            if let form = regional?[i], form.value > 0xFFFF, table[v] == UInt16(v) { widePairs.append((UInt32(v), form.value)) }
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
        // Outside the BMP: OpenCC's t2s and hk2s over the supplementary blocks (𨋢 → 䢂).
        var wideScalars: [Unicode.Scalar] = []
        for range in Self.wideRanges {
            for v in range { if let s = Unicode.Scalar(v) { wideScalars.append(s) } }
        }
        let wideJoined = String(String.UnicodeScalarView(wideScalars.flatMap { [$0, "\n"] }))
        for config in ["t2s.json", Self.regionalConfig] {
            guard let out = Self.lines(try? converter.convert(wideJoined, config: config), count: wideScalars.count) else { continue }
            for (i, s) in wideScalars.enumerated() {
                if let to = out[i], to != s { widePairs.append((s.value, to.value)); mapped += 1 }
            }
        }
        // Radicals and compatibility ideographs fold as their ideograph does (⾨ → 門 → 门).
        for (from, to) in Self.ideographVariants() {
            if from <= 0xFFFF && to <= 0xFFFF {
                table[Int(from)] = table[Int(to)]
            } else {
                widePairs.append((from, to))
            }
        }
        wide = Self.joining(widePairs, into: &table)
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

    /// Joins each pair's classes (a BMP scalar stands for its fold in `table`): a class with a BMP
    /// member folds to one (the smallest of its BMP folds; BMP scalars that folded to another are
    /// moved to it), else to its smallest member that no pair folds on. Returns the folds of the
    /// scalars outside the BMP.
    static func joining(_ pairs: [(UInt32, UInt32)], into table: inout [UInt16]) -> [UInt32: UInt32] {
        var parent: [UInt32: UInt32] = [:]
        func node(_ v: UInt32) -> UInt32 { v <= 0xFFFF ? UInt32(table[Int(v)]) : v }
        func root(_ v: UInt32) -> UInt32 {
            var r = v
            while let p = parent[r], p != r { r = p }
            var c = v
            while let p = parent[c], p != r { parent[c] = r; c = p }
            return r
        }
        for (a, b) in pairs {
            let ra = root(node(a)), rb = root(node(b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var members: [UInt32: [UInt32]] = [:]
        for (a, b) in pairs { for v in [a, b] { members[root(node(v)), default: []].append(node(v)) } }
        let folding = Set(pairs.map(\.0))
        var wide: [UInt32: UInt32] = [:]
        var moved: [UInt16: UInt16] = [:]
        for (_, nodes) in members {
            let unique = Set(nodes)
            let bmp = unique.filter { $0 <= 0xFFFF }
            let target = bmp.min() ?? unique.filter { !folding.contains($0) }.min() ?? unique.min()!
            for n in unique where n != target {
                if n <= 0xFFFF { moved[UInt16(n)] = UInt16(target) } else { wide[n] = target }
            }
        }
        if !moved.isEmpty {
            for v in 0..<0x10000 { if let to = moved[table[v]] { table[v] = to } }
        }
        return wide
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
        var bytes = t2s.withUnsafeBytes { Array($0) }
        for (from, to) in wide.sorted(by: { $0.key < $1.key }) {
            withUnsafeBytes(of: from.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: to.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes.withUnsafeBytes(body)
    }

    /// The folds of scalars outside the BMP (each to a BMP scalar where its class has one).
    public var widePairs: [(UInt32, UInt32)] { wide.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// The folded form of one scalar (Simplified, half-width, lower-case).
    @inlinable @inline(__always)
    public func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let v = scalar.value
        guard v < 0x10000 else { return wide[v].flatMap(Unicode.Scalar.init) ?? scalar }
        return Unicode.Scalar(UInt32(t2s[Int(v)])) ?? scalar
    }

    /// The folded value of one scalar value (fast path for UTF-32 buffers).
    @inlinable @inline(__always)
    public func fold(value v: UInt32) -> UInt32 {
        v < 0x10000 ? UInt32(t2s[Int(v)]) : (wide[v] ?? v)
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
