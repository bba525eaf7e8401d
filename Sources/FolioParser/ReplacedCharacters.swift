import FolioModel

/// U+FFFD in a page's text: bytes that no encoding took, replaced before the text reached the
/// parser (by `folio`'s reader, a client, an extractor). The page says so itself, so that a page
/// served long after its ingest still tells its reader that some characters are lost.
enum ReplacedCharacters {
    private static let markLength = 3  // EF BF BD

    /// An `input-repaired` warning naming how many and the first line; nil when there are none
    /// (one pass over the bytes: most pages have none).
    static func diagnostic(in text: String) -> Folio_V1_Diagnostic? {
        var text = text
        return text.withUTF8 { bytes -> Folio_V1_Diagnostic? in
            guard let base = bytes.baseAddress, find(base, 0, bytes.count) != nil else { return nil }
            var count = 0, line: UInt32 = 1, firstLine: UInt32 = 0, from = 0
            while let at = find(base, from, bytes.count) {
                for k in from..<at where base[k] == 0x0A { line += 1 }
                if count == 0 { firstLine = line }
                count += 1
                from = at + markLength
            }
            let what = count == 1 ? "1 character is" : "\(count) characters are"
            return FolioParser.diagnostic(.warning, "input-repaired", line: firstLine,
                                          "\(what) U+FFFD (bytes no encoding took, replaced before the parse), the first on line \(firstLine)")
        }
    }

    private static func find(_ base: UnsafePointer<UInt8>, _ from: Int, _ end: Int) -> Int? {
        var i = from
        while i + 2 < end {
            if base[i] == 0xEF && base[i + 1] == 0xBF && base[i + 2] == 0xBD { return i }
            i += 1
        }
        return nil
    }
}
