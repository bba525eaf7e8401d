import FolioText

/// A paragraph's first line is its only short line but the last: shortened by the indent the
/// extractor lost, or broken early where a glyph may not end a line. When such a line has prose
/// in it (a comma or a semicolon; titles have colons, `某地：…`) and the line under it is wider, it is
/// that first line running on, not a title (a title is unpunctuated and closes its quotes).
extension Reflow {
    static func proseFirstLine(_ a: [Unicode.Scalar], width wa: Double, next wb: Double) -> Bool {
        guard wb >= wa + 1, a.count >= 4 else { return false }
        return a.contains { $0.mark == "，" || $0.mark == "；" || $0 == "," || $0 == ";" }
    }
}
