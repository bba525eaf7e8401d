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

    static func string(_ s: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(s)) }
    static func string(_ s: [Unicode.Scalar]) -> String { String(String.UnicodeScalarView(s)) }

    /// Removes every space (a name printed as 崔 治 is 崔治).
    static func withoutSpaces(_ s: ArraySlice<Unicode.Scalar>) -> String {
        string(ArraySlice(s.filter { !CharacterClass.isSpace($0) }))
    }
}
