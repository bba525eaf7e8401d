import FolioWire

#if canImport(Glibc)
import Glibc
#endif

/// Every failure a FolioClient call can end with: a gRPC status code plus a one-line message.
/// `kind` tells a status sent by foliod from one the client produced itself (it could not
/// connect, the connection dropped, a local deadline passed, the task was cancelled).
public struct FolioError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// foliod answered the call with this status.
        case server
        /// No connection could be made (nobody listening, no socket file, no permission).
        case cannotConnect
        /// The connection closed (or foliod sent a connection-level error) while the call was in flight.
        case connectionLost
        /// The client gave up: local deadline, task cancellation, or a request too large to send.
        case local
        /// foliod sent bytes that are not a valid Folio frame or envelope.
        case protocolViolation
        /// A write (Ingest, DeletePage, Reload) foliod had received went unanswered past its
        /// deadline and the grace after it (`Configuration.writeAnswerGrace`): it may have been
        /// carried out or not. Code DEADLINE_EXCEEDED (CANCELLED when the task was cancelled: a
        /// cancelled write waits that grace for foliod's answer too).
        case outcomeUnknown
    }

    public let code: Folio_V1_StatusCode
    public let message: String
    public let kind: Kind

    public init(code: Folio_V1_StatusCode, message: String, kind: Kind = .server) {
        self.code = code
        self.message = message
        self.kind = kind
    }

    init(_ status: Folio_V1_Status) {
        self.init(code: status.code, message: status.message.isEmpty ? status.code.name : status.message)
    }

    public var description: String { "\(code.name): \(message)" }

    /// `reason` is appended only for unusual failures; "no socket" and "nobody listening" both
    /// mean the daemon is not running.
    static func cannotConnect(_ path: String, reason: String? = nil) -> FolioError {
        FolioError(code: .unavailable,
                   message: "cannot connect to foliod at \(path): is it running?" + (reason.map { " (\($0))" } ?? ""),
                   kind: .cannotConnect)
    }

    static func permissionDenied(_ path: String) -> FolioError {
        FolioError(code: .permissionDenied, message: "permission denied connecting to foliod at \(path)",
                   kind: .cannotConnect)
    }

    /// foliod listens but took no connection in time: its queue of new connections stayed full
    /// (a Unix socket refuses at once with EAGAIN then; the client tried again until its deadline).
    /// Worded as the C and Python clients word it.
    static func notAccepted(_ path: String) -> FolioError {
        FolioError(code: .unavailable,
                   message: "cannot connect to foliod at \(path): it did not accept the connection in time "
                       + "(its queue of new connections is full)",
                   kind: .cannotConnect)
    }

    /// A failed connect(2): no socket or nobody listening means the daemon is not running.
    static func connectFailed(_ path: String, errno code: Int32) -> FolioError {
        switch code {
        case EACCES, EPERM: return .permissionDenied(path)
        case ENOENT, ECONNREFUSED: return .cannotConnect(path)
        case EAGAIN: return .notAccepted(path)
        default: return .cannotConnect(path, reason: String(cString: strerror(code)))
        }
    }

    /// The default socket's folder is controlled by someone else (FolioSocketPath.untrustedReason).
    static func untrustedSocket(_ path: String, reason: String) -> FolioError {
        FolioError(code: .permissionDenied,
                   message: "refusing to connect to foliod at \(path): \(reason) (name the socket with --socket or FOLIO_SOCKET)",
                   kind: .cannotConnect)
    }

    /// Checks the folder of a default socket path before anything is sent there.
    static func checkRuntimeDirectory(_ directory: String?, socketPath: String) throws {
        if let directory, let reason = FolioSocketPath.untrustedReason(directory: directory) {
            throw untrustedSocket(socketPath, reason: reason)
        }
    }

    static func connectionLost(_ path: String) -> FolioError {
        FolioError(code: .unavailable, message: "connection to foliod at \(path) was lost", kind: .connectionLost)
    }

    static func deadlineExceeded(_ milliseconds: Int64) -> FolioError {
        FolioError(code: .deadlineExceeded, message: "no answer within \(milliseconds) ms", kind: .local)
    }

    /// A write foliod had: not answered by its deadline (`milliseconds`) nor in `grace` after it.
    static func writeOutcomeUnknown(_ milliseconds: Int64, grace: Duration) -> FolioError {
        FolioError(code: .deadlineExceeded,
                   message: "no answer within \(milliseconds) ms, nor in the \(grace.components.seconds) s waited after it "
                       + "for a write foliod had received",
                   kind: .outcomeUnknown)
    }

    /// A call not answered by its deadline (`milliseconds`): for a write waited `grace` longer, its
    /// outcome is unknown.
    static func late(_ milliseconds: Int64, writeGrace grace: Duration?) -> FolioError {
        grace.map { writeOutcomeUnknown(milliseconds, grace: $0) } ?? deadlineExceeded(milliseconds)
    }

    /// A write cancelled after it was sent, whose answer did not come within `grace`.
    static func cancelledOutcomeUnknown(grace: Duration) -> FolioError {
        FolioError(code: .cancelled,
                   message: "call cancelled by the client after foliod had received the write; no answer in the "
                       + "\(grace.components.seconds) s waited for its outcome",
                   kind: .outcomeUnknown)
    }

    static let cancelled = FolioError(code: .cancelled, message: "call cancelled by the client", kind: .local)
    static let clientClosed = FolioError(code: .cancelled, message: "the client was closed", kind: .local)
}
