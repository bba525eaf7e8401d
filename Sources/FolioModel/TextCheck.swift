/// Whether bytes given as a page's text are text at all: one test for `folio parse`, `folio ingest`
/// and foliod's Ingest, so that none of them stores what another refuses.
public enum TextCheck {
    /// Why the bytes are not text at all, or nil when they may be.
    public static func binaryReason<Bytes: Collection<UInt8>>(_ data: Bytes) -> String? {
        guard !data.isEmpty else { return nil }
        let sample = data.prefix(65536)
        var nul = 0, control = 0
        for b in sample {
            if b == 0 { nul += 1 } else if b < 0x20 && b != 0x0A && b != 0x0D && b != 0x09 && b != 0x0C { control += 1 }
        }
        // A few stray NUL bytes (an extractor's slip) are dropped by the parser, which says so.
        if nul > mostStray(sample.count) { return "input looks binary: \(nul) NUL bytes in the first \(sample.count)" }
        if control * 10 > sample.count { return "input looks binary: \(control) control bytes in the first \(sample.count)" }
        return nil
    }

    /// How many stray bytes (NUL, or bytes no encoding takes) a page of `byteCount` bytes may have
    /// and still be read as a damaged page, not as binary data or another encoding: one in a
    /// thousand, at least 4.
    public static func mostStray(_ byteCount: Int) -> Int { max(4, byteCount / 1000) }

    /// Why `text` is one of Folio's own files rather than a page's text: a page file from a backup
    /// of DATA/pages (its metadata line would become an article and its ids, date and label be lost)
    /// or an NDJSON export of articles. Nil for anything else.
    public static func ownFileReason(_ text: String) -> String? {
        let firstLine = text.utf8.prefix { $0 != 0x0A }
        if firstLine.starts(with: "folio-page/".utf8) {
            return "the text is a foliod page file (its first line is the folio-page metadata): to restore it, "
                + "copy it into DATA/pages/ and reload foliod (SIGHUP); to store its text, drop that first line"
        }
        let line = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("{"), line.hasSuffix("}"), line.contains("\"headline\""), line.contains("\"id\"") {
            return "the text is a folio export (NDJSON, one article per line), not a page's text: "
                + "ingest the pages it was exported from"
        }
        return nil
    }
}
