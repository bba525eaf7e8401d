import Foundation
import FolioText

/// Whether a short line reads like a title or like the first words of a paragraph that a column
/// break cut off (`近几年，某厂先后投资` over `五亿多元进行…`): a naive Bayes model over the line's
/// characters learnt from PFR training days (Data/title-fragments.tsv,
/// scripts/learn-title-fragments.py). Read only for title-like lines.
final class TitleFragments: Sendable {
    static let shared = TitleFragments()

    /// Feature hashes (FNV-1a of the UTF-8) and their weights in an open-addressing table (a power
    /// of two of slots, at most half full, key 0 marking an empty slot): no strings kept, and one
    /// probe or two per feature where a binary search over the sorted keys took fifteen.
    /// A slot's key and weight side by side: one cache line read per probe.
    private struct Slot {
        var key: UInt64 = 0
        var weight: Float = 0
    }
    private let slots: [Slot]
    private let slotShift: UInt64
    /// The weight of a feature whose hash is 0 (an empty slot's key), if the table has one.
    private let zeroKeyWeight: Float?
    private let prior: Float
    private let unseen: Float

    /// Reads the table once (`shared`); without it every line reads as a title (log-odds −∞).
    init(directory: URL? = LearntData.directory) {
        var rows: [(key: UInt64, weight: Float)] = []
        var prior = -Float.infinity, unseen: Float = 0
        DataTable.forEachRow(directory, "title-fragments.tsv") { row in
            guard row.count >= 3, row[0].count == 1,
                  let value = Float(String(decoding: row[2], as: UTF8.self)), value.isFinite else { return }
            switch row[0].first! {
            case UInt8(ascii: "P"): prior = value
            case UInt8(ascii: "D"): unseen = value
            case UInt8(ascii: "F"): rows.append((Self.hash(row[1]), value))
            default: return
            }
        }
        rows.sort { $0.key < $1.key }
        self.prior = rows.isEmpty ? -.infinity : prior
        self.unseen = unseen
        var bits: UInt64 = 4
        while (1 << bits) < rows.count * 2 { bits += 1 }
        var slots = [Slot](repeating: Slot(), count: 1 << bits)
        var zeroKeyWeight: Float?
        // In sorted order, the first of equal keys kept: what the binary search found.
        for (key, weight) in rows {
            if key == 0 {
                if zeroKeyWeight == nil { zeroKeyWeight = weight }
                continue
            }
            var slot = Self.slot(key, shift: 64 - bits)
            while slots[slot].key != 0 && slots[slot].key != key { slot = (slot + 1) & (slots.count - 1) }
            if slots[slot].key == 0 { slots[slot] = Slot(key: key, weight: weight) }
        }
        self.slots = slots
        self.slotShift = 64 - bits
        self.zeroKeyWeight = zeroKeyWeight
    }

    @inline(__always)
    private static func slot(_ key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Log-odds that `s` is a cut paragraph's start rather than a title. The features of
    /// `features` in scripts/learn-title-fragments.py, hashed as they are made (no strings: this
    /// is asked of title-like lines in every story).
    func fragmentLogOdds(_ s: [Unicode.Scalar]) -> Float {
        guard !s.isEmpty, prior.isFinite else { return -.infinity }
        let t = s.map(Self.lowered)
        var score = prior
        func add(_ scalars: ArraySlice<Unicode.Scalar>, before: String = "", after: String = "") {
            var h = FeatureHash()
            h.add(before)
            for c in scalars { h.add(c) }
            h.add(after)
            score += weight(h.value)
        }
        add(t[..<1], before: "^")
        add(t[(t.count - 1)...], after: "$")
        add(t.prefix(2), before: "^^")
        add(t.suffix(2), after: "$$")
        for i in 0..<(t.count - 1) { add(t[i...(i + 1)]) }
        add([], before: t.contains(",") ? "," : "-,")
        add([], before: "#\(min(t.count / 4, 6))")
        return score
    }

    /// Folded (Simplified, half-width) and lower-case, as the training script reads its text.
    private static func lowered(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let f = Folded.fold.fold(c)
        // Han characters and CJK marks have no case, ASCII an obvious one: no String made for them.
        let v = f.value
        if v < 0x80 { return (0x41...0x5A).contains(v) ? Unicode.Scalar(UInt8(v + 0x20)) : f }
        if (0x3000...0x303F).contains(v) || CharacterClass.isHan(f) { return f }
        let lower = f.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first! : f
    }

    private func weight(_ key: UInt64) -> Float {
        guard key != 0 else { return zeroKeyWeight ?? unseen }
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Self.slot(key, shift: slotShift)
            while true {
                let k = slots[slot].key
                if k == key { return slots[slot].weight }
                if k == 0 { return unseen }
                slot = (slot + 1) & mask
            }
        }
    }

    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h = FeatureHash()
        for b in bytes { h.add(byte: b) }
        return h.value
    }
}

/// FNV-1a over UTF-8 bytes, fed a scalar or a string at a time.
private struct FeatureHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
    mutating func add(_ s: String) { for b in s.utf8 { add(byte: b) } }
    mutating func add(_ c: Unicode.Scalar) { for b in UTF8.encode(c)! { add(byte: b) } }
}

