#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

/// Hand-written protobuf for the envelopes of the common call, read straight from the frame's
/// ByteBuffer: swift-protobuf's generic decoder (plus the copy into an array it needs) costs
/// more than the rest of a small call's client side.
///
/// Each reader returns nil for anything unusual (a field seen twice, an unknown field, a wire
/// type that does not match, a truncated value, `metadata` entries); the caller then decodes
/// with swift-protobuf, which gives the exact result or the proper error. For the envelopes
/// swift-protobuf itself writes, both paths yield equal messages (tested).
public enum EnvelopeFastPath {
    static func response(_ payload: ByteBuffer) -> Folio_V1_Response? {
        payload.withUnsafeReadableBytes { bytes -> Folio_V1_Response? in
            var response = Folio_V1_Response()
            var reader = ProtoReader(bytes)
            do {
                try reader.fields { reader, field, wireType in
                    switch (field, wireType) {
                    case (1, 0): response.id = try reader.varint()
                    case (2, 2): response.body = Data(try reader.lengthDelimited())
                    case (3, 2):
                        let status = try reader.lengthDelimited()
                        response.status = try status.isEmpty ? Folio_V1_Status() : Folio_V1_Status(serializedBytes: Array(status))
                    default: throw ProtoReader.Unusual()
                    }
                }
            } catch {
                return nil
            }
            return response
        }
    }

    static func request(_ payload: ByteBuffer) -> Folio_V1_Request? {
        payload.withUnsafeReadableBytes { bytes -> Folio_V1_Request? in
            var request = Folio_V1_Request()
            var reader = ProtoReader(bytes)
            do {
                try reader.fields { reader, field, wireType in
                    switch (field, wireType) {
                    case (1, 0): request.id = try reader.varint()
                    case (2, 2): request.method = try reader.string()
                    case (3, 2): request.body = Data(try reader.lengthDelimited())
                    case (4, 0): request.timeoutMs = try reader.uint32()
                    case (6, 2):
                        // Packed encodings, each a small known enum value. Beyond Int32 swift-protobuf
                        // truncates (and cannot serialize such a value back): its way, not ours.
                        for value in try reader.packedVarints() {
                            guard value <= UInt64(Int32.max), let encoding = Folio_V1_Encoding(rawValue: Int(value))
                            else { throw ProtoReader.Unusual() }
                            request.acceptEncodings.append(encoding)
                        }
                    case (7, 0): request.cancel = try reader.bool()
                    default: throw ProtoReader.Unusual()
                    }
                }
            } catch {
                return nil
            }
            return request
        }
    }

    /// The method name GetArticle calls carry, as bytes (compared without building a String).
    static let getArticleMethod = Array(FolioMethod.getArticle.rawValue.utf8)

    /// A plain GetArticle call (original script) read straight from its request payload, without
    /// building a `Folio_V1_Request` or decoding the body with swift-protobuf: the hottest call
    /// foliod answers. nil for anything else or anything unusual (another method, a cancel,
    /// metadata, a field seen twice, an unknown field, another script, id 0); the caller then
    /// takes the general path, which answers exactly as before (or with the proper error).
    public static func getArticleCall(_ payload: ByteBuffer) -> GetArticleCall? {
        payload.withUnsafeReadableBytes { bytes -> GetArticleCall? in
            var id: UInt64 = 0
            var isGetArticle = false
            var body: UnsafeRawBufferPointer?
            var acceptsZlib = false
            var reader = ProtoReader(bytes)
            do {
                try reader.fields { reader, field, wireType in
                    switch (field, wireType) {
                    case (1, 0): id = try reader.varint()
                    case (2, 2): isGetArticle = try reader.lengthDelimited().elementsEqual(getArticleMethod)
                    case (3, 2): body = try reader.lengthDelimited()
                    // The deadline cannot pass: the call is answered before the next frame is read.
                    case (4, 0): _ = try reader.uint32()
                    case (6, 2):
                        for value in try reader.packedVarints() {
                            // swift-protobuf reads 2^32 + 1 as zlib (int32 truncation): the general path decides.
                            guard value <= UInt64(Int32.max) else { throw ProtoReader.Unusual() }
                            if value == UInt64(Folio_V1_Encoding.zlib.rawValue) { acceptsZlib = true }
                        }
                    case (7, 0): guard try reader.varint() == 0 else { throw ProtoReader.Unusual() }
                    default: throw ProtoReader.Unusual()
                    }
                }
            } catch {
                return nil
            }
            // No body is an empty GetArticleRequest (article_id "").
            guard id != 0, isGetArticle, let articleID = body.map(getArticleRequestID) ?? "" else { return nil }
            return GetArticleCall(id: id, articleID: articleID, acceptsZlib: acceptsZlib)
        }
    }

    /// `article_id` of a `GetArticleRequest` asking for the original script; nil otherwise.
    private static func getArticleRequestID(_ body: UnsafeRawBufferPointer) -> String? {
        var articleID = ""
        var reader = ProtoReader(body)
        do {
            try reader.fields { reader, field, wireType in
                switch (field, wireType) {
                case (1, 2): articleID = try reader.string()
                // OUTPUT_SCRIPT_ORIGINAL is 0; a conversion goes the general way.
                case (2, 0): guard try reader.varint() == 0 else { throw ProtoReader.Unusual() }
                default: throw ProtoReader.Unusual()
                }
            }
        } catch {
            return nil
        }
        return articleID
    }

    /// The serialized size of a request without metadata, as swift-protobuf writes it.
    static func requestSize(id: UInt64, method: Int, body: Int, timeoutMs: UInt32, acceptZlib: Bool) -> Int {
        var size = 0
        if id != 0 { size += 1 + ProtoWire.varintSize(id) }
        if method > 0 { size += 1 + ProtoWire.varintSize(UInt64(method)) + method }
        if body > 0 { size += 1 + ProtoWire.varintSize(UInt64(body)) + body }
        if timeoutMs != 0 { size += 1 + ProtoWire.varintSize(UInt64(timeoutMs)) }
        if acceptZlib { size += 3 }
        return size
    }

    /// Writes the request envelope's fields in field order, byte for byte what swift-protobuf
    /// writes for the same message (which has no metadata and at most the zlib encoding).
    static func writeRequest(id: UInt64, method: String, body: Data, timeoutMs: UInt32, acceptZlib: Bool,
                             into out: inout ByteBuffer) {
        if id != 0 {
            ProtoWire.writeKey(field: 1, wireType: ProtoWire.varintType, into: &out)
            ProtoWire.writeVarint(id, into: &out)
        }
        let methodBytes = method.utf8.count
        if methodBytes > 0 {
            ProtoWire.writeLengthPrefix(field: 2, length: methodBytes, into: &out)
            out.writeString(method)
        }
        if !body.isEmpty {
            ProtoWire.writeLengthPrefix(field: 3, length: body.count, into: &out)
            body.withUnsafeBytes { _ = out.writeBytes($0) }
        }
        if timeoutMs != 0 {
            ProtoWire.writeKey(field: 4, wireType: ProtoWire.varintType, into: &out)
            ProtoWire.writeVarint(UInt64(timeoutMs), into: &out)
        }
        if acceptZlib {
            ProtoWire.writeLengthPrefix(field: 6, length: 1, into: &out)
            ProtoWire.writeVarint(UInt64(Folio_V1_Encoding.zlib.rawValue), into: &out)
        }
    }
}

/// What foliod needs of a plain GetArticle call (see `EnvelopeFastPath.getArticleCall`).
public struct GetArticleCall: Equatable, Sendable {
    public let id: UInt64
    public let articleID: String
    /// `accept_encodings` lists zlib.
    public let acceptsZlib: Bool

    public init(id: UInt64, articleID: String, acceptsZlib: Bool) {
        self.id = id
        self.articleID = articleID
        self.acceptsZlib = acceptsZlib
    }
}
