import FolioText

/// Scalar-array helpers on folded (Simplified, half-width) text. Folding keeps offsets, so an
/// index found in the folded form is valid in the original.
enum Folded {
    static let fold = CharacterFold.shared

    static func of(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] { s.map { fold.fold($0) } }

    static func scalars(_ literal: String) -> [Unicode.Scalar] { Array(literal.unicodeScalars) }

    /// Whether `s` has `prefix` at `index`.
    static func has(_ s: [Unicode.Scalar], _ prefix: [Unicode.Scalar], at index: Int = 0) -> Bool {
        guard index >= 0, index + prefix.count <= s.count else { return false }
        for k in 0..<prefix.count where s[index + k] != prefix[k] { return false }
        return true
    }

    /// First index of `needle` in `s` at or after `from`.
    static func find(_ s: [Unicode.Scalar], _ needle: [Unicode.Scalar], from: Int = 0) -> Int? {
        guard !needle.isEmpty, s.count >= needle.count else { return nil }
        var i = max(from, 0)
        while i + needle.count <= s.count {
            if s[i] == needle[0] && has(s, needle, at: i) { return i }
            i += 1
        }
        return nil
    }

    static func string(_ s: ArraySlice<Unicode.Scalar>) -> String { s.withUnsafeBufferPointer(utf8String) }
    static func string(_ s: [Unicode.Scalar]) -> String { s.withUnsafeBufferPointer(utf8String) }

    /// Encodes straight into the String's storage: UnicodeScalarView.append goes scalar by
    /// scalar through generic code and was the parser's largest cost.
    private static func utf8String(_ s: UnsafeBufferPointer<Unicode.Scalar>) -> String {
        String(unsafeUninitializedCapacity: s.count * 4) { out in
            var k = 0
            for scalar in s {
                let v = scalar.value
                if v < 0x80 {
                    out[k] = UInt8(v); k += 1
                } else if v < 0x800 {
                    out[k] = UInt8(0xC0 | v >> 6); out[k + 1] = UInt8(0x80 | v & 0x3F); k += 2
                } else if v < 0x10000 {
                    out[k] = UInt8(0xE0 | v >> 12); out[k + 1] = UInt8(0x80 | v >> 6 & 0x3F)
                    out[k + 2] = UInt8(0x80 | v & 0x3F); k += 3
                } else {
                    out[k] = UInt8(0xF0 | v >> 18); out[k + 1] = UInt8(0x80 | v >> 12 & 0x3F)
                    out[k + 2] = UInt8(0x80 | v >> 6 & 0x3F); out[k + 3] = UInt8(0x80 | v & 0x3F); k += 4
                }
            }
            return k
        }
    }

    /// Removes every space (a name printed as 崔 治 is 崔治).
    static func withoutSpaces(_ s: ArraySlice<Unicode.Scalar>) -> String {
        string(ArraySlice(s.filter { !CharacterClass.isSpace($0) }))
    }
}
