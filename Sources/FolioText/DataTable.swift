import Foundation

/// The learnt-data files modules ship (Sources/*/Data/*.tsv): UTF-8, one row a line, fields
/// separated by tabs, `#` lines are comments. One reader for all of them.
public enum DataTable {
    /// The rows of `name` in `directory`, each split at tabs (empty fields kept); none when the
    /// file is missing or unreadable.
    public static func rows(_ directory: URL?, _ name: String) -> [[Substring]] {
        var rows: [[Substring]] = []
        forEachRow(directory, name) { fields in rows.append(fields.map { Substring(String(decoding: $0, as: UTF8.self)) }) }
        return rows
    }

    /// The same rows as UTF-8 bytes, one call per row with its fields, for large tables read at
    /// every start-up (no String or array is made per row). Lines and fields are cut at their bytes:
    /// splitting a String by Character tests grapheme breaks at every character.
    public static func forEachRow(_ directory: URL?, _ name: String, _ body: (_ fields: [ArraySlice<UInt8>]) -> Void) {
        guard let directory, let data = try? Data(contentsOf: directory.appendingPathComponent(name)) else { return }
        let bytes = [UInt8](data)
        var fields: [ArraySlice<UInt8>] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) where line.first != UInt8(ascii: "#") {
            fields.removeAll(keepingCapacity: true)
            var start = line.startIndex
            for i in line.indices where line[i] == UInt8(ascii: "\t") {
                fields.append(line[start..<i])
                start = i + 1
            }
            fields.append(line[start..<line.endIndex])
            body(fields)
        }
    }

    /// A field of ASCII digits as a number; nil when empty, not digits, or too large.
    public static func integer(_ field: ArraySlice<UInt8>) -> UInt64? {
        guard !field.isEmpty, field.count <= 19 else { return nil }
        var value: UInt64 = 0
        for byte in field {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
