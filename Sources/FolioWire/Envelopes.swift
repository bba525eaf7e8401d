import NIOCore
import SwiftProtobuf

/// Building and reading the Request/Response envelopes of wire.proto.
public enum Envelopes {
    /// Decodes a request payload; a payload that is not a `Folio_V1_Request` → `malformedEnvelope`,
    /// one beyond `RequestShape`'s bounds → `envelopeTooComplex` (checked first, in one walk over
    /// the top-level fields: the decode after it is bounded).
    public static func request(from frame: Frame) throws -> Folio_V1_Request {
        try RequestShape.checkEnvelope(frame.payload)
        if let request = EnvelopeFastPath.request(frame.payload) { return request }
        return try decode(Folio_V1_Request.self, frame.payload)
    }

    public static func response(from frame: Frame) throws -> Folio_V1_Response {
        if let response = EnvelopeFastPath.response(frame.payload) { return response }
        return try decode(Folio_V1_Response.self, frame.payload)
    }

    /// A whole request frame (header and envelope), written without building a
    /// `Folio_V1_Request` when that is possible: no metadata, and a payload under the
    /// compression threshold (or `compress` false). The bytes are those of
    /// `FrameWriter.frame(payload: request.serializedBytes(), …)` for the same request.
    public static func requestFrame(id: UInt64, method: String, body: Data, timeoutMs: UInt32,
                                    metadata: [String: String], acceptEncodings: [Folio_V1_Encoding],
                                    compress: Bool, limits: WireLimits = .default,
                                    allocator: ByteBufferAllocator = .init()) throws -> ByteBuffer {
        let acceptZlib = acceptEncodings == [.zlib]
        let size = EnvelopeFastPath.requestSize(id: id, method: method.utf8.count, body: body.count,
                                                timeoutMs: timeoutMs, acceptZlib: acceptZlib)
        let simple = metadata.isEmpty && (acceptZlib || acceptEncodings.isEmpty)
        guard simple, !compress || size < limits.compressionThreshold else {
            var request = Folio_V1_Request()
            request.id = id
            request.method = method
            request.body = body
            request.timeoutMs = timeoutMs
            request.metadata = metadata
            request.acceptEncodings = acceptEncodings
            let payload: [UInt8] = try request.serializedBytes()
            try checkInflatable(payload.count, limits)
            return try FrameWriter.frame(payload: payload, compress: compress, limits: limits)
        }
        try FrameWriter.checkOutgoing(size, limits)
        var out = allocator.buffer(capacity: FrameLayout.headerBytes + size)
        FrameWriter.writeHeader(compressed: false, length: size, into: &out)
        EnvelopeFastPath.writeRequest(id: id, method: method, body: body, timeoutMs: timeoutMs,
                                      acceptZlib: acceptZlib, into: &out)
        return out
    }

    /// A request that compresses into a frame but inflates past the peer's limit is refused here:
    /// foliod would answer it by closing the connection, failing every other call on it.
    static func checkInflatable(_ size: Int, _ limits: WireLimits) throws {
        guard size <= limits.maxInflatedBytes else {
            throw WireError(.outgoingTooLarge,
                            "message of \(size) bytes exceeds the \(limits.maxInflatedBytes)-byte inflation limit")
        }
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
