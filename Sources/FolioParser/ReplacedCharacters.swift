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

    /// The first mark at or after `from` (before `end`). Eight bytes at a time: a word is looked
    /// at byte by byte only when one of its bytes may be BF, the mark's middle byte (a page has
    /// mostly none, and this scan ran over every byte of it).
    private static func find(_ base: UnsafePointer<UInt8>, _ from: Int, _ end: Int) -> Int? {
        var j = from + 1   // the middle byte of a mark starting at j − 1
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101, middle = ones &* 0xBF, high = ones &* 0x80
        // Middles j..<j + 8, each with its next byte before `end`.
        while j >= 1 && j + 8 < end {
            let x = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self) ^ middle
            // Non-zero when some byte of x is zero (no false negatives; checked below).
            if (x &- ones) & ~x & high != 0 {
                for k in j..<(j + 8) where base[k] == 0xBF && base[k - 1] == 0xEF && base[k + 1] == 0xBD { return k - 1 }
            }
            j += 8
        }
        while j >= 1 && j + 1 < end {
            if base[j] == 0xBF && base[j - 1] == 0xEF && base[j + 1] == 0xBD { return j - 1 }
            j += 1
        }
        return nil
    }
}
