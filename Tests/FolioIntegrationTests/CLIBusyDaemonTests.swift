import FolioClient
import FolioModel
import FolioTestSupport
import FolioWire
import Foundation
import SwiftProtobuf
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// folio against a foliod that is there but slow to take or answer: a full queue of new
/// connections, a write answered after folio's deadline, an export whose reader pauses.
@Suite("folio CLI: a busy or slow foliod", .serialized)
struct CLIBusyDaemonTests {
    /// What a folio run left: its status (nil: still running at `limit` and killed) and stderr.
    struct BoundedRun {
        let status: Int32?
        let stdout: String
        let stderr: String
    }

    /// Runs folio with output to files, killing it if it outlives `limit`: a test here can fail,
    /// never hang.
    static func folio(_ arguments: [String], in folder: String, limit: Double = 120,
                      standardOutput: Pipe? = nil, whileRunning: (Process) async -> Void = { _ in }) async throws -> BoundedRun {
        let out = folder + "/out", err = folder + "/err"
        for file in [out, err] { FileManager.default.createFile(atPath: file, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PackagePaths.folio)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "FOLIO_SOCKET")
        process.environment = environment
        process.standardOutput = standardOutput ?? FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        await whileRunning(process)
        waitForExitPolling(process, limit: limit)
        let finished = !process.isRunning
        if !finished {
            kill(process.processIdentifier, SIGKILL)
            waitForExitPolling(process, limit: 10)
        }
        return BoundedRun(status: finished ? process.terminationStatus : nil,
                          stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    @Test("a full queue of new connections is waited for until --timeout, then exit 3 'did not accept the connection in time'")
    func fullAcceptQueue() async throws {
        try await withDaemon { daemon, _ in
            daemon.signal(SIGSTOP)  // foliod stalled: it accepts nothing, its listen queue fills
            defer { daemon.signal(SIGCONT) }
            let pending = try QueueFiller.fill(daemon.socketPath)
            defer { pending.forEach { close($0) } }
            #expect(pending.count > 0)
            let run = try await Self.folio(["health", "--timeout", "2", "--socket", daemon.socketPath],
                                           in: daemon.directory.path)
            // Before: exit 3 at once, "is it running? (Resource temporarily unavailable)".
            #expect(run.status == 3, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("cannot connect to foliod at \(daemon.socketPath): it did not accept the connection in time "
                                        + "(its queue of new connections is full)"), "stderr: \(run.stderr)")
            #expect(!run.stderr.contains("is it running"), "stderr: \(run.stderr)")
        }
    }

    @Test("nobody listening still fails at once with 'is it running?'")
    func nobodyListening() async throws {
        let folder = try TemporaryDirectory.make(prefix: "folio-busy")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try await Self.folio(["health", "--timeout", "60", "--socket", folder + "/none.sock"], in: folder)
        #expect(run.status == 3, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("is it running?"), "stderr: \(run.stderr)")
    }

    @Test("a write foliod answers after folio's deadline is reported with foliod's answer, not as a failure")
    func writeAnsweredAfterTheDeadline() async throws {
        let fake = try SlowWriteDaemon(answerWrites: true)
        defer { fake.stop() }
        let page = fake.directory + "/page.txt"
        try "测试标题\n\n本报讯 这是一篇测试文章。\n".write(toFile: page, atomically: false, encoding: .utf8)
        let run = try await Self.folio(["ingest", page, "--id", "slowpage", "--timeout", "1", "--socket", fake.socketPath],
                                       in: fake.directory)
        // Before: exit 6 "no answer within 1000 ms" for a page foliod went on to store.
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.hasPrefix("slowpage\t"), "stdout: \(run.stdout) stderr: \(run.stderr)")
    }

    @Test("a write foliod never answers ends with exit 11: it may have been made")
    func writeNeverAnswered() async throws {
        let fake = try SlowWriteDaemon(answerWrites: false)
        defer { fake.stop() }
        let run = try await Self.folio(["delete", "victim", "--timeout", "1", "--socket", fake.socketPath], in: fake.directory)
        // Before: exit 6 "no answer within 1000 ms", as if nothing had been deleted.
        #expect(run.status == 11, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("victim: no answer within 1000 ms"), "stderr: \(run.stderr)")
        #expect(run.stderr.contains("the page may have been deleted or not"), "stderr: \(run.stderr)")
    }

    @Test("an export cut by foliod's write timeout because folio's reader paused says so (exit 1)")
    func exportToAPausedReader() async throws {
        let pages = Self.largePages()
        try #require(!pages.isEmpty, "the shared corpus is missing: \(PackagePaths.corpus.path)")
        try await withDaemon(arguments: ["--write-timeout", "1"]) { daemon, _ in
            for (index, text) in pages.enumerated() {
                let file = daemon.directory.appendingPathComponent("big\(index).txt").path
                try text.write(toFile: file, atomically: false, encoding: .utf8)
                let stored = try await CLIRun.folio(["ingest", file, "--id", "big\(index)", "--timeout", "300"],
                                                    socket: daemon.socketPath)
                try #require(stored.status == 0, "stderr: \(stored.stderr)")
            }
            let output = Pipe()
            let run = try await Self.folio(["export", "--no-progress", "--socket", daemon.socketPath],
                                           in: daemon.directory.path, standardOutput: output) { _ in
                // Nobody reads folio's output until foliod has given up on folio's connection.
                let cut = await waitUntil(limit: .seconds(120)) { daemon.log.contains("peer read no reply") }
                #expect(cut, "foliod never cut the export (too small for folio's read-ahead?): \(daemon.log)")
                // Then all of it, on a thread of its own: the run below is bounded even if folio hangs.
                let reader = output.fileHandleForReading
                Thread { _ = reader.readDataToEndOfFile() }.start()
            }
            // Before: exit 3 "connection to foliod at … was lost", as if foliod had crashed.
            #expect(run.status == 1, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("folio's standard output was not read for"), "stderr: \(run.stderr)")
            #expect(run.stderr.contains("--write-timeout"), "stderr: \(run.stderr)")
        }
    }

    /// Five pages of the corpus's first 1.3 million characters (its 2025 articles, 1.2 million
    /// characters, each): their export is well over folio's 16 MiB read-ahead (four are about 8%
    /// over it and what pipes and sockets hold).
    static func largePages() -> [String] {
        let url = PackagePaths.corpus.appendingPathComponent("pfr1998/articles-01-20.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        struct Article: Decodable { let paragraphs: [String] }
        let length = 1_300_000
        var page: [Unicode.Scalar] = []
        for line in text.split(separator: "\n") where page.count < length {
            guard let article = try? JSONDecoder().decode(Article.self, from: Data(line.utf8)) else { continue }
            page += (article.paragraphs.joined(separator: "\n\n") + "\n\n").unicodeScalars
        }
        guard !page.isEmpty else { return [] }
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: page.prefix(length))
        return Array(repeating: String(cut), count: 5)
    }
}

/// Connections that fill a listening socket's queue of new connections (its process stopped).
enum QueueFiller {
    /// Connects without blocking until the socket refuses with EAGAIN; returns the descriptors.
    static func fill(_ path: String, atMost: Int = 5000) throws -> [Int32] {
        var descriptors: [Int32] = []
        for _ in 0..<atMost {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { throw HarnessError(description: "socket() failed: errno \(errno)") }
            if connectUnix(fd, path) != 0 {
                let code = errno
                close(fd)
                guard code == EAGAIN else {
                    descriptors.forEach { close($0) }
                    throw HarnessError(description: "connect(\(path)) failed: errno \(code)")
                }
                return descriptors
            }
            descriptors.append(fd)
        }
        descriptors.forEach { close($0) }
        throw HarnessError(description: "\(atMost) connections did not fill the queue of \(path)")
    }

    static func connectUnix(_ fd: Int32, _ path: String) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes.prefix($0.count - 1)) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}

/// A stand-in for foliod whose storage is slow: it answers ServerInfo at once, and a write
/// (Ingest, DeletePage) only after twice the request's `timeout_ms`, as foliod answers a write
/// already storing its page however late (docs/protocol.md), or never (`answerWrites` false:
/// a hung foliod). One connection at a time, on a thread of its own.
final class SlowWriteDaemon: @unchecked Sendable {
    let directory: String
    let socketPath: String
    private let listener: Int32
    private let answerWrites: Bool
    private let stopped = NSLock()
    private var isStopped = false
    private let done = DispatchSemaphore(value: 0)

    init(answerWrites: Bool) throws {
        self.answerWrites = answerWrites
        directory = try TemporaryDirectory.make(prefix: "folio-slow")
        socketPath = directory + "/foliod.sock"
        listener = try ForeignProgram.listeningSocket(at: socketPath)
        Thread { [self] in
            serve()
            done.signal()
        }.start()
    }

    func stop() {
        stopped.withLock { isStopped = true }
        done.wait()
        close(listener)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var shouldStop: Bool { stopped.withLock { isStopped } }

    /// Waits up to 100 ms for `fd` to be readable (the stop flag is checked between waits).
    private func readable(_ fd: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 100) > 0
    }

    private func serve() {
        while !shouldStop {
            guard readable(listener) else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            answer(connection)
            close(connection)
        }
    }

    private func answer(_ connection: Int32) {
        while !shouldStop {
            guard readable(connection) else { continue }
            guard let payload = readFrame(connection), let request = try? Folio_V1_Request(serializedBytes: payload) else { return }
            if request.cancel { continue }
            switch FolioMethod(rawValue: request.method) {
            case .serverInfo:
                var info = Folio_V1_ServerInfoResponse()
                info.name = "foliod"
                info.maxCallsInFlight = 256
                send(connection, id: request.id, info)
            case .ingest, .deletePage:
                guard answerWrites else { continue }
                // The page takes twice the deadline to store; foliod answers it all the same.
                Thread.sleep(forTimeInterval: 2 * Double(request.timeoutMs) / 1000)
                if request.method == FolioMethod.ingest.rawValue {
                    let ingest = (try? Folio_V1_IngestRequest(serializedBytes: request.body)) ?? .init()
                    var stored = Folio_V1_IngestResponse()
                    stored.pageID = ingest.pageID
                    stored.articleIds = [ingest.pageID + "-1"]
                    send(connection, id: request.id, stored)
                } else {
                    var deleted = Folio_V1_DeletePageResponse()
                    deleted.pageID = (try? Folio_V1_DeletePageRequest(serializedBytes: request.body))?.pageID ?? ""
                    send(connection, id: request.id, deleted)
                }
            default:
                var status = Folio_V1_Status()
                status.code = .unimplemented
                status.message = "not in this stand-in"
                sendResponse(connection, Envelopes.finalResponse(id: request.id, status: status))
            }
        }
    }

    private func send(_ connection: Int32, id: UInt64, _ message: some SwiftProtobuf.Message) {
        guard let body: [UInt8] = try? message.serializedBytes() else { return }
        sendResponse(connection, Envelopes.finalResponse(id: id, body: body))
    }

    private func sendResponse(_ connection: Int32, _ response: Folio_V1_Response) {
        guard let payload: [UInt8] = try? response.serializedBytes() else { return }
        let frame = RawSocket.frame(payload)
        var offset = 0
        while offset < frame.count {
            let sent = frame[offset...].withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    /// One frame's payload, inflated; nil at the end of the connection.
    private func readFrame(_ connection: Int32) -> [UInt8]? {
        guard let header = readExactly(connection, 5) else { return nil }
        let length = Int(header[1]) << 24 | Int(header[2]) << 16 | Int(header[3]) << 8 | Int(header[4])
        guard let payload = readExactly(connection, length) else { return nil }
        guard header[0] & FrameLayout.compressedFlag != 0 else { return payload }
        return try? Zlib.decompress(payload, limit: WireLimits.default.maxInflatedBytes)
    }

    private func readExactly(_ connection: Int32, _ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let received = buffer[filled...].withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if received < 0 && errno == EINTR { continue }
            guard received > 0 else { return nil }
            filled += received
        }
        return buffer
    }
}
