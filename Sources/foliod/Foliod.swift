import ArgumentParser
import CFolioBuildInfo
import FolioBuildInfo
import FolioMemory
import FolioServer
import FolioStore
import FoliodServices
import FolioWire
import Foundation
import Logging

/// foliod: the Folio daemon. Flags override the config file, which overrides FOLIO_* variables.
@main
struct Foliod: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "foliod",
        abstract: "Serve the Folio article model over a Unix socket.",
        discussion: """
        Socket: --socket, else $FOLIO_SOCKET, else $XDG_RUNTIME_DIR/folio/foliod.sock, else \
        /run/folio/foliod.sock (root), else /tmp/folio-<uid>/foliod.sock. Data: --data, else $FOLIO_DATA; \
        without one the bundled sample page is served read-only. SIGHUP reloads (one sent during the \
        start-up load is done once the load ends), SIGTERM or SIGINT drains; one sent during the \
        start-up load or a reload abandons that load first (between two pages: no snapshot of it, nothing served after a \
        start-up one). \
        Start-up reads DATA/snapshot/archive.folio (index + stored model) when this build wrote it, and \
        the pages changed since; else it parses every page and writes a fresh one in the background. \
        Exit codes: 0 after a clean stop; 2 socket problems (path too long, another foliod listening, not a socket, \
        bind or permission failure, a socket from socket activation that is not one listening Unix socket); 3 data \
        directory unusable (unreadable, not a directory, or locked by another foliod that serves it); 64 bad flags or \
        config values (also a --max-connections the open-file limit cannot hold).
        """,
        version: FolioBuildInfo.versionLine(tool: "foliod", protocolVersion: FolioWire.protocolVersion,
                                             commit: String(cString: folio_build_git_commit())))

    @Option(help: "Unix socket path to listen on (at most 103 bytes).") var socket: String?
    @Option(help: "Data directory (pages in DIR/pages).") var data: String?
    @Option(help: "Config file of `key = value` lines using these option names (e.g. max-connections = 64).")
    var config: String?
    @Option(name: .customLong("socket-group"), help: "Group (name or id) owning the socket file.") var socketGroup: String?
    @Option(name: .customLong("socket-mode"), help: "Octal mode of the socket file (default 0660).") var socketMode: String?
    @Option(name: .customLong("allow-uid"), help: "A uid allowed to write (repeatable; default: own uid and root).")
    var allowUID: [UInt32] = []
    @Option(name: .customLong("allow-gid"), help: "A gid allowed to write (repeatable).") var allowGID: [UInt32] = []
    @Option(name: .customLong("max-frame-bytes"), help: "Largest frame on the wire (default 4194304).") var maxFrameBytes: Int?
    @Option(name: .customLong("max-inflated-bytes"), help: "Largest inflated payload (default 16777216).")
    var maxInflatedBytes: Int?
    @Option(name: .customLong("max-connections"), help: "Connections served at once (default 256).") var maxConnections: Int?
    @Option(name: .customLong("max-calls"), help: "Calls in flight per connection (default 256).") var maxCalls: Int?
    @Option(name: .customLong("max-connections-per-uid"), help: "Connections one uid may hold (default 128).")
    var maxConnectionsPerUID: Int?
    @Option(name: .customLong("reserved-writer-connections"), help: "Connection slots kept for writers (default 16).")
    var reservedWriterConnections: Int?
    @Option(name: .customLong("write-timeout"), help: "Seconds a peer may leave its replies unread before it is disconnected (default 30).")
    var writeTimeout: Double?
    @Option(name: .customLong("max-queued-reply-bytes"), help: "Unread reply bytes per connection before it is disconnected (default 67108864).")
    var maxQueuedReplyBytes: Int?
    @Option(name: .customLong("max-queued-work"), help: "Blocking calls and searches waiting for a worker, daemon-wide; one uid may hold half (default 1024).")
    var maxQueuedWork: Int?
    @Option(name: .customLong("max-queued-work-bytes"), help: "Request bytes those calls may hold (default 268435456).")
    var maxQueuedWorkBytes: Int?
    @Option(name: .customLong("idle-timeout"), help: "Seconds before an idle connection is closed; 0 = never (default 300).")
    var idleTimeout: Double?
    @Option(name: .customLong("drain-timeout"), help: "Seconds SIGTERM waits for calls in flight (default 30).")
    var drainTimeout: Double?
    @Option(help: "Event loop threads (default: half the cores, at least one).") var threads: Int?
    @Option(name: .customLong("worker-threads"),
            help: "Threads of each worker pool, one for blocking calls and one for searches; at least 2 (default: the cores and half as many again).")
    var workerThreads: Int?
    @Option(name: .customLong("calls-per-uid"),
            help: "Calls one uid runs at once in each pool; keep it below --worker-threads so that another user's call finds a free thread (default: the cores).")
    var callsPerUID: Int?
    @Option(help: "How people, places and organizations are found: combined (the learnt tagger and precise rules, the default) or rules (hand-written rules alone: faster parses, lower recall).")
    var names: String?
    @Option(name: .customLong("snapshot-delay"),
            help: "Seconds after the last write before DATA/snapshot/archive.folio is rewritten (default 30).")
    var snapshotDelay: Double?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical (default info).")
    var logLevel: String?

    /// `foliod help` (which the generated man page and completions offer) is `foliod --help`.
    static func main() async {
        // SIGHUP's default action kills: ignored from the first instruction, before the flags are
        // read (under load that took over a second). The daemon traps it for reloads before its
        // load; one sent earlier has nothing to reload, as the load reads every page anyway.
        signal(SIGHUP, SIG_IGN)
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "help" { arguments[0] = "--help" }
        await main(arguments)
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let file = try ConfigFile.load(config ?? environment["FOLIO_CONFIG"])
        if let unknown = file.entries.indices.first(where: { !Self.configKeys.contains(file.entries[$0].0) }) {
            throw ValidationError("\(file.places[unknown]): unknown key \(file.entries[unknown].0) (the keys are foliod's long option names: \(Self.configKeys.sorted().joined(separator: ", ")))")
        }
        func pick(_ flag: String?, _ key: String) -> String? { flag ?? file[key] }
        for (flag, key) in [(socket, "socket"), (data, "data")] where pick(flag, key)?.isEmpty == true {
            throw ValidationError("\(file.name(flag, key)) must not be empty")
        }

        let level = try pick(logLevel, "log-level").map { raw -> Logger.Level in
            guard let level = Self.logLevel(raw) else {
                throw ValidationError("\(file.name(logLevel, "log-level")) = \(raw): not a log level (\(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return level
        } ?? .info
        let journal = JournalLogHandler.stderrIsJournal(environment: environment)
        LoggingSystem.bootstrap { label in
            if journal { return JournalLogHandler(logLevel: level, label: label) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "foliod")

        let socketPath = FolioSocketPath.resolve(explicit: pick(socket, "socket"), environment: environment)
        let dataDirectory = (pick(data, "data") ?? environment["FOLIO_DATA"].flatMap { $0.isEmpty ? nil : $0 })
            .map(Self.absolute)
        var settings = ServerConfig(socketPath: socketPath, dataDirectory: dataDirectory)
        settings.buildCommit = String(cString: folio_build_git_commit())
        settings.runtimeDirectory = FolioSocketPath.runtimeDirectory(of: socketPath, explicit: pick(socket, "socket"),
                                                                     environment: environment)
        settings.socketGroup = pick(socketGroup, "socket-group")
        // A bad setting is named where it was written, before anything starts.
        if let group = settings.socketGroup, SocketPath.groupID(group) == nil {
            throw ValidationError("\(file.name(socketGroup, "socket-group")) = \(group): no such group")
        }
        if let mode = pick(socketMode, "socket-mode") {
            guard let value = UInt16(mode, radix: 8), value <= 0o777 else {
                throw ValidationError("\(file.name(socketMode, "socket-mode")) = \(mode): not an octal mode, e.g. 0660")
            }
            settings.socketMode = value
        }
        settings.allowUIDs = Set(try allowUID + file.ids("allow-uid"))
        settings.allowGIDs = Set(try allowGID + file.ids("allow-gid"))
        try apply(maxFrameBytes, file, "max-frame-bytes", most: Self.mostPayloadBytes) { settings.limits.maxFrameBytes = $0 }
        try apply(maxInflatedBytes, file, "max-inflated-bytes", most: Self.mostPayloadBytes) { settings.limits.maxInflatedBytes = $0 }
        try apply(maxConnections, file, "max-connections") { settings.maxConnections = $0 }
        try apply(maxCalls, file, "max-calls") { settings.maxCallsPerConnection = $0 }
        try apply(maxConnectionsPerUID, file, "max-connections-per-uid") { settings.maxConnectionsPerUID = $0 }
        try apply(reservedWriterConnections, file, "reserved-writer-connections") { settings.reservedWriterConnections = $0 }
        try apply(maxQueuedReplyBytes, file, "max-queued-reply-bytes") { settings.maxQueuedReplyBytes = $0 }
        try apply(maxQueuedWork, file, "max-queued-work") { settings.maxQueuedWork = $0 }
        try apply(maxQueuedWorkBytes, file, "max-queued-work-bytes") { settings.maxQueuedWorkBytes = $0 }
        if let seconds = try seconds(writeTimeout, file, "write-timeout") { settings.writeTimeoutSeconds = seconds }
        try apply(threads, file, "threads", most: Self.mostThreads) { settings.threads = $0 }
        try apply(workerThreads, file, "worker-threads", most: Self.mostThreads) {
            settings.workerThreads = $0
            settings.queryThreads = $0
        }
        // FolioDaemon never gives blocking calls fewer than two threads: say so rather than round up.
        guard settings.workerThreads >= 2 else { throw ValidationError("\(file.name(workerThreads, "worker-threads")) must be at least 2") }
        try apply(callsPerUID, file, "calls-per-uid") { settings.callsPerUID = $0 }
        // Limits that cannot work together are refused here, not found out on the first call.
        guard settings.limits.maxFrameBytes >= Self.leastFrameBytes else {
            throw ValidationError("\(file.name(maxFrameBytes, "max-frame-bytes")) must be at least \(Self.leastFrameBytes): smaller frames cannot carry a request")
        }
        guard settings.limits.maxInflatedBytes >= settings.limits.maxFrameBytes else {
            throw ValidationError("\(file.name(maxInflatedBytes, "max-inflated-bytes")) (\(settings.limits.maxInflatedBytes)) must be at least \(file.name(maxFrameBytes, "max-frame-bytes")) (\(settings.limits.maxFrameBytes)): a compressed request would be refused at a size a plain one may have")
        }
        if (reservedWriterConnections != nil || file["reserved-writer-connections"] != nil),
           settings.reservedWriterConnections >= settings.maxConnections {
            throw ValidationError("\(file.name(reservedWriterConnections, "reserved-writer-connections")) (\(settings.reservedWriterConnections)) must be below \(file.name(maxConnections, "max-connections")) (\(settings.maxConnections)), so that readers keep a slot")
        }
        if let seconds = try seconds(idleTimeout, file, "idle-timeout") { settings.idleTimeoutSeconds = seconds }
        if let seconds = try seconds(drainTimeout, file, "drain-timeout") { settings.drainTimeoutSeconds = seconds }
        if let seconds = try seconds(snapshotDelay, file, "snapshot-delay") { settings.snapshotDelaySeconds = seconds }

        var nameRecognizer = NameRecognizer.combined
        if let value = pick(names, "names") {
            guard let choice = NameRecognizer(rawValue: value) else {
                throw ValidationError("\(file.name(names, "names")) = \(value): must be one of \(NameRecognizer.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            nameRecognizer = choice
        }
        // A cold start's peak is resident memory's bound (3× the page text): large blocks get their own
        // mappings so that freeing them gives the pages back (Benchmarks/RESULTS.md, "libdeflate …").
        Heap.mapAllocations(atLeast: 256 << 10)
        let daemon = FolioDaemon(config: settings, logger: logger, parser: FolioPageParser(names: nameRecognizer), text: OpenCCTextServices(),
                                 search: IndexSearchProvider())
        do {
            try await daemon.runUntilShutdown()
        } catch let error as SocketSetupError {
            StandardError.write("foliod: \(error.message)\n")
            throw ExitCode(2)
        } catch let error as StatusError {
            StandardError.write("foliod: \(error.message)\n")
            throw ExitCode(3)
        } catch let error as DescriptorLimitError {
            StandardError.write("foliod: \(error.message)\n")
            throw ExitCode(64)
        }
    }

    /// The keys a config file may set: the long names of the options above but --config.
    static let configKeys: Set<String> = [
        "socket", "data", "socket-group", "socket-mode", "allow-uid", "allow-gid", "max-frame-bytes",
        "max-inflated-bytes", "max-connections", "max-calls", "max-connections-per-uid", "reserved-writer-connections",
        "write-timeout", "max-queued-reply-bytes", "max-queued-work", "max-queued-work-bytes", "idle-timeout",
        "drain-timeout", "threads", "worker-threads", "calls-per-uid", "names", "snapshot-delay", "log-level",
    ]

    /// A relative data directory, against the directory foliod started in: logs, ServerInfo and
    /// `folio info` name the folder a user can find again.
    /// `.` and `..` are taken out (`./pages`, `../archive/pages`): the path names the folder once.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
            .standardizedFileURL.path
    }

    /// A log level as operators write it: any case, and `warn` for warning.
    static func logLevel(_ raw: String) -> Logger.Level? {
        let name = raw.lowercased()
        return Logger.Level(rawValue: name == "warn" ? "warning" : name)
    }

    /// Largest value of a count or size option: sums of them stay far from overflow.
    static let mostCount = 1 << 40
    /// Largest frame or inflated payload: 1 GiB.
    static let mostPayloadBytes = 1 << 30
    /// Smallest frame limit: requests up to a small page fit in it.
    static let leastFrameBytes = 4096
    /// Most threads of one kind (each event loop also holds three descriptors).
    static let mostThreads = 1024
    /// Longest any seconds option may be, a year: NIO keeps times as Int64 nanoseconds, and a
    /// value like 1e308 (or inf, nan) trapped on the first connection.
    static let mostSeconds = 365.0 * 24 * 3600

    private func apply(_ flag: Int?, _ file: ConfigFile, _ key: String, most: Int = mostCount, _ set: (Int) -> Void) throws {
        guard let value = try flag ?? file.int(key) else { return }
        guard value > 0 else { throw ValidationError("\(file.name(flag, key)) must be positive") }
        guard value <= most else { throw ValidationError("\(file.name(flag, key)) must be at most \(most)") }
        set(value)
    }

    private func seconds(_ flag: Double?, _ file: ConfigFile, _ key: String) throws -> Double? {
        guard let value = try flag ?? file.double(key) else { return nil }
        guard value.isFinite, value >= 0, value <= Self.mostSeconds else {
            throw ValidationError("\(file.name(flag, key)) must be a number of seconds from 0 to \(Int(Self.mostSeconds))")
        }
        return value
    }
}

/// `key = value` lines; `#` starts a comment; a key may repeat (allow-uid).
struct ConfigFile {
    var entries: [(String, String)] = []
    /// Where each entry was read ("PATH:LINE"), for messages about its value.
    var places: [String] = []

    static func load(_ path: String?) throws -> ConfigFile {
        guard let path else { return ConfigFile() }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let why = access(path, F_OK) != 0 ? "no such file" : access(path, R_OK) != 0 ? "permission denied" : "not UTF-8 text"
            throw ValidationError("cannot read config file \(path): \(why)")
        }
        var file = ConfigFile()
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Lines may end in CRLF (a file written on Windows).
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw ValidationError("\(path):\(number + 1): expected key = value")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            // A second value of a key that holds one is refused: which one wins is not for a reader to guess.
            if !Self.repeatable.contains(key), let first = file.entries.firstIndex(where: { $0.0 == key }) {
                throw ValidationError("\(path):\(number + 1): \(key) is set again (first at \(file.places[first]))")
            }
            file.entries.append((key, line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)))
            file.places.append("\(path):\(number + 1)")
        }
        return file
    }

    /// Keys a file may give more than once, each value adding to the others.
    static let repeatable: Set<String> = ["allow-uid", "allow-gid"]

    subscript(key: String) -> String? { entries.last { $0.0 == key }?.1 }

    /// How a message names a setting: its flag when given (flags win), else the file's line, else
    /// the flag (a default).
    func name(_ flag: Any?, _ key: String) -> String {
        guard flag == nil, let (_, place) = last(key) else { return "--\(key)" }
        return "\(place): \(key)"
    }

    /// The last value of `key` and where it was read.
    private func last(_ key: String) -> (value: String, place: String)? {
        entries.lastIndex { $0.0 == key }.map { (entries[$0].1, places[$0]) }
    }

    func int(_ key: String) throws -> Int? {
        guard let (value, place) = last(key) else { return nil }
        if let v = Int(value) { return v }
        let digits = value.drop { $0 == "-" || $0 == "+" }
        let tooLarge = !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
        throw ValidationError("\(place): \(key) = \(value): \(tooLarge ? "out of range" : "not a whole number")")
    }

    func double(_ key: String) throws -> Double? {
        guard let (value, place) = last(key) else { return nil }
        guard let v = Double(value) else { throw ValidationError("\(place): \(key) = \(value): not a number of seconds") }
        return v
    }

    /// Every value of a repeatable uid or gid key (a name or a typo is refused, not skipped).
    func ids(_ key: String) throws -> [UInt32] {
        try entries.indices.filter { entries[$0].0 == key }.map { k in
            guard let id = UInt32(entries[k].1) else {
                throw ValidationError("\(places[k]): \(key) = \(entries[k].1): not a numeric id (0 to \(UInt32.max))")
            }
            return id
        }
    }
}


