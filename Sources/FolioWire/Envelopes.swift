import NIOCore
import SwiftProtobuf

/// Building and reading the Request/Response envelopes of wire.proto.
public enum Envelopes {
    /// Decodes a request payload; a payload that is not a `Folio_V1_Request` → `malformedEnvelope`.
    public static func request(from frame: Frame) throws -> Folio_V1_Request {
        try decode(Folio_V1_Request.self, frame.payload)
    }

    public static func response(from frame: Frame) throws -> Folio_V1_Response {
        try decode(Folio_V1_Response.self, frame.payload)
    }

    static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, _ payload: ByteBuffer) throws -> M {
        do {
            return try M(serializedBytes: [UInt8](payload.readableBytesView))
        } catch {
            throw WireError(.malformedEnvelope, "payload is not a \(M.protoMessageName): \(error)")
        }
    }

    /// The response that ends a connection: id 0 and the status (sent just before closing).
    public static func connectionError(_ code: Folio_V1_StatusCode, _ message: String) -> Folio_V1_Response {
        var response = Folio_V1_Response()
        response.id = 0
        response.status = Folio_V1_Status(code: code, message: message)
        return response
    }

    /// The last frame of a call: `body` (may be empty) plus the status.
    public static func finalResponse(id: UInt64, body: [UInt8] = [], status: Folio_V1_Status = .ok) -> Folio_V1_Response {
        var response = Folio_V1_Response()
        response.id = id
        response.body = Data(body)
        response.status = status
        return response
    }

    /// A streamed body frame (no status: more frames follow).
    public static func streamResponse(id: UInt64, body: [UInt8]) -> Folio_V1_Response {
        var response = Folio_V1_Response()
        response.id = id
        response.body = Data(body)
        return response
    }

    /// Serializes an envelope into an `OutgoingFrame`; `compressible` when the peer accepts zlib.
    public static func outgoing(_ message: some SwiftProtobuf.Message, compressible: Bool,
                                allocator: ByteBufferAllocator = .init()) throws -> OutgoingFrame {
        let bytes: [UInt8] = try message.serializedBytes()
        var buffer = allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return OutgoingFrame(payload: buffer, compressible: compressible)
    }

    /// Whether a request lists zlib among its accepted encodings.
    public static func acceptsZlib(_ request: Folio_V1_Request) -> Bool {
        request.acceptEncodings.contains(.zlib)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
