import FolioModel
import FolioWire
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SwiftProtobuf

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The socket calls of this client, where Linux and the BSDs differ (close-on-exec, SIGPIPE).
/// The names differ from the C functions they call, which they would otherwise shadow.
private enum Posix {
    static func openStreamSocket() -> Int32 {
        #if canImport(Glibc)
        return socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        if fd >= 0 {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var on: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        return fd
        #endif
    }

    static func closeSocket(_ fd: Int32) {
        _ = close(fd)
    }

    static func connectSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        connect(fd, address, length)
    }

    /// send() without SIGPIPE from a peer gone away (Darwin sets SO_NOSIGPIPE on the socket instead).
    static func sendBytes(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return send(fd, bytes, count, Int32(MSG_NOSIGNAL))
        #else
        return send(fd, bytes, count, 0)
        #endif
    }

    /// Whether `fd` has bytes or an end to read now (without waiting).
    static func hasInput(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0 && entry.revents != 0
    }

    static func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        read(fd, buffer, count)
    }
}

/// A blocking client of foliod for synchronous programs (scripts, tools, a thread of one's own):
/// each call writes its request and waits in a blocking read on the caller's thread, the way
/// libfolio's `folio_call` does. No event loop and no task hop stand between the call and the
/// socket, which makes it the fastest Swift path for one call at a time (GetArticle at one
/// connection: see the README's benchmark). Calls from several threads take turns on the one
/// connection; for concurrent or async callers use `FolioClient`, and never call this from
/// Swift-concurrency tasks (it blocks their thread).
///
/// The connection opens on first use and reopens on the next call after it dropped or after a
/// deadline passed (the late answer is never read); a write (Ingest, DeletePage, Reload) is waited
/// for `writeAnswerGrace` past its deadline, as `FolioClient` does. Errors are the same
/// `FolioError`s as `FolioClient`'s.
// @unchecked: the socket and its state are only touched with `lock` held (a blocking call holds it throughout).
public final class FolioBlockingClient: @unchecked Sendable {
    public let socketPath: String
    /// The folder of a default socket path, checked before each connect (nil: named by the caller).
    private let runtimeDirectory: String?
    public let configuration: FolioClient.Configuration

    private let lock = NIOLock()
    private var socket: Int32 = -1
    private var closed = false
    private var nextID: UInt64 = 0
    private var parser: FrameParser
    private var pending = ByteBuffer()
    private static let readSize = 64 * 1024
    /// The receive timeout set on the socket (nil: none), so it is changed only when a call's differs.
    private var receiveTimeout: Duration?

    /// `socketPath` nil resolves the path like every Folio program (see `FolioSocketPath`).
    /// The configuration's event-loop settings are not used.
    public init(socketPath: String? = nil, configuration: FolioClient.Configuration = .init()) {
        self.socketPath = FolioSocketPath.resolve(explicit: socketPath)
        runtimeDirectory = FolioSocketPath.runtimeDirectory(of: self.socketPath, explicit: socketPath)
        self.configuration = configuration
        parser = FrameParser(limits: configuration.limits)
    }

    deinit {
        if socket >= 0 { Posix.closeSocket(socket) }
    }

    /// Closes the connection; later calls are refused.
    public func close() {
        lock.withLock {
            closed = true
            disconnect()
        }
    }

    /// Calls `method` ("/folio.v1.Folio/<Method>") with a serialized request; returns the
    /// serialized response. Throws `FolioError`.
    public func call(method: String, body: Data, options: FolioCallOptions = .init()) throws -> Data {
        try lock.withLock {
            do {
                return try callOnce(method: method, body: body, options: options)
            } catch let error as FolioError where FolioClient.retriesCompressed(error, method: method, options: options,
                                                                                 configuration: configuration) {
                var compressed = options
                compressed.acceptCompressedResponses = true
                return try callOnce(method: method, body: body, options: compressed)
            }
        }
    }

    /// A typed unary call.
    public func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: FolioMethod, _ request: Request, as _: Response.Type = Response.self,
        options: FolioCallOptions = .init()
    ) throws -> Response {
        try FolioClient.decode(Response.self, call(method: method.rawValue, body: FolioClient.encode(request), options: options))
    }

    public func getArticle(id: String, script: Folio_V1_OutputScript = .original,
                           options: FolioCallOptions = .init()) throws -> Folio_V1_Article {
        var request = Folio_V1_GetArticleRequest()
        request.articleID = id
        request.script = script
        let body = try call(method: FolioMethod.getArticle.rawValue, body: FolioClient.encode(request), options: options)
        return try FolioClient.decodeArticle(body)
    }

    public func health(options: FolioCallOptions = .init()) throws -> Folio_V1_HealthResponse {
        try call(.health, Folio_V1_HealthRequest(), options: options)
    }

    // MARK: one call (lock held)

    private func callOnce(method: String, body: Data, options: FolioCallOptions) throws -> Data {
        guard !closed else { throw FolioError.clientClosed }
        // No call is in flight between calls: anything readable now is foliod ending the connection
        // (an idle timeout, a restart). Reconnect instead of writing into it and failing this call.
        if socket >= 0 && Posix.hasInput(socket) { disconnect() }
        if socket < 0 { try connect() }
        nextID += 1
        let id = nextID
        let timeout = options.timeout ?? configuration.defaultTimeout
        try send(Connection.frame(id: id, method: method, body: body, options: options, timeout: timeout,
                                  limits: configuration.limits,
                                  acceptsCompressedResponses: configuration.acceptCompressedResponses))
        // A write foliod started is answered with its outcome however late: waited for a grace longer.
        let grace = configuration.writeGrace(method)
        let wait = timeout.map { $0 + (grace ?? .zero) }
        let late = FolioError.late(timeout?.roundedUpMilliseconds ?? 0, writeGrace: grace)
        // A timeout beyond any real wait (68 years) is no local deadline: the instant would overflow.
        let deadline = wait.flatMap { $0 < .seconds(1 << 31) ? ContinuousClock.now + $0 : nil }
        while true {
            let response = try receive(until: deadline, timeout: wait, late: late)
            if response.id == 0 {
                disconnect()
                let status = response.status
                throw FolioError(code: status.code == .ok ? .unavailable : status.code,
                                 message: "foliod closed the connection: \(status.message)", kind: .connectionLost)
            }
            // Only this call is in flight; a stream's body frames (no status yet) are not unary answers.
            guard response.id == id, response.hasStatus else { continue }
            guard response.status.code == .ok else { throw FolioError(response.status) }
            return response.body
        }
    }

    private func connect() throws {
        try FolioError.checkRuntimeDirectory(runtimeDirectory, socketPath: socketPath)
        let fd = Posix.openStreamSocket()
        guard fd >= 0 else { throw FolioError.cannotConnect(socketPath, reason: String(cString: strerror(errno))) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Posix.closeSocket(fd)
            throw FolioError(code: .invalidArgument, message: "cannot connect to foliod at \(socketPath): "
                + "the path is not a usable Unix socket path (at most 107 bytes)", kind: .cannotConnect)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path + [0]) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Posix.connectSocket(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Posix.closeSocket(fd)
            throw FolioError.connectFailed(socketPath, errno: code)
        }
        socket = fd
        receiveTimeout = nil
        parser = FrameParser(limits: configuration.limits)
        pending.clear()
    }

    private func disconnect() {
        if socket >= 0 { Posix.closeSocket(socket) }
        socket = -1
    }

    private func send(_ frame: ByteBuffer) throws {
        try frame.withUnsafeReadableBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let count = Posix.sendBytes(socket, bytes.baseAddress! + sent, bytes.count - sent)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    disconnect()
                    throw FolioError.connectionLost(socketPath)
                }
                sent += count
            }
        }
    }

    /// The next response envelope, read with blocking reads bounded by the call's deadline: the
    /// first read waits at most `timeout` (set on the socket only when it changes), a later one
    /// what is left of it. Past the deadline it throws `late`, the connection dropped unread (the
    /// answer may still come).
    private func receive(until deadline: ContinuousClock.Instant?, timeout: Duration?,
                         late: FolioError) throws -> Folio_V1_Response {
        var firstRead = true
        while true {
            do {
                if let frame = try parser.next(from: &pending) { return try Envelopes.response(from: frame) }
            } catch let error as WireError {
                disconnect()
                throw FolioError(code: error.code, message: "bad frame from foliod: \(error.message)", kind: .protocolViolation)
            }
            if let deadline, !firstRead {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { throw expired(late) }
                try setReceiveTimeout(left)
            } else if receiveTimeout != timeout {
                try setReceiveTimeout(timeout)
            }
            firstRead = false
            // Read straight into the parser's buffer (consumed bytes are reclaimed first).
            pending.discardReadBytes()
            var failure: Int32 = 0
            let count = pending.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.readSize) { room in
                let count = Posix.readBytes(socket, room.baseAddress, room.count)
                if count < 0 { failure = errno }
                return max(count, 0)
            }
            if failure == EINTR { continue }
            if failure == EAGAIN || failure == EWOULDBLOCK { throw expired(late) }
            guard count > 0 else {
                disconnect()
                throw FolioError.connectionLost(socketPath)
            }
        }
    }

    private func expired(_ late: FolioError) -> FolioError {
        disconnect()
        return late
    }

    private func setReceiveTimeout(_ timeout: Duration?) throws {
        // SO_RCVTIMEO of zero means "no timeout": a positive remainder rounds up to 1 µs at least.
        let micros = timeout.map { max(1, $0.nanosecondsClamped / 1000) } ?? 0
        var value = timeval(tv_sec: .init(micros / 1_000_000), tv_usec: .init(micros % 1_000_000))
        guard setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            disconnect()
            throw FolioError(code: .internal, message: "cannot set a receive timeout: \(String(cString: strerror(errno)))",
                             kind: .local)
        }
        receiveTimeout = timeout
    }
}
