import Foundation
import Testing

#if canImport(Glibc)
import Glibc
import FolioTestSupport
#endif

@Suite("foliod logs with journald priorities when stderr is the journal")
struct JournalLogTests {
    @Test("each line starts with <priority> when JOURNAL_STREAM names stderr, and only then")
    func priorities() async throws {
        let lines = try await offPool { () throws -> [String] in
            let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("folio-journal-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let logPath = directory.appendingPathComponent("stderr").path
            guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
                throw HarnessError(description: "cannot write \(logPath)")
            }
            var status = stat()
            guard stat(logPath, &status) == 0 else { throw HarnessError(description: "stat failed") }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: PackagePaths.foliod)
            process.arguments = ["--socket", directory.appendingPathComponent("s.sock").path]
            var environment = ProcessInfo.processInfo.environment
            environment["JOURNAL_STREAM"] = "\(status.st_dev):\(status.st_ino)"
            for key in ["FOLIO_SOCKET", "FOLIO_DATA", "LISTEN_FDS", "NOTIFY_SOCKET"] { environment.removeValue(forKey: key) }
            process.environment = environment
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            var text = ""
            while Date() < deadline && !text.contains("foliod ready") {
                usleep(50_000)  // polls: the only sign of readiness is the line in a file it writes
                text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            }
            kill(process.processIdentifier, SIGTERM)
            waitForExitPolling(process)
            return text.split(separator: "\n").map(String.init)
        }
        #expect(lines.contains { $0.hasPrefix("<6>foliod: foliod ready") }, "\(lines)")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.range(of: #"^<[0-7]>"#, options: .regularExpression) != nil }, "\(lines)")
    }
}
