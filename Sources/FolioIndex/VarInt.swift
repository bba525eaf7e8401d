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
