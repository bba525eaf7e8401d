import Foundation

/// A batch's per-page metadata: CSV with a header row, or JSON lines, with the fields
/// `file` (required; relative to the manifest's folder, or to the current one for a manifest read
/// from a pipe; `FILE.pdf#N` names page N of a PDF, from 1),
/// `publication`, `date` (YYYY-MM-DD), `page_label` and `id`. Empty fields are absent.
struct PageManifest {
    struct Entry: Equatable, Decodable {
        var file: String
        var publication: String?
        var date: String?
        var pageLabel: String?
        var id: String?
        /// The PDF page this row is about (`FILE.pdf#N`), nil for a row about a whole file.
        var page: Int? = nil
        /// The file as the row names it, relative to the manifest's folder (nil for an absolute
        /// path): its folders are part of the page id, as for a page found in a folder.
        var relative: String? = nil
        /// Where the row is: the manifest's line (a CSV row's first line), for messages.
        var line = 0
        var place = ""

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
        // Read to its end, not by its size: a manifest may come through a pipe (`--manifest <(…)`).
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data(),
              let text = String(data: data, encoding: .utf8) else {
            throw FormatError(description: "\(path): cannot read the manifest (UTF-8 CSV or JSON lines)")
        }
        try? handle.close()
        // Rows name files relative to the manifest's folder; one from a pipe has none: the current one.
        var status = stat()
        let isFile = stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
        let folder = isFile ? URL(fileURLWithPath: path).deletingLastPathComponent()
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var manifest = try parse(text, name: path)
        for index in manifest.entries.indices where !manifest.entries[index].file.hasPrefix("/") {
            manifest.entries[index].relative = manifest.entries[index].file
            manifest.entries[index].file = folder.appendingPathComponent(manifest.entries[index].file).path
        }
        return manifest
    }

    static func parse(_ text: String, name: String) throws -> PageManifest {
        let entries = text.drop(while: \.isWhitespace).hasPrefix("{")
            ? try jsonLines(text, name: name) : try csv(text, name: name)
        var checked: [Entry] = []
        for var entry in entries {
            entry.place = "\(name):\(entry.line)"
            if entry.file.isEmpty { throw FormatError(description: "\(entry.place): the row has no file") }
            if let date = entry.date, !ParseCommand.isISODate(date) {
                throw FormatError(description: "\(entry.place): date must be YYYY-MM-DD, got '\(date)'")
            }
            try entry.splitPage()
            checked.append(entry)
        }
        return PageManifest(entries: checked)
    }

    private static func jsonLines(_ text: String, name: String) throws -> [Entry] {
        let decoder = JSONDecoder()
        var entries: [Entry] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                var entry = try decoder.decode(Entry.self, from: Data(line.utf8))
                entry.normalizeEmpty()
                entry.line = number + 1
                entries.append(entry)
            } catch {
                throw FormatError(description: "\(name):\(number + 1): not a manifest entry (a JSON object with \"file\")")
            }
        }
        return entries
    }

    private static func csv(_ text: String, name: String) throws -> [Entry] {
        let rows = try CSVReader.rows(text).filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else { return [] }
        let known: Set<String> = ["file", "publication", "date", "page_label", "id"]
        if let unknown = header.first(where: { !known.contains($0) }) {
            throw FormatError(description: "\(name): unknown column '\(unknown)' (columns: file, publication, date, page_label, id)")
        }
        guard let fileColumn = header.firstIndex(of: "file") else {
            throw FormatError(description: "\(name): the header row has no 'file' column")
        }
        return try rows.dropFirst().map { line, row in
            guard row.count == header.count else {
                throw FormatError(description: "\(name):\(line): the row has \(row.count) fields, the header \(header.count)")
            }
            func field(_ column: String) -> String? { header.firstIndex(of: column).map { row[$0] } }
            var entry = Entry(file: row[fileColumn], publication: field("publication"), date: field("date"),
                              pageLabel: field("page_label"), id: field("id"), line: line)
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

    /// `FILE#N` (N digits) names page N of a PDF: the file and the page apart. N counts from 1.
    mutating func splitPage() throws {
        guard let hash = file.lastIndex(of: "#") else { return }
        let digits = file[file.index(after: hash)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return }
        guard let number = Int(digits), number >= 1 else {
            throw PageManifest.FormatError(description: "\(place): \(file): PDF pages are numbered from 1")
        }
        guard hash > file.startIndex else { throw PageManifest.FormatError(description: "\(place): the row has no file") }
        page = number
        file = String(file[..<hash])
    }
}

/// RFC 4180 CSV: fields separated by commas, optionally in double quotes ("" is a quote inside
/// quotes, and quoted fields may hold commas and newlines); CRLF or LF line ends. Each row comes with
/// the line it starts on (from 1).
enum CSVReader {
    static func rows(_ text: String) throws -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var line = 1, rowLine = 1
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
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",": row.append(field); field = ""
            case "\r": continue
            case "\n":
                row.append(field)
                rows.append((rowLine, row))
                row = []
                field = ""
                line += 1
                rowLine = line
            default: field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw PageManifest.FormatError(description: "a quoted CSV field is not closed") }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append((rowLine, row)) }
        return rows
    }
}
