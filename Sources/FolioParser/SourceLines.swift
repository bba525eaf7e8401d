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
    /// The UTF-8 bytes of the page text the scalars were read from, when they are exactly those
    /// bytes (no control character dropped, nothing joined): see `DraftBlock.text(in:)`.
    var sourceUTF8: Range<Int>? = nil

    /// The bytes of `scalars[range]` in the page text, when the block's are known.
    func sourceUTF8(of range: Range<Int>) -> Range<Int>? {
        guard let source = sourceUTF8 else { return nil }
        func width(_ r: Range<Int>) -> Int { scalars[r].reduce(0) { $0 + UTF8.width($1) } }
        return (source.lowerBound + width(0..<range.lowerBound))..<(source.upperBound - width(range.upperBound..<scalars.count))
    }

    /// Encoded straight from the scalars (a `UnicodeScalarView` appends one scalar at a time).
    var text: String { Folded.string(scalars) }
}

enum SourceLines {
    /// Splits page text into non-blank lines; counts "\n", "\r\n" and "\r" as line ends. With the
    /// text's `ScriptStats.count`, taken in the same pass over its scalars.
    static func blocksAndScript(of text: String) -> (blocks: [SourceBlock], lineCount: Int, dropped: DroppedControls,
                                                     script: ScriptStats) {
        // Over the String's UTF-8 bytes: iterating `unicodeScalars` cost several times more.
        var text = text
        return ScriptStats.withPackedFlags { flags in text.withUTF8 { blocks(utf8: $0, flags: flags) } }
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
    /// access to the line state a checked one). `flags`: `ScriptStats.withPackedFlags`'s table.
    private static func blocks(utf8 bytes: UnsafeBufferPointer<UInt8>, flags: UnsafeBufferPointer<UInt64>)
        -> (blocks: [SourceBlock], lineCount: Int, dropped: DroppedControls, script: ScriptStats) {
        var blocks: [SourceBlock] = []
        var dropped = DroppedControls()
        var line: UInt32 = 1
        var gap = 0
        var lastWasCR = false

        // The line being read, in scratch space kept for the next line: each line gets a copy of
        // its own size (an Array here checked its capacity and uniqueness at every scalar).
        var capacity = 256
        var current = UnsafeMutablePointer<Unicode.Scalar>.allocate(capacity: capacity)
        defer { current.deallocate() }
        var count = 0
        // Where the line being read starts in the bytes, and whether a control character was dropped from it.
        var lineStart = 0
        var droppedInLine = false

        // `end`: the byte offset of the line end.
        func finish(_ end: Int) {
            var lo = 0, hi = count
            while lo < hi, CharacterClass.isSpace(current[lo]) { lo += 1 }
            while hi > lo, CharacterClass.isSpace(current[hi - 1]) { hi -= 1 }
            if lo == hi {
                gap += 1
            } else {
                let scalars = Array(UnsafeBufferPointer(start: current + lo, count: hi - lo))
                var block = SourceBlock(line: line, gapBefore: gap, scalars: scalars)
                if !droppedInLine {
                    var first = lineStart, last = end
                    for k in 0..<lo { first += UTF8.width(current[k]) }
                    for k in hi..<count { last -= UTF8.width(current[k]) }
                    block.sourceUTF8 = first..<last
                }
                blocks.append(block)
                gap = 0
            }
            count = 0
            droppedInLine = false
        }

        var tally = ScriptTally()
        var last: UInt32 = 0
        var i = 0
        let n = bytes.count
        while i < n {
            // The text up to the next control byte (a line end, mostly) in one go: no line-end test
            // or room check per scalar (a multi-byte character holds no byte below 0x20).
            let stop = ByteScan.firstByte(below: 0x20, in: bytes, from: i)
            if stop > i {
                if count + (stop - i) > capacity {
                    let larger = UnsafeMutablePointer<Unicode.Scalar>.allocate(capacity: 2 * (count + stop - i))
                    larger.moveInitialize(from: current, count: count)
                    current.deallocate()
                    current = larger
                    capacity = 2 * (count + stop - i)
                }
                let (read, v) = decode(bytes, i..<stop, into: current + count, flags: flags, tally: &tally)
                count += read
                i = stop
                last = v
                lastWasCR = false
                guard i < n else { break }
            }
            let v = UInt32(bytes[i])
            i += 1
            last = v
            if v == 0x0A {
                if lastWasCR { lastWasCR = false; lineStart = i; continue }
                finish(i - 1); line += 1; lineStart = i
            } else if v == 0x0D {
                finish(i - 1); line += 1; lastWasCR = true; lineStart = i
            } else {
                lastWasCR = false
                // Control characters other than tab are noise from extraction: drop them.
                if v != 0x09 {
                    if v != 0x0C {
                        if dropped.count == 0 { dropped.firstLine = line }
                        dropped.count += 1
                    }
                    droppedInLine = true
                    continue
                }
                if count == capacity {
                    let larger = UnsafeMutablePointer<Unicode.Scalar>.allocate(capacity: 2 * capacity)
                    larger.moveInitialize(from: current, count: count)
                    current.deallocate()
                    current = larger
                    capacity *= 2
                }
                current[count] = "\t"
                count += 1
            }
        }
        if count > 0 { finish(n) } else if n == 0 { line = 0 }
        // A trailing newline does not start a new line.
        let lineCount = last == 0x0A || last == 0x0D ? Int(line) - 1 : Int(line)
        return (blocks, max(lineCount, 0), dropped, tally.stats)
    }

    /// `ScriptStats.count`'s two counts in one word (one register in the decoding loop, where
    /// two were spilled to the stack): Traditional-only in the low half, Simplified-only in the high.
    struct ScriptTally {
        var counts: UInt64 = 0
        // The flags' bits read once: a static of another module is a call at each use.
        let traditionalBit = UInt64(CharacterFold.ScriptFlags.traditionalOnly.rawValue)
        let simplifiedBit = UInt64(CharacterFold.ScriptFlags.simplifiedOnly.rawValue)

        /// Counts scalar `v` (below 0x10000) by the packed table.
        @inline(__always)
        mutating func add(_ v: UInt32, _ flags: UnsafeBufferPointer<UInt64>) {
            let f = flags[Int(v >> 5)] >> UInt64((v & 31) << 1)
            counts &+= (f & traditionalBit) | (f & simplifiedBit) << 31
        }

        var stats: ScriptStats {
            ScriptStats(traditionalOnly: Int(counts & 0xFFFF_FFFF), simplifiedOnly: Int(counts >> 32))
        }
    }

    /// Decodes `bytes[range]` (valid UTF-8, no control byte) into `out`, tallying scripts: the
    /// scalars written and the last one. A function of its own so that its few variables stay in
    /// registers.
    @inline(never)
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: UnsafeMutablePointer<Unicode.Scalar>,
                               flags: UnsafeBufferPointer<UInt64>, tally: inout ScriptTally) -> (count: Int, last: UInt32) {
        var local = tally
        var i = range.lowerBound
        var k = 0
        var v: UInt32 = 0
        while i < range.upperBound {
            let length: Int
            (v, length) = UTF8Scalars.decode(bytes, at: i)
            i &+= length
            if v < 0x10000 { local.add(v, flags) }
            out[k] = Unicode.Scalar(v) ?? "\u{FFFD}"
            k &+= 1
        }
        tally = local
        return (k, v)
    }

    static func trim(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let kept = trimmedRange(s)
        return kept.count == s.count ? s : Array(s[kept])
    }

    /// The indices of `s` without spaces and tabs at both ends.
    static func trimmedRange(_ s: ArraySlice<Unicode.Scalar>) -> Range<Int> {
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi, CharacterClass.isSpace(s[lo]) || s[lo] == "\t" { lo += 1 }
        while hi > lo, CharacterClass.isSpace(s[hi - 1]) || s[hi - 1] == "\t" { hi -= 1 }
        return lo..<hi
    }

    /// `s` without spaces and tabs at both ends.
    static func trimmedRange(_ s: [Unicode.Scalar]) -> Range<Int> {
        var lo = 0, hi = s.count
        while lo < hi, CharacterClass.isSpace(s[lo]) || s[lo] == "\t" { lo += 1 }
        while hi > lo, CharacterClass.isSpace(s[hi - 1]) || s[hi - 1] == "\t" { hi -= 1 }
        return lo..<hi
    }
}
