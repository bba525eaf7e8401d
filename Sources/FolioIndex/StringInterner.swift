import Foundation

/// Strings numbered in order of first appearance, one id per canonically equivalent string (as
/// `String` compares them).
///
/// A `[String: UInt32]` does the same, but Swift hashes and compares non-ASCII strings through
/// their NFC form, a normalization pass per lookup: interning an archive's filter keys and entity
/// names cost about 5% of a cold start's CPU. Here a string is keyed by the UTF-8 bytes of its NFC
/// form, compared with `memcmp`; the text a newspaper holds (CJK, ASCII, full-width forms) is already
/// in NFC by a quick byte check, so only rare strings are normalized.
package struct StringInterner: Sendable {
    private var ids: [NFCBytes: UInt32] = [:]
    package private(set) var strings: [String] = []

    package init() {}

    /// Ids for strings already numbered by their place in `strings` (as a segment stores them).
    package init(indexing strings: [String]) {
        self.strings = strings
        ids.reserveCapacity(strings.count)
        for (index, string) in strings.enumerated() { ids[NFCBytes(string)] = UInt32(index) }
    }

    package var count: Int { strings.count }

    package mutating func intern(_ string: String) -> UInt32 {
        let key = NFCBytes(string)
        if let id = ids[key] { return id }
        let id = UInt32(strings.count)
        strings.append(string)
        ids[key] = id
        return id
    }

    package func id(of string: String) -> UInt32? { ids[NFCBytes(string)] }

    package func string(_ id: UInt32) -> String { strings[Int(id)] }

    package mutating func reserveCapacity(_ count: Int) {
        ids.reserveCapacity(count)
        strings.reserveCapacity(count)
    }
}

/// A string's NFC form, hashed and compared byte for byte.
struct NFCBytes: Hashable, Sendable {
    private let nfc: String

    init(_ string: String) {
        nfc = NFCQuickCheck.isNFC(string) ? string : string.precomposedStringWithCanonicalMapping
    }

    func hash(into hasher: inout Hasher) {
        withBytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    static func == (lhs: NFCBytes, rhs: NFCBytes) -> Bool {
        lhs.withBytes { a in
            rhs.withBytes { b in a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) }
        }
    }

    /// The UTF-8 bytes in place (`withUTF8` would need a mutable copy: a retain per probe).
    private func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        nfc.utf8.withContiguousStorageIfAvailable(body) ?? Array(nfc.utf8).withUnsafeBufferPointer(body)
    }
}

/// Whether UTF-8 text is in NFC by a byte scan alone: true when every scalar is one that is in NFC
/// whatever surrounds it (no decomposition, combining class 0, never composes with a neighbour):
/// below U+0300, general punctuation, the CJK symbols, kana and ideographs, the full-width forms.
/// False for anything else (combining marks, Hangul, compatibility ideographs, beyond the BMP …),
/// which then needs a real normalization. Among texts it accepts, byte order and byte equality are
/// `String`'s order and equality.
package enum NFCQuickCheck {
    package static func isNFC(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            if lead < 0xCC { index += 2; continue }             // U+0080–U+02FF
            guard lead >= 0xE0, lead < 0xF0, index + 2 < bytes.count else { return false }
            let scalar = UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
            guard isNFC(scalar) else { return false }
            index += 3
        }
        return true
    }

    package static func isNFC(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(isNFC)
    }

    private static func isNFC(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x2002...0x206F: return true                                    // not U+2000/2001 (singletons)
        case 0x3000...0x3029, 0x3030...0x3098, 0x309B...0x33FF: return true  // not the combining marks
        case 0x3400...0x9FFF: return true
        case 0xFF01...0xFF5E: return true
        default: return false
        }
    }
}
