import FolioClient
import Foundation
import Testing
import FolioTestSupport

/// folio under hostile conditions: a tight open-file limit, and an export ended by a signal.
@Suite("folio CLI: file limit and interruption", .serialized)
struct CLIInterruptionTests {
    /// Starts folio through sh (for `ulimit`), output to files; the caller waits for it.
    private static func launch(_ shell: String, in folder: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", shell]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "FOLIO_SOCKET")
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: folder.appendingPathComponent("out").path)
        process.standardError = FileHandle(forWritingAtPath: folder.appendingPathComponent("err").path)
        try process.run()
        return process
    }

    private static func folder(in daemon: Daemon, _ name: String) throws -> URL {
        let folder = daemon.directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["out", "err"] { FileManager.default.createFile(atPath: folder.appendingPathComponent(file).path, contents: nil) }
        return folder
    }

    @Test("under a tight ulimit -n folio refuses with one line and exit 1, never a SwiftNIO trap; a file it cannot open is named with its errno")
    func lowFileLimit() async throws {
        try await withDaemon { daemon, _ in
            let folder = try Self.folder(in: daemon, "ulimit")
            let page = folder.appendingPathComponent("page.txt")
            try TestPages.seed.write(to: page, atomically: false, encoding: .utf8)
            for limit in [8, 10, 12] {
                let process = try Self.launch("ulimit -n \(limit) && exec '\(PackagePaths.folio)' health --socket '\(daemon.socketPath)'",
                                              in: folder)
                waitForExitPolling(process)
                let stderr = try String(contentsOf: folder.appendingPathComponent("err"), encoding: .utf8)
                // Before: SIGILL (uncaught signal) and a backtrace from NIO's eventfd.
                #expect(process.terminationReason == .exit && process.terminationStatus == 1, "ulimit \(limit): \(stderr)")
                #expect(stderr.hasPrefix("folio: cannot start: too many open files") && !stderr.contains("Backtrac"),
                        "ulimit \(limit): \(stderr)")
            }
            // No limit to blame: a file folio may not read names the system's reason, not a guess.
            try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: page.path)
            if getuid() != 0 {
                let run = try await CLIRun.folio(["ingest", page.path], socket: daemon.socketPath)
                #expect(run.stderr.contains("cannot open (Permission denied)"), "stderr: \(run.stderr)")
            }
        }
    }

    @Test("an export to a file ended by SIGINT, SIGTERM or SIGHUP removes its temporary file and dies by the signal")
    func interruptedExportLeavesNoTemporaryFile() async throws {
        try await withDaemon { daemon, _ in
            let seeded = try await CLIRun.folio(["ingest", TestPages.seedPath], socket: daemon.socketPath)
            #expect(seeded.status == 0, "stderr: \(seeded.stderr)")
            for signal in [SIGINT, SIGTERM, SIGHUP] {
                let folder = try Self.folder(in: daemon, "export-\(signal)")
                let target = folder.appendingPathComponent("articles.ndjson").path
                // foliod frozen: the export cannot finish before the signal, whatever the machine's speed.
                daemon.signal(SIGSTOP)
                defer { daemon.signal(SIGCONT) }
                let process = try Self.launch("exec '\(PackagePaths.folio)' export -o '\(target)' --socket '\(daemon.socketPath)'",
                                              in: folder)
                let temporary = { (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.contains(".tmp-") } ?? [] }
                let started = await waitUntil(limit: .seconds(60)) { !temporary().isEmpty }
                #expect(started, "no temporary file appeared")
                kill(process.processIdentifier, signal)
                waitForExitPolling(process)
                #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
                #expect(temporary().isEmpty, "left behind after signal \(signal): \(temporary())")
                #expect(!FileManager.default.fileExists(atPath: target))
            }
        }
    }
}
