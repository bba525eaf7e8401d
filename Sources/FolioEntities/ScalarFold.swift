import COpenCC

/// Per-scalar folding used before matching: Traditional → Simplified one character at a time
/// (offsets never move), full-width → half-width, ideographic space → space.
///
/// The t2s table comes from OpenCC's own data, converting every BMP CJK character on its own
/// once at start-up. FolioText's `CharacterFold` does the same for the whole product; this
/// private copy keeps the entities target independent of it until both branches meet.
final class ScalarFold: Sendable {
    static let shared = ScalarFold()

    private let table: [UInt16]

    private init() {
        var table = (0..<0x10000).map { UInt16($0) }
        var scalars: [Unicode.Scalar] = []
        for v in UInt32(0x3400)...0x9FFF { if let s = Unicode.Scalar(v) { scalars.append(s) } }
        for v in UInt32(0xF900)...0xFAFF { if let s = Unicode.Scalar(v) { scalars.append(s) } }
        var joined = String.UnicodeScalarView()
        for s in scalars { joined.append(s); joined.append("\n") }
        if let converted = Self.convertT2S(String(joined)) {
            let lines = converted.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.count >= scalars.count {
                for (i, s) in scalars.enumerated() {
                    let out = lines[i].unicodeScalars
                    if out.count == 1, let to = out.first, to.value <= 0xFFFF { table[Int(s.value)] = UInt16(to.value) }
                }
            }
        }
        for v in 0xFF01...0xFF5E { table[v] = UInt16(v - 0xFEE0) }
        table[0x3000] = 0x20
        self.table = table
    }

    /// Character-table conversion through OpenCC (nil when its data is not installed).
    private static func convertT2S(_ text: String) -> String? {
        let handle = opencc_open("t2s.json")
        guard let handle, Int(bitPattern: handle) != -1 else { return nil }
        defer { opencc_close(handle) }
        var utf8 = Array(text.utf8)
        let count = utf8.count
        let out: String? = utf8.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: count) { ptr in
                guard let result = opencc_convert_utf8(handle, ptr, count) else { return nil }
                defer { opencc_convert_utf8_free(result) }
                return String(cString: result)
            }
        }
        return out
    }

    @inline(__always)
    func fold(_ v: UInt32) -> UInt32 { v < 0x10000 ? UInt32(table[Int(v)]) : v }
}
