import FolioTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A program on foliod's socket path that is not foliod: it accepts connections and answers each
/// with `reply` (nothing: it never answers), keeping them open until it is stopped.
final class ForeignProgram: @unchecked Sendable {
    /// A socket listening on `path` (a queue of 16), for stand-ins of foliod.
    static func listeningSocket(at path: String) throws -> Int32 {
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes.prefix($0.count - 1)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard listener >= 0, bound == 0, listen(listener, 16) == 0 else {
            throw HarnessError(description: "cannot listen on \(path): errno \(errno)")
        }
        return listener
    }

    let path: String
    private let listener: Int32
    private let reply: [UInt8]
    private let accepted = NSLock()
    private var connections: [Int32] = []

    init(reply: [UInt8]) throws {
        path = try DaemonHarness.makeDirectory() + "/fake.sock"
        self.reply = reply
        listener = try Self.listeningSocket(at: path)
        Thread.detachNewThread { [self] in
            while true {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }   // closed by stop()
                if !reply.isEmpty { _ = reply.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
                accepted.withLock { connections.append(fd) }
            }
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        accepted.withLock { connections.forEach { close($0) } }
    }
}
