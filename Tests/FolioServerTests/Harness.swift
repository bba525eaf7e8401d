import FolioModel
import FolioServer
import FolioStore
import FolioWire
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import SwiftProtobuf

/// A foliod running in this process on a temporary socket and data directory.
final class DaemonHarness: @unchecked Sendable {
    let directory: String
    let socketPath: String
    let daemon: FolioDaemon
    let search: SearchProvider
    /// Holds pages starting with "SLEEP" in the parser until the test opens it.
    let slowPages = Gate()
    private let group: ServiceGroup
    private let runTask: Task<Void, Error>

    static func makeDirectory() -> String {
        let path = "/tmp/folio-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    init(directory: String = DaemonHarness.makeDirectory(), sample: Bool = false, search: SearchProvider = NoSearchProvider(),
         configure: (inout ServerConfig) -> Void = { _ in }) async throws {
        self.directory = directory
        socketPath = directory + "/foliod.sock"
        self.search = search
        var config = ServerConfig(socketPath: socketPath, dataDirectory: sample ? nil : directory + "/data")
        config.threads = 1
        config.drainTimeoutSeconds = 2
        configure(&config)
        var logger = Logger(label: "foliod-test")
        logger.logLevel = .critical
        daemon = FolioDaemon(config: config, logger: logger, parser: BlockPageParser(slowPages: slowPages), text: TableTextServices(), search: search)
        group = ServiceGroup(configuration: .init(services: [.init(service: daemon)], logger: logger))
        let group = self.group
        runTask = Task { try await group.run() }
        // Generous: the first daemon of a test run builds the per-character fold tables (slow in debug builds).
        let deadline = Date().addingTimeInterval(120)
        while !daemon.isListening {
            guard Date() < deadline else { throw StatusError(.unavailable, "test daemon did not start") }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    /// Stops the daemon and removes its directory (pass `keepDirectory` to restart on the same data).
    func stop(keepDirectory: Bool = false) async throws {
        await group.triggerGracefulShutdown()
        try await runTask.value
        if !keepDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }

    func client() throws -> RawClient { try RawClient(path: socketPath) }

    static func writePage(_ text: String, id: String, in directory: String) throws {
        let pages = directory + "/data/pages"
        try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: true)
        try text.write(toFile: pages + "/\(id).txt", atomically: true, encoding: .utf8)
    }
}

/// Runs blocking work on a thread of its own. Tests run on Swift's cooperative pool (one thread
/// per core: two here) and so do the in-process daemon's async calls; two tests blocked in
/// `recv` on those threads would wait for calls that can never run.
func offPool<T>(_ work: @escaping () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// A deliberately simple client: raw frames over a POSIX socket, so the daemon is tested
/// independently of FolioClient. Its waits block a thread of their own (`offPool`).
final class RawClient: @unchecked Sendable {
    let fd: Int32
    private var parser = FrameParser()
    private var pending = ByteBuffer()

    init(path: String) throws {
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

    func sendRaw(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func send(id: UInt64, _ method: FolioMethod, _ body: some SwiftProtobuf.Message, timeoutMs: UInt32 = 0,
              zlib: Bool = false) throws {
        var request = Folio_V1_Request()
        request.id = id
        request.method = method.rawValue
        request.body = try body.serializedData()
        request.timeoutMs = timeoutMs
        if zlib { request.acceptEncodings = [.zlib] }
        sendRaw(try FrameWriter.frame(payload: request.serializedBytes(), compress: false).readableBytesView.map { $0 })
    }

    func cancel(id: UInt64) throws {
        var request = Folio_V1_Request()
        request.id = id
        request.cancel = true
        sendRaw(try FrameWriter.frame(payload: request.serializedBytes(), compress: false).readableBytesView.map { $0 })
    }

    /// The next response frame, or nil when the daemon closed the connection.
    func receive() async throws -> (response: Folio_V1_Response, compressed: Bool)? {
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
    func call<M: SwiftProtobuf.Message>(_ method: FolioMethod, _ body: some SwiftProtobuf.Message, as: M.Type,
                                        id: UInt64 = 1, zlib: Bool = false) async throws -> Result<M, StatusError> {
        try send(id: id, method, body, zlib: zlib)
        guard let (response, _) = try await receive() else { throw StatusError(.unavailable, "connection closed") }
        guard response.status.code == .ok else { return .failure(StatusError(response.status)) }
        return .success(try M(serializedBytes: response.body))
    }
}

extension Result where Failure == StatusError {
    var statusCode: Folio_V1_StatusCode {
        switch self {
        case .success: .ok
        case .failure(let error): error.code
        }
    }
}
