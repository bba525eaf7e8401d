import COpenCC

/// The one seam between the index and script folding: every scalar the index sees (documents and
/// queries alike) goes through `IndexFold.shared.fold`, which maps full-width to half-width, Traditional
/// to Simplified (per character, so offsets stay put) and upper to lower case.
///
/// The Traditional → Simplified table is taken once from OpenCC's own t2s data by converting each CJK
/// scalar on its own line (no phrase context), which yields OpenCC's character-level mapping.
/// When FolioText's `CharacterFold` lands, only `traditionalToSimplifiedTable()` changes.
public final class IndexFold: @unchecked Sendable {
    public static let shared = IndexFold()

    /// Character classes the analyzer needs; indexed by folded BMP scalar.
    enum CharClass: UInt8 {
        case separator = 0
        case cjk = 1
        case word = 2
    }

    private let bmpFold: [UInt32]
    /// Traditional → Simplified alone (no width or case folding), for text shown to people.
    private let simplifyMap: [UInt32: UInt32]
    private let bmpClass: [UInt8]

    private init() {
        var table = [UInt32](repeating: 0, count: 0x10000)
        for value in 0..<0x10000 { table[value] = UInt32(value) }
        let pairs = Self.traditionalToSimplifiedTable()
        for (from, to) in pairs { table[Int(from)] = to }
        simplifyMap = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        // Width and case folding apply after t2s so that every path ends in one canonical form.
        for value in 0..<0x10000 {
            var folded = table[value]
            if folded >= 0xFF01 && folded <= 0xFF5E { folded -= 0xFEE0 }
            if folded == 0x3000 { folded = 0x20 }
            folded = Self.lowercase(folded)
            table[value] = folded
        }
        var classes = [UInt8](repeating: 0, count: 0x10000)
        for value in 0..<0x10000 {
            classes[value] = Self.classify(table[value]).rawValue
        }
        bmpFold = table
        bmpClass = classes
    }

    /// Folds one scalar: full-width → half-width, Traditional → Simplified, upper → lower case.
    @inline(__always)
    public func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if value < 0x10000 { return Unicode.Scalar(bmpFold[Int(value)]) ?? scalar }
        return scalar
    }

    @inline(__always)
    func foldValue(_ value: UInt32) -> UInt32 {
        value < 0x10000 ? bmpFold[Int(value)] : value
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
        (value >= 0x3400 && value <= 0x4DBF) || (value >= 0x4E00 && value <= 0x9FFF)
            || (value >= 0xF900 && value <= 0xFAFF) || (value >= 0x20000 && value <= 0x3FFFF)
            || value == 0x3007
    }

    private static func classify(_ value: UInt32) -> CharClass {
        if isHan(value) { return .cjk }
        if (value >= 0x3041 && value <= 0x30FF) || (value >= 0xAC00 && value <= 0xD7AF) { return .cjk }
        guard let scalar = Unicode.Scalar(value) else { return .separator }
        let properties = scalar.properties
        if properties.isAlphabetic { return .word }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return .word
        default: return .separator
        }
    }

    /// OpenCC's character-level t2s mapping for the BMP Han ranges.
    private static func traditionalToSimplifiedTable() -> [(UInt32, UInt32)] {
        let ranges: [ClosedRange<UInt32>] = [0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF]
        let scalars = ranges.flatMap { $0 }.compactMap(Unicode.Scalar.init)
        guard let converter = opencc_open("t2s.json"), converter != UnsafeMutableRawPointer(bitPattern: -1) else {
            return []
        }
        defer { opencc_close(converter) }
        var input = String.UnicodeScalarView()
        for scalar in scalars {
            input.append(scalar)
            input.append("\n")
        }
        let source = String(input)
        let byteCount = source.utf8.count
        let converted: String? = source.withCString { pointer in
            guard let result = opencc_convert_utf8(converter, pointer, byteCount) else { return nil }
            defer { opencc_convert_utf8_free(result) }
            return String(cString: result)
        }
        guard let converted else { return [] }
        let lines = converted.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= scalars.count else { return [] }
        var pairs: [(UInt32, UInt32)] = []
        for (index, scalar) in scalars.enumerated() {
            let line = lines[index].unicodeScalars
            if line.count == 1, let target = line.first, target != scalar {
                pairs.append((scalar.value, target.value))
            }
        }
        return pairs
    }
}
