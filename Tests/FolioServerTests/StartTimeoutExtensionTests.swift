@testable import FolioServer
import Foundation
import Testing
import FolioTestSupport

@Suite struct StartTimeoutExtensionTests {
    /// A datagram socket standing in for systemd's NOTIFY_SOCKET.
    static func notifySocket(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        return fd
    }

    @Test func aLongLoadAsksSystemdForMoreTime() async throws {
        let directory = try DaemonHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/notify"
        let fd = try Self.notifySocket(path)
        defer { close(fd) }
        // The work ends only once the request for more time has arrived (bounded, so a failing
        // extension fails the test instead of hanging it).
        var buffer = [UInt8](repeating: 0, count: 64)
        let result = try await StartTimeoutExtension.whileRunning(environment: ["NOTIFY_SOCKET": path]) {
            _ = try await offPool {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                return poll(&poller, 1, 30_000)
            }
            return 42
        }
        #expect(result == 42)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        #expect(count > 0 && String(decoding: buffer[0..<max(0, count)], as: UTF8.self) == "EXTEND_TIMEOUT_USEC=30000000")
    }

    @Test func withoutSystemdNothingIsSent() async throws {
        #expect(await StartTimeoutExtension.whileRunning(environment: [:]) { 7 } == 7)
    }
}
