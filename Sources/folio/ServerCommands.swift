import ArgumentParser
import FolioClient
import FolioModel
import FolioParser
import Foundation

/// `folio convert TEXT`: script conversion through foliod's OpenCC.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert", abstract: "Convert text between scripts (reads stdin when no text is given).",
        discussion: daemonExitCodesHelp)

    @Argument(help: "Text to convert.")
    var text: [String] = []

    @Option(name: .long, help: "Target form: simplified, traditional, taiwan or original.")
    var script: DaemonScript = .simplified

    @Flag(name: .long, help: "Print the ConvertResponse as JSON.")
    var json = false

    @OptionGroup var connection: DaemonConnectionOptions

    func run() async throws {
        var input = text.joined(separator: " ")
        if text.isEmpty {
            // As pages are read: UTF-8, UTF-16 with a BOM, GB18030 or Big5; anything else is refused,
            // not turned into replacement characters.
            switch PageDecoder.decode([UInt8](FileHandle.standardInput.readDataToEndOfFile())) {
            case .success(let decoded): input = decoded.text
            case .failure(let error):
                Terminal.error("standard input: \(error.message)")
                throw ExitCode(DaemonExit.failure)
            }
        }
        let converted = try await connection.run { try await $0.convert(input, to: script.proto) }
        if json {
            var response = Folio_V1_ConvertResponse()
            response.text = converted
            return try Terminal.json(response)
        }
        if text.isEmpty { Terminal.write(converted) } else { Terminal.out(converted) }
    }
}

/// `folio stats`: counts, memory and per-method latency.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show foliod's counters and latencies.", discussion: daemonExitCodesHelp)

    @Flag(name: .long, help: "Print the StatsResponse as JSON.")
    var json = false

    @OptionGroup var connection: DaemonConnectionOptions

    func run() async throws {
        let stats = try await connection.run { try await $0.stats() }
        if json { return try Terminal.json(stats) }
        Terminal.out("pages        \(stats.pages)")
        Terminal.out("articles     \(stats.articles)")
        Terminal.out("entities     \(stats.entities)")
        Terminal.out("index terms  \(stats.indexTerms)")
        Terminal.out("corpus       \(Format.bytes(stats.corpusBytes))")
        Terminal.out("resident     \(Format.bytes(stats.residentBytes))")
        Terminal.out("uptime       \(Format.duration(milliseconds: stats.uptimeMs))")
        Terminal.out("connections  \(stats.connections)")
        guard !stats.methods.isEmpty else { return }
        Terminal.out("")
        Terminal.out(Terminal.bold("method".padding(toLength: 16, withPad: " ", startingAt: 0)
            + "     calls   errors      p50 µs      p90 µs      p99 µs"))
        for method in stats.methods {
            let name = method.method.split(separator: "/").last.map(String.init) ?? method.method
            Terminal.out(name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "%10llu %8llu %11.1f %11.1f %11.1f", method.calls, method.errors,
                         method.p50Micros, method.p90Micros, method.p99Micros))
        }
    }
}

/// `folio info`: what is listening on the socket.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show foliod's version, data directory and limits.", discussion: daemonExitCodesHelp)

    @Flag(name: .long, help: "Print the ServerInfoResponse as JSON.")
    var json = false

    @OptionGroup var connection: DaemonConnectionOptions

    func run() async throws {
        let client = connection.makeClient()
        let info = try await connection.run { try await $0.serverInfo() }
        if json { return try Terminal.json(info) }
        Terminal.out("\(info.name) \(info.version) (protocol \(info.protocolVersion), pid \(info.pid))")
        // The socket as given (--socket, FOLIO_SOCKET) may be relative to this shell's folder.
        Terminal.out("socket       \(URL(fileURLWithPath: client.socketPath).standardizedFileURL.path)")
        Terminal.out("data         \(info.sample ? "bundled sample corpus" : info.dataDir)")
        let started = Date(timeIntervalSince1970: Double(info.startedUnixMs) / 1000)
        Terminal.out("started      \(started.formatted(.iso8601))")
        Terminal.out("limits       frame \(Format.bytes(UInt64(info.maxFrameBytes))), "
            + "inflated \(Format.bytes(UInt64(info.maxInflatedBytes))), \(info.maxCallsInFlight) calls in flight")
    }
}

/// `folio health`: exits 0 only when foliod is serving.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health", abstract: "Check that foliod is serving (exit 0 only then).",
        discussion: "Not serving or draining: exit 1.\n\(daemonExitCodesHelp)")

    @Flag(name: .long, help: "Print the HealthResponse as JSON.")
    var json = false

    @OptionGroup var connection: DaemonConnectionOptions

    func run() async throws {
        let health = try await connection.run { try await $0.health() }
        if json {
            try Terminal.json(health)
        } else {
            Terminal.out("\(Format.serving(health.status)) (\(health.pages) pages, \(health.articles) articles)")
        }
        if health.status != .serving { throw ExitCode(DaemonExit.failure) }
    }
}

/// `folio methods`: the service's methods as foliod lists them.
struct MethodsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods", abstract: "List the methods foliod serves.", discussion: daemonExitCodesHelp)

    @Flag(name: .long, help: "Print the ListMethodsResponse as JSON.")
    var json = false

    @OptionGroup var connection: DaemonConnectionOptions

    func run() async throws {
        let methods = try await connection.run { try await $0.listMethods() }
        if json { return try Terminal.json(methods) }
        for method in methods.methods {
            var notes: [String] = []
            if method.serverStreaming { notes.append("streaming") }
            if method.write { notes.append("write") }
            let tail = notes.isEmpty ? "" : Terminal.dim("  [\(notes.joined(separator: ", "))]")
            Terminal.out("\(method.name)  \(method.requestType) → \(method.responseType)\(tail)")
        }
    }
}

/// Small human formats.
enum Format {
    static func bytes(_ count: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func duration(milliseconds: UInt64) -> String {
        let seconds = milliseconds / 1000
        if seconds < 60 { return String(format: "%.1f s", Double(milliseconds) / 1000) }
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        return h > 0 ? "\(h)h \(m)m \(s)s" : "\(m)m \(s)s"
    }

    static func serving(_ status: Folio_V1_HealthResponse.ServingStatus) -> String {
        switch status {
        case .serving: "SERVING"
        case .notServing: "NOT_SERVING"
        case .draining: "DRAINING"
        case .unknown, .UNRECOGNIZED: "UNKNOWN"
        }
    }
}
