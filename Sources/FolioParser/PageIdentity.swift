import FolioModel

/// Page ids and page info guessed from a source file name (`seed-page.txt`,
/// `renmin-19980104-04.txt`, `1998-01-04_A3.txt`).
public enum PageIdentity {
    /// A stable id: the file name stem, lower-cased, anything but [a-z0-9_-] turned into "-" (and a
    /// name hash appended when that dropped letters or the name is longer than an id may be).
    public static func id(fromSource source: String) -> String? {
        id(stem: source.split(separator: "/").last.map(String.init) ?? source, limit: 64)
    }

    /// The id of a page found at `relativePath` inside an ingested folder: the whole path counts
    /// (`a/01.txt` → `a-01`, `b/01.txt` → `b-01`), so pages of different folders never share an id.
    public static func id(fromRelativePath relativePath: String) -> String? {
        id(stem: relativePath, limit: 128)
    }

    /// Ids are file names of [a-z0-9_-]: a name with other letters (`要闻.txt`, `2024-01-02/第一版.txt`)
    /// keeps its ASCII part and gets a hash of the whole name, so `a/第一版` and `a/第二版` stay two pages.
    private static func id(stem name: String, limit: Int) -> String? {
        var stem = Substring(name)
        let nameStart = stem.lastIndex(of: "/").map { stem.index(after: $0) } ?? stem.startIndex
        if let dot = stem.lastIndex(of: "."), dot > nameStart { stem = stem[..<dot] }
        var out = ""
        var lastDash = true
        var droppedLetters = false
        for s in stem.unicodeScalars {
            let v = s.value
            if (0x30...0x39).contains(v) || (0x61...0x7A).contains(v) || s == "_" {
                out.unicodeScalars.append(s); lastDash = false
            } else if (0x41...0x5A).contains(v) {
                out.unicodeScalars.append(Unicode.Scalar(v + 0x20)!); lastDash = false
            } else {
                if v > 0x7F && !s.properties.isWhitespace { droppedLetters = true }
                if !lastDash { out.append("-"); lastDash = true }
            }
        }
        // A name cut to the limit gets the hash too: two long names with one beginning would be one page.
        guard droppedLetters || out.count > limit else { return trimmed(out, to: limit) }
        let hash = contentHash(stem.utf8)
        let ascii = trimmed(out, to: limit - hash.count - 1) ?? "page"
        return ascii + "-" + hash
    }

    private static func trimmed(_ id: String, to limit: Int) -> String? {
        var id = Substring(id.prefix(limit))
        while id.hasSuffix("-") { id.removeLast() }
        return id.isEmpty ? nil : String(id)
    }

    /// FNV-1a 64 of the text, 12 hex digits: the id of a page with no usable name.
    static func hashID(_ text: String) -> String { "page-" + contentHash(text.utf8) }

    /// FNV-1a 64 of the bytes as 12 hex digits: names what has no file name (standard input).
    public static func contentHash(_ bytes: some Sequence<UInt8>) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        let hex = String(h, radix: 16)
        return String((String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(12))
    }

    /// Date (YYYY-MM-DD or YYYYMMDD) and a page label following it (`-04`, `_A3`, `p05`).
    static func info(fromSource source: String) -> Folio_V1_PageInfo {
        var info = Folio_V1_PageInfo()
        let name = Array((source.split(separator: "/").last.map(String.init) ?? source).unicodeScalars)
        func digit(_ i: Int) -> Int? {
            guard i < name.count, (0x30...0x39).contains(name[i].value) else { return nil }
            return Int(name[i].value - 0x30)
        }
        func number(_ i: Int, _ n: Int) -> Int? {
            var v = 0
            for k in 0..<n { guard let d = digit(i + k) else { return nil }; v = v * 10 + d }
            return v
        }
        var i = 0
        while i < name.count {
            if i > 0, digit(i - 1) != nil { i += 1; continue }
            guard let y = number(i, 4), (1900...2100).contains(y) else { i += 1; continue }
            var j = i + 4
            let sep = j < name.count && (name[j] == "-" || name[j] == "_" || name[j] == ".")
            if sep { j += 1 }
            guard let m = number(j, 2), (1...12).contains(m) else { i += 1; continue }
            j += 2
            if sep { guard j < name.count, name[j] == name[i + 4] else { i += 1; continue }; j += 1 }
            guard let d = number(j, 2), (1...31).contains(d), digit(j + 2) == nil else { i += 1; continue }
            j += 2
            // 19980231: a typo, not a day (the same date given as --date is refused).
            let date = String(format4(y)) + "-" + two(m) + "-" + two(d)
            guard CalendarDay.isValid(date) else { i += 1; continue }
            info.date = date
            // Page label: separator, optional p/page, then letters/digits.
            if j < name.count, name[j] == "-" || name[j] == "_" {
                var k = j + 1
                var label = ""
                if k < name.count, name[k] == "p" || name[k] == "P" { k += 1 }
                while k < name.count, name[k].properties.isAlphabetic || digit(k) != nil, label.count < 4 {
                    label.unicodeScalars.append(name[k]); k += 1
                }
                if !label.isEmpty, label.unicodeScalars.contains(where: { (0x30...0x39).contains($0.value) }) {
                    info.pageLabel = label.uppercased()
                }
            }
            break
        }
        return info
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    private static func format4(_ v: Int) -> String { String(v) }
}
