import FolioText

/// The one seam between the index and script folding: every scalar the index sees (documents and
/// queries alike) goes through `IndexFold.shared.fold`, which maps full-width to half-width, Traditional
/// to Simplified (per character, so offsets stay put) and upper to lower case.
///
/// The Traditional → Simplified table is FolioText's `CharacterFold` (OpenCC's own t2s data, one
/// character at a time); on top of it this adds Unicode lower-casing and the character classes
/// the analyzer needs, all in flat BMP tables.
// @unchecked: tables filled in init and only read after (unsafe buffers the compiler cannot check).
public final class IndexFold: @unchecked Sendable {
    public static let shared = IndexFold()

    /// Character classes the analyzer needs; indexed by folded BMP scalar.
    enum CharClass: UInt8 {
        case separator = 0
        /// A character that is a unit of its own: Han, kana, hangul, letters, digits.
        case cjk = 1
        /// Not a unit at all, passed over as if absent (variation selectors: they only pick a glyph).
        case ignorable = 2
    }

    private let bmpFold: [UInt32]
    /// Scalars outside the BMP that fold (𫖯 → 頫, 𨋢 → 䢂, U+2F8xx compatibility ideographs).
    private let wideFold: [UInt32: UInt32]
    /// One bit per BMP code unit whose fold differs from itself (8 KB, stays in L1): scans of
    /// stored text look the fold up only for those.
    private let changedByFold: [UInt64]
    /// Folded BMP unit → the other units that fold to it (Traditional forms, full-width, upper case).
    private let otherForms: [UInt16: [UInt16]]
    /// Traditional → Simplified alone (no width or case folding), for text shown to people.
    private let simplifyMap: [UInt32: UInt32]
    private let bmpClass: [UInt8]
    /// Per BMP scalar its fold and the fold's class (`charClass(ofFolded:)`), as folded | class << 24:
    /// the analyzer reads one table per scalar, not two that wait for each other.
    private let bmpFoldClass: [UInt32]

    private init() {
        var table = [UInt32](repeating: 0, count: 0x10000)
        for value in 0..<0x10000 { table[value] = UInt32(value) }
        let pairs = Self.traditionalToSimplifiedTable()
        for (from, to) in pairs { table[Int(from)] = to }
        simplifyMap = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        // ○ (U+25CB) is the zero of printed years (二○○○年): searched as 〇 (U+3007).
        table[0x25CB] = 0x3007
        // Taiwan's standard forms (著 for 着) match their Simplified twins in search only.
        for (from, to) in CharacterFold.shared.searchOnlyPairs { table[Int(from)] = table[Int(to)] }
        // Width and case folding apply after t2s so that every path ends in one canonical form.
        for value in 0..<0x10000 {
            var folded = table[value]
            if folded >= 0xFF01 && folded <= 0xFF5E { folded -= 0xFEE0 }
            if folded == 0x3000 { folded = 0x20 }
            folded = Self.withoutDiacritic(Self.lowercase(folded))
            table[value] = folded
        }
        var classes = [UInt8](repeating: 0, count: 0x10000)
        for value in 0..<0x10000 {
            classes[value] = Self.classify(table[value]).rawValue
        }
        bmpFold = table
        wideFold = Dictionary(CharacterFold.shared.widePairs.map { ($0.0, $0.1 <= 0xFFFF ? table[Int($0.1)] : $0.1) },
                              uniquingKeysWith: { first, _ in first })
        var changed = [UInt64](repeating: 0, count: 0x10000 / 64)
        for value in 0..<0x10000 where table[value] != UInt32(value) { changed[value >> 6] |= 1 << UInt64(value & 63) }
        changedByFold = changed
        var forms: [UInt16: [UInt16]] = [:]
        for value in 0..<0x10000 where table[value] != UInt32(value) && table[value] < 0x10000 {
            forms[UInt16(table[value]), default: []].append(UInt16(value))
        }
        otherForms = forms
        bmpClass = classes
        bmpFoldClass = table.map { folded in
            folded | UInt32(folded < 0x10000 ? classes[Int(folded)] : Self.classify(folded).rawValue) << 24
        }
    }

    /// A hash of everything the index keys by (folds in and out of the BMP, character classes):
    /// part of the snapshot key, so that an index built under other folding is built again.
    package var fingerprint: UInt64 {
        var bytes = bmpFold.withUnsafeBytes { Array($0) } + bmpClass
        for (from, to) in wideFold.sorted(by: { $0.key < $1.key }) {
            withUnsafeBytes(of: from.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: to.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes.withUnsafeBytes { WordHash.fnv1a($0) }
    }

    /// Folds one scalar: full-width → half-width, Traditional → Simplified, upper → lower case.
    @inline(__always)
    public func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if value < 0x10000 { return Unicode.Scalar(bmpFold[Int(value)]) ?? scalar }
        return wideFold[value].flatMap(Unicode.Scalar.init) ?? scalar
    }

    @inline(__always)
    func foldValue(_ value: UInt32) -> UInt32 {
        value < 0x10000 ? bmpFold[Int(value)] : (wideFold[value] ?? value)
    }

    /// Whether a scalar is passed over by matching, as if absent: a variation selector (it only
    /// picks a glyph) or a combining diacritic (u + U+0308 is ü, which folds to u).
    @inline(__always)
    public static func isIgnorable(_ value: UInt32) -> Bool {
        (value >= 0xFE00 && value <= 0xFE0F) || (value >= 0xE0100 && value <= 0xE01EF) || (value >= 0x300 && value <= 0x36F)
    }

    /// A Latin letter with diacritics as its base letter (ü → u, é → e, ǎ → a), so that text that
    /// composes its accents (PDF text layers, wire feeds: u + U+0308) and text that does not match,
    /// and pinyin is found with or without its tones. Other scalars unchanged.
    static func withoutDiacritic(_ value: UInt32) -> UInt32 {
        guard (value >= 0xC0 && value <= 0x24F) || (value >= 0x1E00 && value <= 0x1EFF),
              let scalar = Unicode.Scalar(value) else { return value }
        let parts = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars
        guard let base = parts.first, base.isASCII, base.properties.isAlphabetic,
              parts.dropFirst().allSatisfy({ isIgnorable($0.value) }) else { return value }
        return base.value
    }

    /// Folds one stored UTF-16 unit for comparison with folded BMP keys; a unit whose fold leaves the
    /// BMP (none in practice) maps to 0xFFFF, which no key equals.
    @inline(__always)
    func foldUnit(_ unit: UInt16) -> UInt16 {
        guard changedByFold[Int(unit >> 6)] & (1 << UInt64(unit & 63)) != 0 else { return unit }
        let folded = bmpFold[Int(unit)]
        return folded < 0x10000 ? UInt16(folded) : 0xFFFF
    }

    /// Every BMP unit whose fold is `folded` (itself included when it folds to itself).
    func unitsFolding(to folded: UInt16) -> [UInt16] {
        (foldUnit(folded) == folded ? [folded] : []) + (otherForms[folded] ?? [])
    }

    /// `foldValue` and the class of the result together.
    @inline(__always)
    func foldAndClass(_ value: UInt32) -> (folded: UInt32, charClass: CharClass) {
        guard value < 0x10000 else {
            let folded = wideFold[value] ?? value
            return (folded, charClass(ofFolded: folded))
        }
        let entry = bmpFoldClass[Int(value)]
        return (entry & 0xFF_FFFF, CharClass(rawValue: UInt8(truncatingIfNeeded: entry >> 24))!)
    }

    /// Class of an already folded scalar value.
    @inline(__always)
    func charClass(ofFolded value: UInt32) -> CharClass {
        if value < 0x10000 { return CharClass(rawValue: bmpClass[Int(value)])! }
        return Self.classify(value)
    }

    /// Folds a whole string scalar by scalar (same scalar count as the input).
    public func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(fold(scalar)) }
        return String(out)
    }

    /// Traditional → Simplified per character (same scalar count).
    public func simplify(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(simplifyMap[scalar.value].flatMap(Unicode.Scalar.init) ?? scalar)
        }
        return String(out)
    }

    private static func lowercase(_ value: UInt32) -> UInt32 {
        if value >= 0x41 && value <= 0x5A { return value + 0x20 }
        if value < 0x80 { return value }
        guard let scalar = Unicode.Scalar(value), scalar.properties.isUppercase else { return value }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first!.value : value
    }

    static func isHan(_ value: UInt32) -> Bool {
        (value >= 0x2E80 && value <= 0x2FDF)  // radicals NFKC leaves alone are characters too (⺀)
            || (value >= 0x3400 && value <= 0x4DBF) || (value >= 0x4E00 && value <= 0x9FFF)
            || (value >= 0xF900 && value <= 0xFAFF) || (value >= 0x20000 && value <= 0x3FFFF)
            || value == 0x3007
    }

    /// Signs written in figures, searched as characters: `10%` is not every 10, `7.5` not a `7∶5`
    /// (a separator run matches any other). Full-width ％ and ． fold to these.
    static let figureSigns: Set<UInt32> = [0x25, 0x2E, 0xB0, 0x2030, 0x2103]  // % . ° ‰ ℃

    private static func classify(_ value: UInt32) -> CharClass {
        if isIgnorable(value) { return .ignorable }
        if isHan(value) || figureSigns.contains(value) { return .cjk }
        if (value >= 0x3041 && value <= 0x30FF) || (value >= 0xAC00 && value <= 0xD7AF) { return .cjk }
        guard let scalar = Unicode.Scalar(value) else { return .separator }
        // Letters and digits are units one by one, as Han characters are: a search for 91年, 到２,
        // HMC or 5010 finds every text holding it, as a scan would (whole words missed ＨＭＣ５０１０Ｘ).
        let properties = scalar.properties
        if properties.isAlphabetic { return .cjk }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return .cjk
        default: return .separator
        }
    }

    /// The character-level Traditional → Simplified pairs FolioText's `CharacterFold` took from
    /// OpenCC's data (Han ranges only: its width and case folding are redone above for all scripts).
    private static func traditionalToSimplifiedTable() -> [(UInt32, UInt32)] {
        let fold = CharacterFold.shared
        let ranges: [ClosedRange<UInt32>] = [0x2E80...0x2FDF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF]
        return ranges.flatMap { $0 }.compactMap { value in
            let folded = fold.fold(value: value)
            return folded != value ? (value, folded) : nil
        }
    }
}
