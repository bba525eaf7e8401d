import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// redis-server on a temporary Unix socket, measured by redis-benchmark: GETs of one key whose
/// value has the article's size (SET once at start), with the connection count of the row it
/// is compared with. Kept running between rows so each comparison runs back to back.
final class RedisBenchmark {
    struct Row {
        let rate: Double
        let medianMicros: Double
        let p99Micros: Double
    }

    private let directory: String
    private let socket: String
    private let server: Process
    private let valueBytes: Int

    /// Distinct keys GET cycles through (`-r`): 1 is redis-benchmark's default (one key, always hot
    /// in cache); the article count makes Redis touch as many distinct values as foliod does.
    private let keys: Int

    init(valueBytes: Int, keys: Int = 1) throws {
        self.valueBytes = valueBytes
        self.keys = max(1, keys)
        directory = try BenchDaemon.temporaryDirectory(prefix: "folio-redis")
        socket = directory + "/redis.sock"
        server = Process()
        server.executableURL = try Self.which("redis-server")
        server.arguments = ["--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no",
                            "--dir", directory]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: socket) { usleep(10_000) }
        // With -r, SET picks keys at random: 20 passes leave a key unset with probability e^-20.
        _ = try run(["-t", "set", "-c", "1", "-n", "\(keys > 1 ? keys * 20 : 1000)"] + keyRange)
    }

    func stop() {
        // SIGKILL: a child may inherit a blocked SIGTERM from this process, and this
        // throw-away server has nothing to save.
        kill(server.processIdentifier, SIGKILL)
        BenchDaemon.waitForExit(server)
        try? FileManager.default.removeItem(atPath: directory)
    }

    func measure(connections: Int, requests: Int) throws -> Row {
        let rows = try run(["-t", "get", "-c", "\(connections)", "-n", "\(requests)"] + keyRange)
        guard let row = rows["GET"] else { throw BenchError(description: "redis-benchmark printed no GET figure") }
        return row
    }

    private var keyRange: [String] { keys > 1 ? ["-r", "\(keys)"] : [] }

    /// Runs redis-benchmark with CSV output; rows by test name.
    private func run(_ arguments: [String]) throws -> [String: Row] {
        let benchmark = Process()
        benchmark.executableURL = try Self.which("redis-benchmark")
        benchmark.arguments = ["-s", socket, "-d", "\(valueBytes)", "--csv", "--precision", "3"] + arguments
        let output = Pipe()
        benchmark.standardOutput = output
        benchmark.standardError = FileHandle.nullDevice
        try benchmark.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        BenchDaemon.waitForExit(benchmark)
        // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        var rows: [String: Row] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard fields.count >= 7, let rps = Double(fields[1]), let p50 = Double(fields[4]), let p99 = Double(fields[6])
            else { continue }
            rows[fields[0]] = Row(rate: rps, medianMicros: p50 * 1000, p99Micros: p99 * 1000)
        }
        return rows
    }

    private static func which(_ name: String) throws -> URL {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
        }
        throw BenchError(description: "\(name) is not installed")
    }
}
