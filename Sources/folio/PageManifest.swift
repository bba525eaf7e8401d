import Foundation

/// A batch's per-page metadata: CSV with a header row, or JSON lines, with the fields
/// `file` (required; relative to the manifest's folder), `publication`, `date` (YYYY-MM-DD),
/// `page_label` and `id`. Empty fields are absent.
struct PageManifest {
    struct Entry: Equatable, Decodable {
        var file: String
        var publication: String?
        var date: String?
        var pageLabel: String?
        var id: String?

        enum CodingKeys: String, CodingKey {
            case file, publication, date, id
            case pageLabel = "page_label"
        }
    }

    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    var entries: [Entry]

    /// Reads `path`: JSON lines when the first non-blank character is `{`, else CSV.
    static func load(_ path: String) throws -> PageManifest {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else {
            throw FormatError(description: "\(path): cannot read the manifest (UTF-8 CSV or JSON lines)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var manifest = try parse(text, name: path)
        for index in manifest.entries.indices where !manifest.entries[index].file.hasPrefix("/") {
            manifest.entries[index].file = folder.appendingPathComponent(manifest.entries[index].file).path
        }
        return manifest
    }

    static func parse(_ text: String, name: String) throws -> PageManifest {
        let entries = text.drop(while: \.isWhitespace).hasPrefix("{")
            ? try jsonLines(text, name: name) : try csv(text, name: name)
        for (index, entry) in entries.enumerated() {
            if entry.file.isEmpty { throw FormatError(description: "\(name): entry \(index + 1) has no file") }
            if let date = entry.date, !ParseCommand.isISODate(date) {
                throw FormatError(description: "\(name): entry \(index + 1): date must be YYYY-MM-DD, got '\(date)'")
            }
        }
        return PageManifest(entries: entries)
    }

    private static func jsonLines(_ text: String, name: String) throws -> [Entry] {
        let decoder = JSONDecoder()
        var entries: [Entry] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                var entry = try decoder.decode(Entry.self, from: Data(line.utf8))
                entry.normalizeEmpty()
                entries.append(entry)
            } catch {
                throw FormatError(description: "\(name):\(number + 1): not a manifest entry (a JSON object with \"file\")")
            }
        }
        return entries
    }

    private static func csv(_ text: String, name: String) throws -> [Entry] {
        let rows = try CSVReader.rows(text).filter { !($0.count == 1 && $0[0].isEmpty) }
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else { return [] }
        let known: Set<String> = ["file", "publication", "date", "page_label", "id"]
        if let unknown = header.first(where: { !known.contains($0) }) {
            throw FormatError(description: "\(name): unknown column '\(unknown)' (columns: file, publication, date, page_label, id)")
        }
        guard let fileColumn = header.firstIndex(of: "file") else {
            throw FormatError(description: "\(name): the header row has no 'file' column")
        }
        return try rows.dropFirst().enumerated().map { offset, row in
            guard row.count == header.count else {
                throw FormatError(description: "\(name): row \(offset + 2) has \(row.count) fields, the header \(header.count)")
            }
            func field(_ column: String) -> String? { header.firstIndex(of: column).map { row[$0] } }
            var entry = Entry(file: row[fileColumn], publication: field("publication"), date: field("date"),
                              pageLabel: field("page_label"), id: field("id"))
            entry.normalizeEmpty()
            return entry
        }
    }
}

private extension PageManifest.Entry {
    mutating func normalizeEmpty() {
        func clean(_ value: String?) -> String? {
            value.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        file = file.trimmingCharacters(in: .whitespaces)
        publication = clean(publication)
        date = clean(date)
        pageLabel = clean(pageLabel)
        id = clean(id)
    }
}

/// RFC 4180 CSV: fields separated by commas, optionally in double quotes ("" is a quote inside
/// quotes, and quoted fields may hold commas and newlines); CRLF or LF line ends.
enum CSVReader {
    static func rows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    let following = next()
                    if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",": row.append(field); field = ""
            case "\r": continue
            case "\n": row.append(field); rows.append(row); row = []; field = ""
            default: field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw PageManifest.FormatError(description: "a quoted CSV field is not closed") }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
