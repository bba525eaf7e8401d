import FolioTestSupport
import FolioWire
import Foundation
import SwiftProtobuf

#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking Unix-socket connection for sending foliod exactly the bytes a test wants,
/// broken ones included, and reading frames back without any client logic in between.
final class RawSocket: Sendable {
    private let fd: Int32

    init(path: String, receiveTimeoutSeconds: Int = 15) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes.prefix(raw.count - 1))
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw HarnessError(description: "connect(\(path)) failed: errno \(errno)")
        }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw HarnessError(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Sends a request envelope in one frame.
    func send(_ request: Folio_V1_Request, compress: Bool = false) throws {
        let payload: [UInt8] = try request.serializedBytes()
        try send(Self.frame(payload, compressed: compress))
    }

    /// Stops sending (the peer sees end-of-stream) but keeps reading.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    static func frame(_ payload: [UInt8], compressed: Bool = false, flags: UInt8? = nil) -> [UInt8] {
        let body = compressed ? Zlib.compress(payload) : payload
        let flagByte = flags ?? (compressed ? FrameLayout.compressedFlag : 0)
        let length = UInt32(body.count)
        return [flagByte, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + body
    }

    enum Read {
        case frame(flags: UInt8, response: Folio_V1_Response)
        /// The connection was closed (end-of-stream or reset).
        case closed
    }

    /// Reads the next frame; `.closed` at end-of-stream. Throws on timeout or an undecodable frame.
    func read() throws -> Read {
        guard let header = try readExactly(5) else { return .closed }
        let length = Int(header[1]) << 24 | Int(header[2]) << 16 | Int(header[3]) << 8 | Int(header[4])
        guard let payload = try readExactly(length) else {
            throw HarnessError(description: "foliod closed the connection inside a frame")
        }
        let plain = header[0] & FrameLayout.compressedFlag != 0
            ? try Zlib.decompress(payload, limit: WireLimits.default.maxInflatedBytes) : payload
        return .frame(flags: header[0], response: try Folio_V1_Response(serializedBytes: plain))
    }

    /// The next response, failing the test if the connection closed instead.
    func response() throws -> (flags: UInt8, response: Folio_V1_Response) {
        switch try read() {
        case .frame(let flags, let response): return (flags, response)
        case .closed: throw HarnessError(description: "foliod closed the connection instead of answering")
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let received = buffer[filled...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if received == 0 || (received < 0 && errno == ECONNRESET) { return filled == 0 ? nil : nil }
            if received < 0 {
                if errno == EINTR { continue }
                throw HarnessError(description: errno == EAGAIN ? "no answer from foliod within the timeout"
                                                                : "recv failed: errno \(errno)")
            }
            filled += received
        }
        return buffer
    }
}
