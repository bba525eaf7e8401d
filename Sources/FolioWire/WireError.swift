/// Errors of the wire layer. Every error carries the gRPC status code a peer should receive
/// (`code`) and a human-readable `message`; `kind` lets code branch without string matching.
public struct WireError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// The length header exceeds `WireLimits.maxFrameBytes`.
        case frameTooLarge
        /// Inflating a compressed payload would exceed `WireLimits.maxInflatedBytes` (a zlib bomb).
        case inflatedTooLarge
        /// A reserved flag bit (bits 1–7) is set.
        case reservedFlags
        /// The payload claims to be zlib but is not a valid RFC 1950 stream.
        case corruptCompression
        /// The payload is not the declared protobuf envelope.
        case malformedEnvelope
        /// A request envelope beyond `RequestShape`'s bounds (too many metadata entries, too many
        /// bytes outside its body): refused before it is decoded.
        case envelopeTooComplex
        /// The stream ended inside a frame.
        case truncatedFrame
        /// A message to send does not fit in a frame.
        case outgoingTooLarge
    }

    public let kind: Kind
    public let code: Folio_V1_StatusCode
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
        switch kind {
        case .frameTooLarge, .inflatedTooLarge, .outgoingTooLarge, .envelopeTooComplex: code = .resourceExhausted
        case .reservedFlags, .corruptCompression, .malformedEnvelope, .truncatedFrame: code = .invalidArgument
        }
    }

    public var description: String { "\(kind.rawValue) (\(code)): \(message)" }

    /// The status a peer receives for this error.
    public var status: Folio_V1_Status { .init(code: code, message: message) }
}

/// A call failed with a gRPC status: what handlers throw and what clients surface.
public struct StatusError: Error, Equatable, CustomStringConvertible, Sendable {
    public let code: Folio_V1_StatusCode
    public let message: String

    public init(_ code: Folio_V1_StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public init(_ status: Folio_V1_Status) {
        self.init(status.code, status.message)
    }

    public var status: Folio_V1_Status { .init(code: code, message: message) }
    public var description: String { "\(code.name): \(message)" }

    /// A client's text as a message quotes it: at most `limit` characters, the rest counted (a
    /// megabyte name must not come back as a megabyte error line).
    public static func quoting(_ text: String, limit: Int = 200) -> String {
        let count = text.count
        return count <= limit ? text : text.prefix(limit) + "… (\(count) characters)"
    }
}

extension Folio_V1_Status {
    public init(code: Folio_V1_StatusCode, message: String = "") {
        self.init()
        self.code = code
        self.message = message
    }

    public static let ok = Folio_V1_Status(code: .ok)
}

extension Folio_V1_StatusCode {
    /// The canonical gRPC spelling, e.g. `RESOURCE_EXHAUSTED`.
    public var name: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        case .UNRECOGNIZED(let n): "CODE_\(n)"
        }
    }
}
