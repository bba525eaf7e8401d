import CFolioPrefetch
import Foundation

/// Strings numbered in order of first appearance, one id per canonically equivalent string (as
/// `String` compares them).
///
/// A `[String: UInt32]` does the same, but Swift hashes and compares non-ASCII strings through
/// their NFC form (a normalization pass per lookup), with SipHash, and retains each key it probes:
/// interning an archive's filter keys and entity names cost about 6% of a cold start's CPU. Here a
/// string is keyed by the UTF-8 bytes of its NFC form (the text a newspaper holds is in NFC by a
/// quick byte check, so only rare strings are normalized), in an open-addressing table of ids with
/// a cheap multiplicative hash, compared with `memcmp`.
package struct StringInterner: Sendable {
    package private(set) var strings: [String] = []
    /// The NFC form of each string that is not in NFC itself (few or none).
    private var forms: [UInt32: String] = [:]
    /// Linear probing; a slot holds the hash in its high half and id + 1 in its low half (0 when
    /// empty), so that a probe reads no other array until the hashes agree. At most half full.
    private var slots = [UInt64](repeating: 0, count: 16)

    package init() {}

    /// Ids for strings already numbered by their place in `strings` (as a segment stores them); of
    /// canonically equal strings, the last one's id is found.
    package init(indexing strings: [String]) {
        reserveCapacity(strings.count)
        for string in strings {
            let form = Self.nfc(string), hash = Self.hash(form)
            let id = UInt32(self.strings.count)
            append(string, form: form)
            switch find(form, hash: hash) {
            case .found(_, let slot), .empty(let slot): slots[slot] = Self.entry(hash: hash, id: id)
            }
        }
    }

    package var count: Int { strings.count }

    package mutating func intern(_ string: String) -> UInt32 {
        let form = Self.nfc(string), hash = Self.hash(form)
        switch find(form, hash: hash) {
        case .found(let id, _):
            return id
        case .empty(let slot):
            let id = UInt32(strings.count)
            append(string, form: form)
            slots[slot] = Self.entry(hash: hash, id: id)
            if strings.count * 2 > slots.count { grow() }
            return id
        }
    }

    package func id(of string: String) -> UInt32? {
        let form = Self.nfc(string)
        if case .found(let id, _) = find(form, hash: Self.hash(form)) { return id }
        return nil
    }

    package func string(_ id: UInt32) -> String { strings[Int(id)] }

    /// Starts loading the slot `string` hashes to (see folio_prefetch): the table is larger than the
    /// cache, and prefetching a batch of strings before interning them overlaps the misses that were
    /// most of an intern's cost, instead of paying them one after another.
    package func prefetch(_ string: String) {
        guard NFCQuickCheck.isNFC(string) else { return }
        let hash = Self.hash(string)
        slots.withUnsafeBufferPointer { folio_prefetch($0.baseAddress! + (Int(hash) & ($0.count - 1))) }
    }

    package mutating func reserveCapacity(_ count: Int) {
        strings.reserveCapacity(count)
        while count * 2 > slots.count { grow() }
    }

    private enum Probe {
        case found(UInt32, slot: Int)
        case empty(slot: Int)
    }

    private func find(_ form: String, hash: UInt32) -> Probe {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return .empty(slot: slot) }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let id = UInt32(truncatingIfNeeded: entry) - 1
                let stored = forms.isEmpty ? strings[Int(id)] : forms[id] ?? strings[Int(id)]
                if Self.sameBytes(stored, form) { return .found(id, slot: slot) }
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func append(_ string: String, form: String) {
        if !Self.sameBytes(string, form) { forms[UInt32(strings.count)] = form }
        strings.append(string)
    }

    private static func entry(hash: UInt32, id: UInt32) -> UInt64 { UInt64(hash) << 32 | UInt64(id + 1) }

    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for entry in slots where entry != 0 {
            var slot = Int(entry >> 32) & mask
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = entry
        }
        slots = larger
    }

    private static func nfc(_ string: String) -> String {
        NFCQuickCheck.isNFC(string) ? string : string.precomposedStringWithCanonicalMapping
    }

    /// FNV-1a over the bytes, 8 at a time, then mixed: a table in memory needs no SipHash.
    private static func hash(_ form: String) -> UInt32 {
        withBytes(form) { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            var h = WordHash.fnv1a(raw)
            h ^= UInt64(raw.count)
            h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
            return UInt32(truncatingIfNeeded: h ^ (h >> 32))
        }
    }

    /// Whether both strings are the same UTF-8 bytes (no normalization: equal bytes, equal ids).
    package static func sameBytes(_ a: String, _ b: String) -> Bool {
        withBytes(a) { x in
            withBytes(b) { y in x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) }
        }
    }

    /// The UTF-8 bytes in place (`withUTF8` would need a mutable copy: a retain per call).
    private static func withBytes<Result>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        string.utf8.withContiguousStorageIfAvailable(body) ?? Array(string.utf8).withUnsafeBufferPointer(body)
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
