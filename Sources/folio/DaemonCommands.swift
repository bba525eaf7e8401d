import ArgumentParser
import FolioClient
import FolioModel
import FolioWire

/// Commands that talk to foliod through FolioClient.
///
/// Exit codes (every daemon command):
///   0 ok · 1 failure (a page not acknowledged, daemon not serving, unreadable input)
///   2 not found · 3 cannot connect to foliod · 4 permission denied · 5 other server error
///   6 deadline exceeded · 7 invalid argument (refused by foliod) · 8 not available (UNIMPLEMENTED)
///   9 already exists · 10 failed precondition · 11 a write's outcome unknown (no answer in time)
///   12 foliod is loading or shutting down (UNAVAILABLE): try again later
///   64 usage error (from swift-argument-parser)
let daemonCommands: [ParsableCommand.Type] = [
    IngestCommand.self, DeleteCommand.self, SearchCommand.self, GetCommand.self, PageCommand.self, ListCommand.self,
    EntitiesCommand.self, EntityCommand.self, ConvertCommand.self, StatsCommand.self,
    InfoCommand.self, HealthCommand.self, MethodsCommand.self, ExportCommand.self,
]

let daemonExitCodesHelp = """
    Exit codes: 0 ok, 1 failure (also when standard output cannot be written, or too few file descriptors are free: ulimit -n), \
    2 not found, \
    3 cannot connect to foliod, 4 permission denied, 5 other server error, 6 deadline exceeded, \
    7 invalid argument (also a page too large to send), 8 not available in this foliod (a method it lacks), 9 already exists (a page \
    id stored with other text: --replace), 10 foliod cannot do it as it is (it serves the bundled \
    sample, or its data directory is read-only or unreadable), 11 outcome unknown (a write foliod had \
    went unanswered for the deadline and 10 s more: it may have been made; check with folio page or \
    folio list), 12 foliod is loading or shutting down: try again later, 64 usage; ended by SIGPIPE when the reader of its output goes away.
    """

/// Distinct exit codes for scripts (documented in `daemonExitCodesHelp`).
enum DaemonExit {
    static let failure: Int32 = 1
    static let notFound: Int32 = 2
    static let cannotConnect: Int32 = 3
    static let permissionDenied: Int32 = 4
    static let serverError: Int32 = 5
    static let deadlineExceeded: Int32 = 6
    static let invalidArgument: Int32 = 7
    static let unimplemented: Int32 = 8
    static let alreadyExists: Int32 = 9
    static let failedPrecondition: Int32 = 10
    static let outcomeUnknown: Int32 = 11
    /// UNAVAILABLE from foliod itself (loading, draining): a script retries, unlike a server error.
    static let retryLater: Int32 = 12

    static func code(for error: FolioError) -> Int32 {
        if error.kind == .cannotConnect && error.code != .permissionDenied { return cannotConnect }
        // Bytes that are no Folio frame (another program on the path, a daemon dying mid-answer):
        // the peer's fault, whatever status the framing error carries, never the caller's input.
        if error.kind == .protocolViolation { return serverError }
        // Not a plain failure: a write foliod had and did not answer in time may have been made.
        if error.kind == .outcomeUnknown { return outcomeUnknown }
        switch error.code {
        case .notFound: return notFound
        case .permissionDenied: return permissionDenied
        case .deadlineExceeded: return deadlineExceeded
        case .invalidArgument, .outOfRange: return invalidArgument
        case .failedPrecondition: return failedPrecondition
        case .unimplemented: return unimplemented
        case .alreadyExists: return alreadyExists
        // A request refused before it was sent (a page over the frame limit): the caller's input.
        case .resourceExhausted where error.kind == .local: return invalidArgument
        case .unavailable where error.kind == .connectionLost: return cannotConnect
        case .unavailable: return retryLater
        default: return serverError
        }
    }
}

/// Where foliod is and how long to wait for it.
struct DaemonConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("foliod's socket (default: $FOLIO_SOCKET, then the standard path).",
                                            valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp(
        "Deadline of each call, in seconds (default 30; export: none; 0: none); a write's answer is waited for 10 s longer.",
        valueName: "seconds"))
    var timeout: Double?

    /// `defaultTimeout` (seconds, nil for none) applies when --timeout is not given. A foliod whose
    /// queue of new connections is full is tried again until the deadline (30 s without one);
    /// the answer to a write foliod has is waited for `writeAnswerGrace` (10 s) past the deadline.
    func makeClient(defaultTimeout: Double? = 30) -> FolioClient {
        let seconds = timeout ?? defaultTimeout ?? 0
        let deadline: Duration? = seconds > 0 ? .milliseconds(Int64((seconds * 1000).rounded(.up))) : nil
        return FolioClient(socketPath: socket, configuration: .init(defaultTimeout: deadline,
                                                                    connectTimeout: deadline ?? .seconds(30)))
    }

    /// Runs `body` with a client, turning a `FolioError` into a one-line message and its exit code.
    func run<T>(defaultTimeout: Double? = 30, _ body: (FolioClient) async throws -> T) async throws -> T {
        let client = makeClient(defaultTimeout: defaultTimeout)
        defer { client.close() }
        do {
            return try await body(client)
        } catch let error as FolioError {
            let unavailable = error.code == .unimplemented && !error.message.contains("not available")
            Terminal.error(unavailable ? "not available: \(error.message)" : error.message)
            throw ExitCode(DaemonExit.code(for: error))
        }
    }
}

/// The text form answers come in (`--script`).
enum DaemonScript: String, CaseIterable, ExpressibleByArgument {
    case original, simplified, traditional, taiwan

    var proto: Folio_V1_OutputScript {
        switch self {
        case .original: .original
        case .simplified: .simplified
        case .traditional: .traditional
        case .taiwan: .taiwan
        }
    }
}

/// `--json` / `--ndjson` / `--script`, shared by the query commands.
struct DaemonOutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the answer as proto3 JSON.")
    var json = false

    @Flag(name: .long, help: "Print one JSON object per line (one per item of a list).")
    var ndjson = false

    @Option(name: .long, help: "Text form of the answer: original, simplified, traditional or taiwan.")
    var script: DaemonScript = .original

    var machineReadable: Bool { json || ndjson }

    func validate() throws {
        if json && ndjson { throw ValidationError("--json and --ndjson exclude each other") }
    }
}
