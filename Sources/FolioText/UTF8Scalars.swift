/// Decoding a String's own UTF-8 storage scalar by scalar: whole-page passes that only look at
/// each character run a few times faster over the bytes than over `unicodeScalars`.
public enum UTF8Scalars {
    /// Calls `body` with each scalar value of `text`, in order.
    @inlinable @inline(__always)
    public static func forEach(_ text: String, _ body: (UInt32) -> Void) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var i = 0
            while i < bytes.count {
                let (v, length) = decode(bytes, at: i)
                body(v)
                i += length
            }
        }
        if done == nil {
            for s in text.unicodeScalars { body(s.value) }
        }
    }

    /// The scalar starting at `i` of valid UTF-8, and its length in bytes.
    @inlinable @inline(__always)
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, 1) }
        let n = bytes.count
        if b0 < 0xE0, i + 1 < n { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1]) & 0x3F, 2) }
        if b0 < 0xF0, i + 2 < n {
            return ((b0 & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | UInt32(bytes[i + 2]) & 0x3F, 3)
        }
        if i + 3 < n {
            return ((b0 & 0x07) << 18 | (UInt32(bytes[i + 1]) & 0x3F) << 12 | (UInt32(bytes[i + 2]) & 0x3F) << 6
                | UInt32(bytes[i + 3]) & 0x3F, 4)
        }
        return (0xFFFD, n - i)
    }
}
