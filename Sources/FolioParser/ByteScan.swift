/// Finding the next byte of interest in a page's UTF-8, eight bytes at a time: Chinese text is long
/// runs of multi-byte characters between the few bytes a reader stops at.
enum ByteScan {
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Index of the first byte below `limit` (at most 0x80) at or after `start`, `bytes.count` when
    /// none. A word's bytes below the limit borrow when the limit is subtracted from each; a borrow
    /// can flag bytes above the first, never below it, so the lowest flag is exact.
    @inline(__always)
    static func firstByte(below limit: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        precondition(limit <= 0x80, "the borrow test holds for limits up to 0x80")
        var i = start
        let n = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let repeated = UInt64(limit) &* 0x0101_0101_0101_0101
            while i + 8 <= n {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
                // Below 0x80 is the high bit clear: no subtraction needed.
                let flags = limit == 0x80 ? ~word & highBits : (word &- repeated) & ~word & highBits
                if flags != 0 { return i + flags.trailingZeroBitCount / 8 }
                i += 8
            }
        }
        while i < n && bytes[i] >= limit { i += 1 }
        return i
    }
}
