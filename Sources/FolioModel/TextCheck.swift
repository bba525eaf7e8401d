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
        if nul > 0 { return "input looks binary: it contains NUL bytes" }
        if control * 10 > sample.count { return "input looks binary: \(control) control bytes in the first \(sample.count)" }
        return nil
    }
}
