import FolioClient
import FolioModel
import FolioTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Paths of the package under test: the binaries `make test` builds before `swift test`.
enum PackagePaths {
    /// <package root>, found from this file's location (Tests/FolioIntegrationTests/…).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// Where foliod and folio are: $FOLIO_TEST_BIN_DIR (`make test` gives the release build's),
    /// else the debug build.
    static let binaries: URL = {
        guard let given = ProcessInfo.processInfo.environment["FOLIO_TEST_BIN_DIR"], !given.isEmpty else {
            return root.appendingPathComponent(".build/debug")
        }
        return URL(fileURLWithPath: given, relativeTo: root).standardizedFileURL
    }()
    static let foliod = binaries.appendingPathComponent("foliod").path
    static let folio = binaries.appendingPathComponent("folio").path
    /// The team's shared corpus next to the repository (../shared/corpus).
    static let corpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpus")
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
}

/// A real foliod process on a temporary socket and data directory, for one test.
/// Like Hummingbird's test helper: start, wait until it answers Health, use, stop.
// Unchecked: `process` is set by launch and cleared by stop, both called by the one test that owns it.
final class Daemon: @unchecked Sendable {
    let directory: URL
    let socketPath: String
    let dataDirectory: String
    let logPath: String
    private let extraArguments: [String]
    private(set) var process: Process?

    /// Starts foliod and waits until Health says SERVING. `arguments` are added to the command
    /// line; `useDataDirectory` false serves the bundled sample.
    static func start(arguments: [String] = [], useDataDirectory: Bool = true) async throws -> Daemon {
        let daemon = try Daemon(arguments: arguments, useDataDirectory: useDataDirectory)
        do {
            try await daemon.launch()
        } catch {
            daemon.stop()
            throw error
        }
        return daemon
    }

    private init(arguments: [String], useDataDirectory: Bool) throws {
        guard FileManager.default.isExecutableFile(atPath: PackagePaths.foliod) else {
            throw HarnessError(description: "\(PackagePaths.foliod) is missing: run `make test` (it builds foliod first)")
        }
        directory = URL(fileURLWithPath: try TemporaryDirectory.make(prefix: "folio-it"))
        socketPath = directory.appendingPathComponent("foliod.sock").path
        dataDirectory = directory.appendingPathComponent("data").path
        logPath = directory.appendingPathComponent("foliod.log").path
        if useDataDirectory {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            extraArguments = ["--data", dataDirectory] + arguments
        } else {
            extraArguments = arguments
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var pid: Int32 { process?.processIdentifier ?? 0 }

    /// (Re)starts the process on the same socket and data directory.
    func launch() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PackagePaths.foliod)
        process.arguments = ["--socket", socketPath] + extraArguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "FOLIO_SOCKET")
        environment.removeValue(forKey: "FOLIO_DATA")
        environment.removeValue(forKey: "LISTEN_FDS")
        process.environment = environment
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw HarnessError(description: "cannot write \(logPath)") }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        try await waitUntilServing()
    }

    private func waitUntilServing() async throws {
        let client = makeClient(timeout: .seconds(2))
        defer { client.close() }
        let deadline = ContinuousClock.now + Self.startupWait
        var lastError: any Error = HarnessError(description: "never answered")
        // Asks once more after the deadline has passed: on a busy machine this task may get no
        // thread for a long while, and foliod may have been ready all along.
        while true {
            guard let process, process.isRunning else {
                throw HarnessError(description: "foliod exited (\(process?.terminationStatus ?? -1)) during start-up:\n\(log)")
            }
            do {
                if try await client.health().status == .serving { return }
            } catch {
                lastError = error
            }
            guard ContinuousClock.now < deadline else { break }
            // Polls: a child process has no readiness event but its answer (it may not listen yet).
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError(description: "foliod did not become healthy within \(Self.startupWait) (\(lastError)):\n\(log)")
    }

    /// How long a debug foliod may take to serve: the suites start a dozen at once, and on a
    /// 2-core machine busy with other work 90 s was seen to run out.
    static let startupWait: Duration = .seconds(180)

    func makeClient(timeout: Duration? = .seconds(30)) -> FolioClient {
        FolioClient(socketPath: socketPath, configuration: .init(defaultTimeout: timeout))
    }

    /// What foliod logged so far (for failure messages).
    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)).map { String($0.suffix(4000)) } ?? "(no log)"
    }

    func signal(_ number: Int32) {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit; returns its status, or nil after `limit`.
    @discardableResult
    func waitForExit(limit: Duration = .seconds(20)) async -> Int32? {
        guard let process, await waitUntil(limit: limit, { !process.isRunning }) else { return nil }
        return process.terminationStatus
    }

    /// SIGKILL, as a crash would.
    func crash() async {
        signal(SIGKILL)
        await waitForExit()
    }

    /// SIGTERM and wait; SIGKILL if it does not go.
    func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        waitForExitPolling(process, limit: 10)
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            waitForExitPolling(process)
        }
    }
}

/// Polls instead of `Process.waitUntilExit`, which can block forever off the main thread (and
/// `stop` runs from `deinit`, where nothing can be awaited).
func waitForExitPolling(_ process: Process, limit seconds: Double = 120) {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(2_000) }
}

/// Runs `body` against a fresh daemon and always stops it.
func withDaemon<T>(arguments: [String] = [], useDataDirectory: Bool = true,
                   _ body: (Daemon, FolioClient) async throws -> T) async throws -> T {
    let daemon = try await Daemon.start(arguments: arguments, useDataDirectory: useDataDirectory)
    let client = daemon.makeClient()
    defer {
        client.close()
        daemon.stop()
    }
    return try await body(daemon, client)
}
