/// LEB128-style unsigned variable-length integers: postings are streams of these, which keeps the
/// index near the size of the text it covers.
enum VarInt {
    @inline(__always)
    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// The most bytes one value takes.
    static let maximumBytes = 5

    /// Writes `value` at `position` (advanced past it); `out` has room for `maximumBytes` there.
    @inline(__always)
    static func write(_ value: UInt32, to out: UnsafeMutablePointer<UInt8>, at position: inout Int) {
        var rest = value
        while rest >= 0x80 {
            out[position] = UInt8(truncatingIfNeeded: rest) | 0x80
            position += 1
            rest >>= 7
        }
        out[position] = UInt8(rest)
        position += 1
    }

    /// Reads one value at `position`, advancing it. Callers guarantee the stream is well formed
    /// (it was written by `append`).
    @inline(__always)
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> UInt32 {
        var byte = bytes[position]
        position += 1
        if byte < 0x80 { return UInt32(byte) }
        var value = UInt32(byte & 0x7F)
        var shift: UInt32 = 7
        repeat {
            byte = bytes[position]
            position += 1
            value |= UInt32(byte & 0x7F) << shift
            shift += 7
        } while byte >= 0x80 && shift < 35
        return value
    }
}

/// The head of one posting, packed for the common case: `gap << 1 | 1` alone means one occurrence,
/// not in the headline (most bigram postings); otherwise `gap << 1` is followed by
/// `count << 1 | inHeadline` and, when in the headline, the headline occurrence count. Positional
/// terms then store `count` delta-coded unit positions (no length: the count says how many).
enum PostingCoding {
    /// The most bytes `write(gap:count:headlineCount:to:at:)` writes.
    static let maximumHeadBytes = 3 * VarInt.maximumBytes

    @inline(__always)
    static func write(gap: UInt32, count: UInt32, headlineCount: UInt32, to out: UnsafeMutablePointer<UInt8>,
                      at position: inout Int) {
        if count == 1 && headlineCount == 0 {
            VarInt.write(gap << 1 | 1, to: out, at: &position)
            return
        }
        VarInt.write(gap << 1, to: out, at: &position)
        VarInt.write(count << 1 | (headlineCount > 0 ? 1 : 0), to: out, at: &position)
        if headlineCount > 0 { VarInt.write(headlineCount, to: out, at: &position) }
    }

    /// Reads a posting head; `weighted` counts headline occurrences `headlineWeight` times.
    @inline(__always)
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int)
        -> (gap: UInt32, count: UInt32, weighted: UInt32) {
        let head = VarInt.read(bytes, &position)
        if head & 1 == 1 { return (head >> 1, 1, 1) }
        let packed = VarInt.read(bytes, &position)
        let count = packed >> 1
        guard packed & 1 == 1 else { return (head >> 1, count, count) }
        let headline = VarInt.read(bytes, &position)
        return (head >> 1, count, count + (SegmentBuilder.headlineWeight - 1) * headline)
    }

    /// Steps over `count` varints (a posting's positions).
    @inline(__always)
    static func skip(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int, count: UInt32) {
        var left = count
        while left > 0 {
            while bytes[position] >= 0x80 { position += 1 }
            position += 1
            left -= 1
        }
    }
}
