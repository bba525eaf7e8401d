import FolioModel
import FolioText

/// One non-blank source line: the parser's unit before roles are known.
struct SourceBlock {
    let line: UInt32            // 1-based source line
    let gapBefore: Int          // blank lines right above it (photo holes leave several)
    let scalars: [Unicode.Scalar]  // trimmed of spaces at both ends
    /// How a re-flowed block meets the extractor's block breaks (column breaks).
    var edges = ColumnEdges()
    /// The visual lines re-flow joined after `line` (extractor output), for the blocks' `lines`.
    var laterLines: [UInt32] = []

    var text: String { String(String.UnicodeScalarView(scalars)) }
}

enum SourceLines {
    /// Splits page text into non-blank lines; counts "\n", "\r\n" and "\r" as line ends.
    static func blocks(of text: String) -> (blocks: [SourceBlock], lineCount: Int, dropped: DroppedControls) {
        // Over the String's UTF-8 bytes: iterating `unicodeScalars` cost several times more.
        var text = text
        return text.withUTF8 { blocks(utf8: $0) }
    }

    /// Control characters dropped from the text (not tab, line ends or form feed, which
    /// pdftotext puts between pages): extraction noise, or NUL bytes of a damaged file.
    struct DroppedControls {
        var count = 0
        var firstLine: UInt32 = 0

        /// What the page's reader is told: a warning, since a few characters are gone.
        var diagnostic: Folio_V1_Diagnostic? {
            guard count > 0 else { return nil }
            let what = count == 1 ? "1 control character" : "\(count) control characters"
            return FolioParser.diagnostic(.warning, "input-repaired", line: firstLine,
                                          "\(what) (NUL, ESC and the like) dropped, the first on line \(firstLine)")
        }
    }

    /// The same over valid UTF-8 (a closure over the bytes, instead of this function, made every
    /// access to the line state a checked one).
    private static func blocks(utf8 bytes: UnsafeBufferPointer<UInt8>) -> (blocks: [SourceBlock], lineCount: Int, dropped: DroppedControls) {
        var blocks: [SourceBlock] = []
        var dropped = DroppedControls()
        var current: [Unicode.Scalar] = []
        var line: UInt32 = 1
        var gap = 0
        var lastWasCR = false
        var sawAny = false

        // Each line gets a copy of its own size; `current` keeps its buffer for the next line
        // (handing it over would make every line re-allocate one as large as the longest so far;
        // `Array(current[...])` of the whole array hands it over too).
        func finish() {
            let kept = trimmedRange(current)
            if kept.isEmpty {
                gap += 1
            } else {
                let scalars = current.withUnsafeBufferPointer { Array(UnsafeBufferPointer(rebasing: $0[kept])) }
                blocks.append(SourceBlock(line: line, gapBefore: gap, scalars: scalars))
                gap = 0
            }
            current.removeAll(keepingCapacity: true)
        }

        var last: UInt32 = 0
        var i = 0
        while i < bytes.count {
            let (v, length) = UTF8Scalars.decode(bytes, at: i)
            i += length
            sawAny = true
            last = v
            if v == 0x0A {
                if lastWasCR { lastWasCR = false; continue }
                finish(); line += 1
            } else if v == 0x0D {
                finish(); line += 1; lastWasCR = true
            } else {
                lastWasCR = false
                // Control characters other than tab are noise from extraction: drop them.
                if v < 0x20 && v != 0x09 {
                    if v != 0x0C {
                        if dropped.count == 0 { dropped.firstLine = line }
                        dropped.count += 1
                    }
                    continue
                }
                current.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            }
        }
        if !current.isEmpty { finish() } else if !sawAny { line = 0 }
        // A trailing newline does not start a new line.
        let lineCount = last == 0x0A || last == 0x0D ? Int(line) - 1 : Int(line)
        return (blocks, max(lineCount, 0), dropped)
    }

    static func trim(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let kept = trimmedRange(s)
        return kept.count == s.count ? s : Array(s[kept])
    }

    /// `s` without spaces and tabs at both ends.
    static func trimmedRange(_ s: [Unicode.Scalar]) -> Range<Int> {
        var lo = 0, hi = s.count
        while lo < hi, CharacterClass.isSpace(s[lo]) || s[lo] == "\t" { lo += 1 }
        while hi > lo, CharacterClass.isSpace(s[hi - 1]) || s[hi - 1] == "\t" { hi -= 1 }
        return lo..<hi
    }
}
