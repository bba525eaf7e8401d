/// A cursor over protobuf bytes for hand-written decoders of the hot messages; every read
/// throws `ProtoReader.Unusual` instead of running past the end or accepting an unexpected
/// shape, so that the caller can fall back to swift-protobuf for the exact result or error.
public struct ProtoReader {
    /// The bytes are not in the shape this reader expects.
    public struct Unusual: Error {
        public init() {}
    }

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    public var atEnd: Bool { offset >= bytes.count }

    public mutating func varint() throws -> UInt64 {
        guard let value = ProtoWire.readVarint(bytes, at: &offset) else { throw Unusual() }
        return value
    }

    /// The next field number, checked against its expected wire type by the caller's `switch`.
    public mutating func tag() throws -> (field: Int, wireType: UInt64) {
        let key = try varint()
        guard key >> 3 <= UInt64(Int32.max) else { throw Unusual() }
        return (Int(key >> 3), key & 7)
    }

    public mutating func lengthDelimited() throws -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else { throw Unusual() }
        let start = offset
        offset += Int(length)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }

    public mutating func string() throws -> String {
        let raw = try lengthDelimited()
        if raw.isEmpty { return "" }
        guard let text = String(validating: raw, as: UTF8.self) else { throw Unusual() }
        return text
    }

    public mutating func uint32() throws -> UInt32 {
        guard let value = UInt32(exactly: try varint()) else { throw Unusual() }
        return value
    }

    public mutating func bool() throws -> Bool {
        let value = try varint()
        guard value <= 1 else { throw Unusual() }
        return value == 1
    }

    /// An enum's raw value (non-negative int32; swift-protobuf keeps unknown values as UNRECOGNIZED).
    public mutating func enumValue() throws -> Int {
        let value = try varint()
        guard value <= UInt64(Int32.max) else { throw Unusual() }
        return Int(value)
    }

    public mutating func double() throws -> Double {
        guard bytes.count - offset >= 8 else { throw Unusual() }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return Double(bitPattern: bits)
    }

    /// The varints of a packed repeated field, unchecked (the caller decides what each may be).
    public mutating func packedVarints() throws -> [UInt64] {
        var inner = ProtoReader(try lengthDelimited())
        var values: [UInt64] = []
        while !inner.atEnd { values.append(try inner.varint()) }
        return values
    }

    public mutating func packedUInt32s() throws -> [UInt32] {
        var inner = ProtoReader(try lengthDelimited())
        var values: [UInt32] = []
        while !inner.atEnd { values.append(try inner.uint32()) }
        return values
    }

    /// Steps over a field's value of any wire type but groups.
    public mutating func skip(wireType: UInt64) throws {
        switch wireType {
        case 0: _ = try varint()
        case 1, 5:
            let width = wireType == 1 ? 8 : 4
            guard bytes.count - offset >= width else { throw Unusual() }
            offset += width
        case 2: _ = try lengthDelimited()
        default: throw Unusual()
        }
    }

    /// Reads a nested message with `read` on a reader over exactly its bytes.
    public mutating func message<T>(_ read: (inout ProtoReader) throws -> T) throws -> T {
        var inner = ProtoReader(try lengthDelimited())
        return try read(&inner)
    }

    /// Calls `field` for each field; a singular field seen twice gives up (protobuf would merge).
    /// `repeated`: a bit per repeated field number (they may occur any number of times).
    public mutating func fields(repeated: UInt64 = 0, _ field: (inout ProtoReader, Int, UInt64) throws -> Void) throws {
        var seen: UInt64 = 0
        while !atEnd {
            let (number, wireType) = try tag()
            guard number > 0, number < 64 else { throw Unusual() }
            if repeated & (1 << number) == 0 {
                guard seen & (1 << number) == 0 else { throw Unusual() }
                seen |= 1 << number
            }
            try field(&self, number, wireType)
        }
    }
}
