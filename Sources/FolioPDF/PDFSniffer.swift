/// Telling PDF bytes from page text before choosing a reader.
public enum PDFSniffer {
    /// True when the bytes start like a PDF (`%PDF-`, allowing a little leading junk as readers do).
    public static func looksLikePDF(_ bytes: some Collection<UInt8>) -> Bool {
        let head = Array(bytes.prefix(1024))
        let magic: [UInt8] = Array("%PDF-".utf8)
        guard head.count >= magic.count else { return false }
        for start in 0...(head.count - magic.count) where head[start..<start + magic.count].elementsEqual(magic) {
            return true
        }
        return false
    }
}
