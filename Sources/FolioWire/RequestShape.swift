import NIOCore

/// Bounds on the structure of a request, checked by one linear walk over its top-level fields
/// before anything builds messages from it. swift-protobuf spends hundreds of nanoseconds per
/// map entry, repeated value or unknown field, so 16 MiB of two-byte `metadata` entries took
/// seconds; the body, one length-delimited field whose bytes this walk steps over in O(1), is
/// not limited beyond the frame limits.
public enum RequestShape {
    /// `metadata` entries a request envelope may carry.
    public static let maxMetadataEntries = 64
    /// Bytes of the envelope outside its body (id, method, deadline, metadata, encodings, cancel,
    /// unknown fields, and any earlier copy of the body field).
    public static let maxEnvelopeFieldBytes = 16 << 10
    /// Top-level fields of a request's body. No request message of service.proto has a
    /// repeated field or more than eight fields.
    public static let maxBodyFields = 256

    /// Throws `envelopeTooComplex` for a request envelope beyond the bounds above. Bytes that
    /// are not protobuf end the walk: the decoder that follows gives the exact error.
    public static func checkEnvelope(_ payload: ByteBuffer) throws {
        try payload.withUnsafeReadableBytes { bytes in
            var walk = FieldWalk(bytes)
            var metadataEntries = 0
            var lastBodyBytes = 0
            while let field = walk.next() {
                switch (field.number, field.wireType) {
                case (3, 2): lastBodyBytes = field.bytes
                case (5, _):
                    metadataEntries += 1
                    if metadataEntries > maxMetadataEntries {
                        throw WireError(.envelopeTooComplex,
                            "request has more than \(maxMetadataEntries) metadata entries")
                    }
                default: break
                }
                // Checked as the walk goes, so an absurd envelope costs no more than the limit to refuse.
                let outside = walk.offset - lastBodyBytes
                if outside > maxEnvelopeFieldBytes {
                    throw WireError(.envelopeTooComplex,
                        "request envelope has more than \(maxEnvelopeFieldBytes) bytes outside its body")
                }
            }
        }
    }

    /// The number of top-level fields of `body` if it has more than `maxBodyFields`, else nil.
    /// Stops counting just past the limit.
    public static func excessBodyFields(_ body: UnsafeRawBufferPointer) -> Int? {
        var walk = FieldWalk(body)
        var count = 0
        while walk.next() != nil {
            count += 1
            if count > maxBodyFields { return count }
        }
        return nil
    }
}

/// The top-level fields of protobuf bytes, each with the bytes it takes (key and value); stops
/// (nil) at the end or at anything malformed. Group markers count as fields of no value.
struct FieldWalk {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func next() -> (number: UInt64, wireType: UInt64, bytes: Int)? {
        let start = offset
        guard offset < bytes.count, let key = ProtoWire.readVarint(bytes, at: &offset) else { return nil }
        let wireType = key & 7
        switch wireType {
        case 0: guard ProtoWire.readVarint(bytes, at: &offset) != nil else { return nil }
        case 1, 5:
            let width = wireType == 1 ? 8 : 4
            guard bytes.count - offset >= width else { return nil }
            offset += width
        case 2:
            guard let length = ProtoWire.readVarint(bytes, at: &offset),
                  length <= UInt64(bytes.count - offset) else { return nil }
            offset += Int(length)
        case 3, 4: break
        default: return nil
        }
        return (key >> 3, wireType, offset - start)
    }
}
