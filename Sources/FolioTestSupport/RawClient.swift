import FolioModel
import FolioWire
import Foundation
import NIOCore
import SwiftProtobuf

/// A deliberately simple client: raw frames over a POSIX socket, so the daemon is tested
/// independently of FolioClient. Its waits block a thread of their own (`offPool`).
// Unchecked: one test drives a client at a time; its parser and buffer are never shared.
public final class RawClient: @unchecked Sendable {
    public let fd: Int32
    private var parser = FrameParser()
    private var pending = ByteBuffer()

    public init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw StatusError(.unavailable, "connect failed: \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    public func sendRaw(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    public func send(id: UInt64, _ method: FolioMethod, _ body: some SwiftProtobuf.Message, timeoutMs: UInt32 = 0,
              zlib: Bool = false) throws {
        let request = try Folio_V1_Request.call(id, method, body, acceptZlib: zlib, timeoutMs: timeoutMs)
        sendRaw(try FrameWriter.frame(payload: request.serializedBytes(), compress: false).readableBytesView.map { $0 })
    }

    public func cancel(id: UInt64) throws {
        var request = Folio_V1_Request()
        request.id = id
        request.cancel = true
        sendRaw(try FrameWriter.frame(payload: request.serializedBytes(), compress: false).readableBytesView.map { $0 })
    }

    /// The next response frame, or nil when the daemon closed the connection.
    public func receive() async throws -> (response: Folio_V1_Response, compressed: Bool)? {
        try await offPool { try self.receiveBlocking() }
    }

    private func receiveBlocking() throws -> (response: Folio_V1_Response, compressed: Bool)? {
        while true {
            if let frame = try parser.next(from: &pending) {
                return (try Envelopes.response(from: frame), frame.wasCompressed)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            pending.writeBytes(chunk[0..<count])
        }
    }

    /// One call: send, then the final response of that id.
    public func call<M: SwiftProtobuf.Message>(_ method: FolioMethod, _ body: some SwiftProtobuf.Message, as: M.Type,
                                        id: UInt64 = 1, zlib: Bool = false) async throws -> Result<M, StatusError> {
        try send(id: id, method, body, zlib: zlib)
        guard let (response, _) = try await receive() else { throw StatusError(.unavailable, "connection closed") }
        guard response.status.code == .ok else { return .failure(StatusError(response.status)) }
        return .success(try M(serializedBytes: response.body))
    }
}

extension Result where Failure == StatusError {
    public var statusCode: Folio_V1_StatusCode {
        switch self {
        case .success: .ok
        case .failure(let error): error.code
        }
    }
}

extension Folio_V1_Request {
    /// A call envelope: `body` serialized, zlib accepted for the answer when asked.
    public static func call(_ id: UInt64, _ method: FolioMethod, _ body: some SwiftProtobuf.Message,
                            acceptZlib: Bool = false, timeoutMs: UInt32 = 0) throws -> Folio_V1_Request {
        var request = Folio_V1_Request()
        request.id = id
        request.method = method.rawValue
        request.body = try body.serializedData()
        request.timeoutMs = timeoutMs
        if acceptZlib { request.acceptEncodings = [.zlib] }
        return request
    }
}
