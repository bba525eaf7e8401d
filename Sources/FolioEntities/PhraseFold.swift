import FolioText

/// Traditional phrases whose Simplified form is another phrase of the same length (彷彿 → 仿佛,
/// 計畫 → 计划, 瞭解 → 了解), applied to folded text after the per-character fold, which gives
/// 彷佛, 计画, 瞭解: words no Simplified text has, which the tagger reads as unknown names. Offsets
/// stay put (same length); a phrase of another length (義大利 → 意大利) is left alone.
struct PhraseFold: Sendable {
    /// First folded scalar → (folded Traditional form, folded Simplified form), longest first.
    private var byFirst: [UInt32: [(match: [UInt32], replacement: [UInt32])]] = [:]
    /// One bit per BMP scalar that opens a form: most characters cost one load.
    private var opens = [UInt64](repeating: 0, count: 0x10000 / 64)

    init(fold table: [UInt16], pairs: [PhraseForms.Pair] = PhraseForms.pairs) {
        func folded(_ scalars: [Unicode.Scalar]) -> [UInt32] {
            scalars.map { $0.value < UInt32(table.count) ? UInt32(table[Int($0.value)]) : $0.value }
        }
        for pair in pairs where pair.other.count == pair.simplified.count {
            let match = folded(pair.other), replacement = folded(pair.simplified)
            guard match != replacement else { continue }
            byFirst[match[0], default: []].append((match, replacement))
            if match[0] < 0x10000 { opens[Int(match[0] >> 6)] |= 1 << UInt64(match[0] & 63) }
        }
        for key in byFirst.keys { byFirst[key]?.sort { $0.match.count > $1.match.count } }
    }

    func apply(to text: inout [UInt32]) {
        guard !byFirst.isEmpty else { return }
        var i = 0
        while i < text.count {
            let v = text[i]
            if v < 0x10000, opens[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0, let entries = byFirst[v],
               let entry = entries.first(where: { i + $0.match.count <= text.count && text[i..<(i + $0.match.count)].elementsEqual($0.match) }) {
                text.replaceSubrange(i..<(i + entry.match.count), with: entry.replacement)
                i += entry.match.count
            } else {
                i += 1
            }
        }
    }
}
