import FolioClient
import FolioModel
import FolioTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// How `folio` walks the archive: `list --all` while an editor writes, `search --stream`.
@Suite("folio CLI walks", .serialized)
struct CLIWalkTests {
    @Test("list --all states a total that agrees with what it listed when pages are written during the walk")
    func listAllTotalAfterWritesDuringTheWalk() async throws {
        try await withDaemon { daemon, client in
            for id in ["a1", "a2", "a3"] { _ = try await client.ingest(TestPages.seedRequest(id: id)) }
            let socket = daemon.socketPath
            let perPage = try await client.listArticles(Folio_V1_ListArticlesRequest()).total / 3
            #expect(perPage > 2)
            // Two pages sorting after the others come in before the walk's third call: walked.
            let adding = try WriteDuringWalkProxy(to: daemon.socketPath, beforeFrame: 3) {
                for id in ["zz1", "zz2"] { runFolio(["ingest", "--no-progress", "--id", id, TestPages.seedPath], socket: socket) }
            }
            defer { adding.stop() }
            let json = try await CLIRun.folio(["list", "--all", "-l", "2", "--json"], socket: adding.path)
            #expect(json.status == 0, "stderr: \(json.stderr)")
            let listed = try Folio_V1_ListArticlesResponse(jsonString: json.stdout, options: FolioJSON.parseOptions)
            #expect(listed.articles.count == Int(perPage * 5))
            #expect(Int(listed.total) == listed.articles.count)
            #expect(Set(listed.articles.map(\.id)).count == listed.articles.count)

            // A page the walk has not reached is deleted: the footer must not claim articles missed.
            let deleting = try WriteDuringWalkProxy(to: daemon.socketPath, beforeFrame: 3) {
                runFolio(["delete", "a3"], socket: socket)
            }
            defer { deleting.stop() }
            let human = try await CLIRun.folio(["list", "--all", "-l", "2"], socket: deleting.path)
            #expect(human.status == 0, "stderr: \(human.stderr)")
            let articleLines = human.lines.filter { $0.hasPrefix("a") || $0.hasPrefix("zz") }.count
            #expect(articleLines == Int(perPage * 4))
            #expect(human.lines.last == "\(articleLines) of \(articleLines) articles")

            // From a page token the walk is partial by design: foliod's total, as of its last answer.
            let first = try await client.listArticles({ var r = Folio_V1_ListArticlesRequest(); r.pageSize = 2; return r }())
            let rest = try await CLIRun.folio(["list", "--all", "-l", "2", "--json", "--page-token", first.nextPageToken],
                                              socket: daemon.socketPath)
            #expect(rest.status == 0, "stderr: \(rest.stderr)")
            let restListed = try Folio_V1_ListArticlesResponse(jsonString: rest.stdout, options: FolioJSON.parseOptions)
            #expect(restListed.articles.count == Int(perPage * 4) - 2)
            #expect(Int(restListed.total) == Int(perPage * 4))
        }
    }

    @Test("search --stream without --limit prints every hit; --limit still caps it")
    func searchStreamGivesEveryHit() async throws {
        try await withDaemon { daemon, client in
            for n in 1...4 { _ = try await client.ingest(TestPages.seedRequest(id: "seed\(n)")) }
            let probe = try await CLIRun.folio(["search", "錦州", "--json", "--limit", "1"], socket: daemon.socketPath)
            if probe.status == 8 { return }  // this foliod has no search
            #expect(probe.status == 0, "stderr: \(probe.stderr)")
            let total = Int(try Folio_V1_SearchResponse(jsonString: probe.stdout, options: FolioJSON.parseOptions).total)
            #expect(total > 10)

            let stream = try await CLIRun.folio(["search", "錦州", "--stream", "--ndjson"], socket: daemon.socketPath)
            #expect(stream.status == 0, "stderr: \(stream.stderr)")
            #expect(stream.lines.count == total)
            let human = try await CLIRun.folio(["search", "錦州", "--stream"], socket: daemon.socketPath)
            #expect(human.status == 0)
            #expect(human.lines.filter { $0.hasPrefix("\(total). ") }.count == 1)

            let capped = try await CLIRun.folio(["search", "錦州", "--stream", "--ndjson", "--limit", "3"], socket: daemon.socketPath)
            #expect(capped.lines.count == 3)
            // Without --stream a page is still 10 hits.
            let paged = try await CLIRun.folio(["search", "錦州", "--json"], socket: daemon.socketPath)
            #expect(try Folio_V1_SearchResponse(jsonString: paged.stdout, options: FolioJSON.parseOptions).hits.count == 10)
        }
    }
}

/// Runs `folio` and waits for it (from a proxy thread: no async).
private func runFolio(_ arguments: [String], socket: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: PackagePaths.folio)
    process.arguments = arguments + ["--socket", socket]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return }
    waitForExitPolling(process)
}

/// A transparent proxy in front of foliod's socket that runs `write` once, before it forwards the
/// `beforeFrame`th request frame of a connection: an editor's write between two calls of a walk.
final class WriteDuringWalkProxy: @unchecked Sendable {
    let path: String
    private let listener: Int32

    init(to upstream: String, beforeFrame: Int, write: @escaping @Sendable () -> Void) throws {
        path = try DaemonHarness.makeDirectory() + "/proxy.sock"
        listener = try ForeignProgram.listeningSocket(at: path)
        Thread.detachNewThread { [listener] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }  // closed by stop()
                guard let server = Self.connect(upstream) else { close(client); continue }
                let pumps = DispatchGroup()
                pumps.enter()
                pumps.enter()
                pumps.notify(queue: .global()) {
                    close(client)
                    close(server)
                }
                Thread.detachNewThread {  // answers: as they come
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    while true {
                        let count = read(server, &buffer, buffer.count)
                        guard count > 0, Self.writeAll(client, buffer[0..<count]) else { break }
                    }
                    shutdown(client, Int32(SHUT_RDWR))  // ends the request thread too
                    pumps.leave()
                }
                Thread.detachNewThread {  // requests: frame by frame
                    var pending: [UInt8] = [], frames = 0
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    reading: while true {
                        let count = read(client, &buffer, buffer.count)
                        guard count > 0 else { break }
                        pending += buffer[0..<count]
                        while pending.count >= 5 {
                            let length = Int(pending[1]) << 24 | Int(pending[2]) << 16 | Int(pending[3]) << 8 | Int(pending[4])
                            guard pending.count >= 5 + length else { break }
                            frames += 1
                            if frames == beforeFrame { write() }
                            guard Self.writeAll(server, pending[0..<(5 + length)]) else { break reading }
                            pending.removeFirst(5 + length)
                        }
                    }
                    shutdown(server, Int32(SHUT_WR))
                    pumps.leave()
                }
            }
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func connect(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes.prefix($0.count - 1)) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    private static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}
