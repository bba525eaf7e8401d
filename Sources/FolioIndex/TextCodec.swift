/// The stored text of a segment as a byte code made for its own characters: the 127 most frequent
/// UTF-16 units take one byte, the next 4,032 two, any other unit four. Chinese newspaper text
/// comes to about 1.5 bytes per character instead of UTF-16's 2.
///
/// Like UTF-8 the code synchronizes itself: one-byte codes are 0x00–0x7F, leads 0xC0–0xFF and
/// trail bytes 0x80–0xBF, so a byte that is not a trail always starts a character, a scan may
/// compare bytes anywhere, and 0x0A is only ever the newline between fields.
/// - 0x00–0x7F: `units[byte]` (0x0A is always the newline);
/// - lead 0xC0–0xFE, trail t: `units[128 + (lead − 0xC0) × 64 + (t − 0x80)]`;
/// - 0xFF and three trails: the unit itself, 6 + 6 + 4 bits.
struct TextCodec {
    static let oneByteCount = 128
    static let twoByteCount = 63 * 64
    static let tableCount = oneByteCount + twoByteCount
    static let newline: UInt16 = 0x0A

    /// Decoding table; slots no unit uses hold U+FFFD.
    let units: [UInt16]
    /// `unit << 16 | slot` for each unit's first slot, sorted: finds a unit's code without a
    /// 65,536-entry table per segment.
    private let slotIndex: [UInt32]
    /// Whether a one- or two-byte code stands for a surrogate (else only the escape can).
    let hasSurrogateSlots: Bool

    init(units: [UInt16]) {
        self.units = units
        hasSurrogateSlots = units.contains { $0 & 0xF800 == 0xD800 }
        var firstSlots: [UInt16: Int] = [:]
        for (slot, unit) in units.enumerated() where firstSlots[unit] == nil { firstSlots[unit] = slot }
        slotIndex = firstSlots.map { UInt32($0.key) << 16 | UInt32($0.value) }.sorted()
    }

    /// The code of a segment that keeps no text: every slot but the newline unused.
    static let none = TextCodec(coding: [])

    /// A code for the units of `text`, most frequent first.
    init(coding text: [UInt16]) {
        var counts = [Int](repeating: 0, count: 1 << 16)
        for unit in text { counts[Int(unit)] += 1 }
        let ranked = (0..<(1 << 16)).filter { counts[$0] > 0 && $0 != Int(Self.newline) }
            .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var table = [UInt16](repeating: 0xFFFD, count: Self.tableCount)
        table[Int(Self.newline)] = Self.newline
        var slot = 0
        for unit in ranked {
            if slot == Int(Self.newline) { slot += 1 }
            guard slot < Self.tableCount else { break }
            table[slot] = UInt16(unit)
            slot += 1
        }
        self.init(units: table)
    }

    /// Unit → code, for encoding: `length << 16 | slot`, 0 for units without a slot (escaped).
    func encodingTable() -> [UInt32] {
        var codes = [UInt32](repeating: 0, count: 1 << 16)
        for (slot, unit) in units.enumerated() {
            guard codes[Int(unit)] == 0 else { continue }
            codes[Int(unit)] = UInt32(slot < Self.oneByteCount ? 1 : 2) << 16 | UInt32(slot)
        }
        return codes
    }

    @inline(__always)
    static func append(_ unit: UInt16, codes: [UInt32], to bytes: inout [UInt8]) {
        let code = codes[Int(unit)]
        switch code >> 16 {
        case 1:
            bytes.append(UInt8(code & 0x7F))
        case 2:
            let index = Int(code & 0xFFFF) - oneByteCount
            bytes.append(UInt8(0xC0 + index / 64))
            bytes.append(UInt8(0x80 + index % 64))
        default:
            bytes.append(0xFF)
            bytes.append(UInt8(0x80 | (unit >> 10)))
            bytes.append(UInt8(0x80 | ((unit >> 4) & 0x3F)))
            bytes.append(UInt8(0x80 | (unit & 0x0F)))
        }
    }

    /// The first byte of `unit`'s code and, for a two-byte code, the second (escaped units: 0xFF).
    func codeBytes(of unit: UInt16) -> (lead: UInt8, trail: UInt8?) {
        var low = 0, high = slotIndex.count
        while low < high {
            let mid = (low + high) / 2
            if slotIndex[mid] >> 16 < UInt32(unit) { low = mid + 1 } else { high = mid }
        }
        guard low < slotIndex.count, slotIndex[low] >> 16 == UInt32(unit) else { return (0xFF, nil) }
        let slot = Int(slotIndex[low] & 0xFFFF)
        if slot < Self.oneByteCount { return (UInt8(slot), nil) }
        let index = slot - Self.oneByteCount
        return (UInt8(0xC0 + index / 64), UInt8(0x80 + index % 64))
    }

    @inline(__always)
    static func isTrail(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// Bytes of the character whose first byte is `lead`.
    @inline(__always)
    static func length(lead: UInt8) -> Int { lead < 0x80 ? 1 : (lead == 0xFF ? 4 : 2) }

    /// Decodes the character at `position` (a character start inside a checked stream), advancing.
    @inline(__always)
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> UInt16 {
        let lead = bytes[position]
        if lead < 0x80 {
            position += 1
            return units[Int(lead)]
        }
        if lead != 0xFF {
            let unit = units[Self.oneByteCount + Int(lead - 0xC0) * 64 + Int(bytes[position + 1] & 0x3F)]
            position += 2
            return unit
        }
        let unit = UInt16(bytes[position + 1] & 0x3F) << 10 | UInt16(bytes[position + 2] & 0x3F) << 4
            | UInt16(bytes[position + 3] & 0x0F)
        position += 4
        return unit
    }

    /// Appends the units of `range` (character starts at both ends) to `output`.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into output: inout [UInt16]) {
        var position = range.lowerBound
        while position < range.upperBound { output.append(decode(bytes, &position)) }
    }

    /// The characters of `range` as a String, transcoded straight to UTF-8 (no UTF-16 buffer); text
    /// that may hold surrogates goes through UTF-16 so that pairs are joined.
    func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        if hasSurrogateSlots || bytes[range].contains(0xFF) {
            var units: [UInt16] = []
            decode(bytes, range, into: &units)
            return units.withUnsafeBufferPointer(stringFromUTF16)
        }
        return String(unsafeUninitializedCapacity: range.count * 3) { buffer in
            var out = 0
            var position = range.lowerBound
            while position < range.upperBound {
                writeUTF8(UInt32(decode(bytes, &position)), to: buffer, at: &out)
            }
            return out
        }
    }

    /// Whether `bytes` is a sequence of whole characters (snapshot checks): every lead is followed
    /// by its trails, no trail stands alone, nothing is cut at the end.
    static func isWellFormed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // A state machine without data-dependent branches (this runs over the whole text at start-up):
        // `pending` trails are owed; a byte must be a trail exactly when one is owed.
        var pending: UInt8 = 0
        var broken: UInt8 = 0
        for byte in bytes {
            let trail: UInt8 = byte & 0xC0 == 0x80 ? 1 : 0
            broken |= trail ^ (pending > 0 ? 1 : 0)
            let opened: UInt8 = byte < 0xC0 ? 0 : (byte == 0xFF ? 3 : 1)
            pending = pending > 0 ? pending - 1 : opened
        }
        return broken == 0 && pending == 0
    }
}
