import NIOCore

/// Protobuf's base-128 varints, field keys and lengths: the one writer and the one reader that
/// every hand-written encoder and decoder of the package uses (envelopes, response splices,
/// store records, filter keys).
public enum ProtoWire {
    /// Wire types of a field key (the low three bits).
    public static let varintType: UInt64 = 0
    public static let lengthDelimitedType: UInt64 = 2

    /// Bytes the varint of `value` takes.
    @inlinable
    public static func varintSize(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    /// The key of field `field` with wire type `wireType`, as a varint value.
    @inlinable
    public static func key(field: Int, wireType: UInt64) -> UInt64 {
        UInt64(field) << 3 | wireType
    }

    /// Writes `value` as a varint.
    @inlinable
    public static func writeVarint<Sink: ProtoByteSink>(_ value: UInt64, into sink: inout Sink) {
        var rest = value
        while rest >= 0x80 {
            sink.appendByte(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        sink.appendByte(UInt8(rest))
    }

    /// Writes a field key.
    @inlinable
    public static func writeKey<Sink: ProtoByteSink>(field: Int, wireType: UInt64, into sink: inout Sink) {
        writeVarint(key(field: field, wireType: wireType), into: &sink)
    }

    /// Writes the key and length of a length-delimited field; the caller writes its `length` bytes.
    @inlinable
    public static func writeLengthPrefix<Sink: ProtoByteSink>(field: Int, length: Int, into sink: inout Sink) {
        writeKey(field: field, wireType: lengthDelimitedType, into: &sink)
        writeVarint(UInt64(length), into: &sink)
    }

    /// Reads the varint at `position` and moves past it; nil (position unchanged) when the bytes
    /// end inside it or it runs past ten bytes. Bits beyond 64 are dropped, as protobuf does.
    @inlinable
    public static func readVarint<Bytes: Collection>(_ bytes: Bytes, at position: inout Bytes.Index) -> UInt64?
    where Bytes.Element == UInt8 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        while index < bytes.endIndex, shift < 64 {
            let byte = bytes[index]
            bytes.formIndex(after: &index)
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                position = index
                return value
            }
            shift += 7
        }
        return nil
    }
}

/// Where `ProtoWire` writes bytes.
public protocol ProtoByteSink {
    mutating func appendByte(_ byte: UInt8)
}

extension Array: ProtoByteSink where Element == UInt8 {
    @inlinable
    public mutating func appendByte(_ byte: UInt8) { append(byte) }
}

extension ByteBuffer: ProtoByteSink {
    @inlinable
    public mutating func appendByte(_ byte: UInt8) { writeInteger(byte) }
}
