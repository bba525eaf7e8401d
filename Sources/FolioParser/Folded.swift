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

    /// Encodes into scratch space and copies that in unchecked: the scalars are valid, and
    /// `String(unsafeUninitializedCapacity:)` validated every byte again (a tenth of the parse),
    /// and kept four bytes of capacity per scalar.
    private static func utf8String(_ s: UnsafeBufferPointer<Unicode.Scalar>) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: s.count * 4) { out in
            let (k, ascii) = encode(s, into: out)
            let bytes = Span(_unsafeElements: UnsafeBufferPointer(rebasing: out[..<k]))
            return String(copying: unsafe UTF8Span(unchecked: bytes, isKnownASCII: ascii))
        }
    }

    /// A String of bytes known to be whole, valid UTF-8 (a stretch of another String's), copied
    /// without validating them again.
    static func string(validUTF8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        var all: UInt8 = 0
        for b in bytes { all |= b }
        return String(copying: unsafe UTF8Span(unchecked: Span(_unsafeElements: bytes), isKnownASCII: all < 0x80))
    }

    /// UTF-8 of `s` into `out` (room for four bytes a scalar): the byte count, and whether all were ASCII.
    @inline(__always)
    private static func encode(_ s: UnsafeBufferPointer<Unicode.Scalar>, into out: UnsafeMutableBufferPointer<UInt8>) -> (Int, Bool) {
        guard let base = out.baseAddress else { return (0, true) }
        let raw = UnsafeMutableRawPointer(base)
        var k = 0
        var all: UInt32 = 0
        for scalar in s {
            let v = scalar.value
            all |= v
            if v < 0x80 {
                base[k] = UInt8(v); k &+= 1
            } else if v < 0x800 {
                base[k] = UInt8(0xC0 | v >> 6); base[k &+ 1] = UInt8(0x80 | v & 0x3F); k &+= 2
            } else if v < 0x10000 {
                // Most of the text: its three bytes in one store (the fourth is written over next,
                // and there is room for it: four bytes a scalar).
                let bytes = (0xE0 | v >> 12) | (0x80 | v >> 6 & 0x3F) << 8 | (0x80 | v & 0x3F) << 16
                raw.storeBytes(of: bytes.littleEndian, toByteOffset: k, as: UInt32.self)
                k &+= 3
            } else {
                base[k] = UInt8(0xF0 | v >> 18); base[k &+ 1] = UInt8(0x80 | v >> 12 & 0x3F)
                base[k &+ 2] = UInt8(0x80 | v >> 6 & 0x3F); base[k &+ 3] = UInt8(0x80 | v & 0x3F); k &+= 4
            }
        }
        return (k, all < 0x80)
    }

    /// Removes every space (a name printed as 崔 治 is 崔治).
    static func withoutSpaces(_ s: ArraySlice<Unicode.Scalar>) -> String {
        string(ArraySlice(s.filter { !CharacterClass.isSpace($0) }))
    }
}
