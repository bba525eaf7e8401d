import Foundation

/// GetArticle load from libfolio's `folio-c-bench` (Clients/c): one C thread drives every
/// connection through poll(2), one call in flight each, the same arrangement as
/// redis-benchmark. It measures foliod with a client as lean as Redis's own.
enum CClientLoad {
    static let defaultBinary = "Clients/c/build/folio-c-bench"

    static func measure(binary: String, socket: String, ids: [String], connections: Int, requests: Int,
                        zlib: Bool) throws -> LatencyRow {
        let idsFile = try BenchDaemon.temporaryDirectory(prefix: "folio-c-bench") + "/ids.txt"
        defer { try? FileManager.default.removeItem(atPath: (idsFile as NSString).deletingLastPathComponent) }
        try ids.joined(separator: "\n").write(toFile: idsFile, atomically: true, encoding: .utf8)
        var arguments = ["--socket", socket, "-c", "\(connections)", "--ids", idsFile]
        if zlib { arguments.append("--zlib") }
        // Warm-up, then the measured run.
        _ = try run(binary, arguments + ["-n", "\(max(connections, min(requests, 2_000)))"])
        let fields = try run(binary, arguments + ["-n", "\(requests)"])
        return LatencyRow(label: "c" + (zlib ? " zlib" : ""), connections: connections, calls: Int(fields[1]),
                          medianMicros: fields[3], p99Micros: fields[4], rate: fields[2])
    }

    /// Runs folio-c-bench; its one CSV line: connections,requests,rps,p50_us,p99_us.
    private static func run(_ binary: String, _ arguments: [String]) throws -> [Double] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        BenchDaemon.waitForExit(process)
        let fields = String(decoding: data, as: UTF8.self).split(separator: "\n").first?
            .split(separator: ",").compactMap { Double($0) } ?? []
        guard process.terminationStatus == 0, fields.count == 5 else {
            throw BenchError(description: "folio-c-bench failed (exit \(process.terminationStatus)): "
                + String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return fields
    }
}
