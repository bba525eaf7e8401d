import Foundation

/// The learnt-data files modules ship (Sources/*/Data/*.tsv): UTF-8, one row a line, fields
/// separated by tabs, `#` lines are comments. One reader for all of them.
public enum DataTable {
    /// The rows of `name` in `directory`, each split at tabs (empty fields kept); none when the
    /// file is missing or unreadable.
    public static func rows(_ directory: URL?, _ name: String) -> [[Substring]] {
        guard let directory,
              let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            line.hasPrefix("#") ? nil : line.split(separator: "\t", omittingEmptySubsequences: false)
        }
    }
}
