import FolioClient
import FolioModel
import Foundation
import Testing
import FolioTestSupport

/// Runs the real `folio` binary.
struct CLIRun {
    let status: Int32
    let stdout: String
    let stderr: String

    static func folio(_ arguments: [String], socket: String?, stdin: String? = nil) async throws -> CLIRun {
        try await offPool { try run(arguments, socket: socket, stdin: stdin) }
    }

    private static func run(_ arguments: [String], socket: String?, stdin: String?) throws -> CLIRun {
        guard FileManager.default.isExecutableFile(atPath: PackagePaths.folio) else {
            throw HarnessError(description: "\(PackagePaths.folio) is missing: run `make test`")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PackagePaths.folio)
        process.arguments = arguments + (socket.map { ["--socket", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "FOLIO_SOCKET")
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read before waiting so that a large output cannot block the child on a full pipe.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        waitForExitPolling(process)
        return CLIRun(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

@Suite("folio CLI against foliod", .serialized)
struct CLITests {
    @Test("ingest prints each page id and exits 0 when every page was acknowledged")
    func ingestFilesAndFolders() async throws {
        try await withDaemon { daemon, client in
            let folder = daemon.directory.appendingPathComponent("pages")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<6 {
                try TestPages.small(index).text.write(to: folder.appendingPathComponent("p\(index).txt"), atomically: false,
                                                      encoding: .utf8)
            }
            let seed = TestPages.seedPath
            let run = try await CLIRun.folio(["ingest", seed, folder.path, "--concurrency", "3"], socket: daemon.socketPath)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.lines.count == 7)
            let printedIDs = Set(run.lines.compactMap { $0.split(separator: "\t").first.map(String.init) })
            let stored = Set(try await client.listPages().pages.map(\.id))
            #expect(printedIDs == stored)
            #expect(stored.count == 7)
        }
    }

    @Test("a file name with a newline or a tab (legal) still prints as one line of three fields")
    func ingestPrintsOddFileNamesOnOneLine() async throws {
        try await withDaemon { daemon, client in
            let folder = daemon.directory.appendingPathComponent("odd")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try TestPages.small(0).text.write(to: folder.appendingPathComponent("jinzhou\nA02.txt"), atomically: false, encoding: .utf8)
            try TestPages.small(1).text.write(to: folder.appendingPathComponent("jinzhou\tA03.txt"), atomically: false, encoding: .utf8)
            let run = try await CLIRun.folio(["ingest", folder.path], socket: daemon.socketPath)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.lines.count == 2, "stdout: \(run.stdout)")
            #expect(run.lines.allSatisfy { $0.split(separator: "\t").count == 3 }, "stdout: \(run.stdout)")
            #expect(run.stdout.contains("jinzhou\\x0aA02.txt") && run.stdout.contains("jinzhou\\x09A03.txt"), "stdout: \(run.stdout)")
            #expect(try await client.listPages().pages.count == 2)
        }
    }

    @Test("an import whose foliod dies says what became of every page")
    func ingestWhenTheDaemonDies() async throws {
        try await withDaemon { daemon, client in
            let folder = daemon.directory.appendingPathComponent("many")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Far more pages than foliod takes in before the poll below sees three (a few ms each):
            // the import must still be running when foliod dies.
            let total = 1000
            for index in 0..<total {
                try (TestPages.seed + "\n第\(index)版").write(to: folder.appendingPathComponent(String(format: "p%03d.txt", index)),
                                                             atomically: false, encoding: .utf8)
            }
            let run = Task { try await CLIRun.folio(["ingest", folder.path, "--concurrency", "2"], socket: daemon.socketPath) }
            for _ in 0..<600 where ((try? await client.health().pages) ?? 0) < 3 { try await Task.sleep(for: .milliseconds(100)) }
            await daemon.crash()
            let result = try await run.value
            #expect(result.status != 0)
            // Every page is accounted for: acknowledged, refused, in flight or not sent.
            let summary = try #require(result.stderr.split(separator: "\n").first { $0.contains("foliod went away during the import") },
                                       "stderr: \(result.stderr)")
            let figures = summary.split(separator: ":", maxSplits: 1)[1].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            #expect(figures.count == 5 && figures[1] == total)
            if figures.count == 5 { #expect(figures[0] + figures[2] + figures[3] + figures[4] == total) }
            #expect(figures.first == result.lines.count)
            #expect(result.stderr.contains("run the same command again"))
        }
    }

    @Test("another program on the socket path (bytes that are no frame) is a server error (exit 5), not the caller's input")
    func anotherProgramOnThePathExitsFive() async throws {
        let peer = try ForeignProgram(reply: Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
        defer { peer.stop() }
        let run = try await CLIRun.folio(["health", "--timeout", "10"], socket: peer.path)
        #expect(run.status == 5, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("bad frame from foliod"))
    }

    @Test("ingest exits non-zero when a page is not acknowledged")
    func ingestPartialFailure() async throws {
        try await withDaemon { daemon, _ in
            let seed = TestPages.seedPath
            let binary = daemon.directory.appendingPathComponent("binary.txt")
            // Not text in any encoding folio reads (FF FE alone would be a UTF-16 byte order mark).
            try Data([0x00, 0xFF, 0xFE, 0xC3, 0x01]).write(to: binary)
            let run = try await CLIRun.folio(["ingest", seed, binary.path], socket: daemon.socketPath)
            #expect(run.status == 1)
            #expect(run.lines.count == 1)
            #expect(run.stderr.contains("binary.txt"))
        }
    }

    @Test("delete removes pages with their articles; an id not stored is reported (exit 2), the rest deleted")
    func deletePages() async throws {
        try await withDaemon { daemon, client in
            _ = try await client.ingest(TestPages.seedRequest(id: "seed-a"))
            _ = try await client.ingest(TestPages.seedRequest(id: "seed-b"))
            let run = try await CLIRun.folio(["delete", "seed-a", "missing", "seed-b"], socket: daemon.socketPath)
            #expect(run.status == 2)
            #expect(run.lines.map { $0.split(separator: "\t").first.map(String.init) ?? "" } == ["seed-a", "seed-b"])
            #expect(run.lines.allSatisfy { $0.hasSuffix("articles removed") && !$0.contains("\t0 articles") })
            #expect(run.stderr.contains("missing"))
            #expect(try await client.stats().pages == 0)
            #expect(try await client.stats().articles == 0)
        }
    }

    @Test("get, page and list print proto3 JSON that parses back")
    func jsonOutputs() async throws {
        try await withDaemon { daemon, client in
            let ingested = try await client.ingest(TestPages.seedRequest())
            let articleID = ingested.articleIds[0]

            let get = try await CLIRun.folio(["get", articleID, "--json"], socket: daemon.socketPath)
            #expect(get.status == 0, "stderr: \(get.stderr)")
            let article = try Folio_V1_Article(jsonString: get.stdout, options: FolioJSON.parseOptions)
            #expect(article == (try await client.getArticle(id: articleID)))

            let page = try await CLIRun.folio(["page", "seed", "--json"], socket: daemon.socketPath)
            #expect(page.status == 0)
            let parsedPage = try Folio_V1_Page(jsonString: page.stdout, options: FolioJSON.parseOptions)
            #expect(parsedPage.articles.map(\.id) == ingested.articleIds)

            let list = try await CLIRun.folio(["list", "--json", "--page", "seed"], socket: daemon.socketPath)
            #expect(list.status == 0)
            let listed = try Folio_V1_ListArticlesResponse(jsonString: list.stdout, options: FolioJSON.parseOptions)
            #expect(listed.articles.map(\.id) == ingested.articleIds)

            let ndjson = try await CLIRun.folio(["list", "--ndjson"], socket: daemon.socketPath)
            #expect(ndjson.lines.count == ingested.articleIds.count)

            let human = try await CLIRun.folio(["get", articleID], socket: daemon.socketPath)
            #expect(human.status == 0)
            #expect(human.stdout.contains(article.headline))

            let simplified = try await CLIRun.folio(["get", articleID, "--json", "--script", "simplified"], socket: daemon.socketPath)
            let converted = try Folio_V1_Article(jsonString: simplified.stdout, options: FolioJSON.parseOptions)
            #expect(converted.headline == (try await client.convert(article.headline, to: .simplified)))
        }
    }

    @Test("search prints the SearchResponse, or says search is not available")
    func search() async throws {
        try await withDaemon { daemon, client in
            _ = try await client.ingest(TestPages.seedRequest())
            let run = try await CLIRun.folio(["search", "錦州", "--json", "--limit", "5"], socket: daemon.socketPath)
            if run.status == 8 {
                #expect(run.stderr.contains("not available"))
                return
            }
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let response = try Folio_V1_SearchResponse(jsonString: run.stdout, options: FolioJSON.parseOptions)
            #expect(response.hits.count <= 5)
            #expect(response.total > 0)
        }
    }

    @Test("Exit codes: not found 2, cannot connect 3, health 0 only when serving")
    func exitCodes() async throws {
        try await withDaemon { daemon, _ in
            let missing = try await CLIRun.folio(["get", "no-such-article"], socket: daemon.socketPath)
            #expect(missing.status == 2)
            #expect(missing.stderr.hasPrefix("folio: "))
            #expect(missing.stderr.split(separator: "\n").count == 1)

            let health = try await CLIRun.folio(["health"], socket: daemon.socketPath)
            #expect(health.status == 0)
            #expect(health.stdout.hasPrefix("SERVING"))
        }
        let nowhere = "/tmp/folio-cli-nowhere-\(getpid()).sock"
        let down = try await CLIRun.folio(["health"], socket: nowhere)
        #expect(down.status == 3)
        #expect(down.stderr == "folio: cannot connect to foliod at \(nowhere): is it running?\n")
    }

    @Test("FOLIO_SOCKET is honoured when --socket is absent")
    func environmentSocket() async throws {
        try await withDaemon { daemon, _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: PackagePaths.folio)
            process.arguments = ["health"]
            var environment = ProcessInfo.processInfo.environment
            environment["FOLIO_SOCKET"] = daemon.socketPath
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            waitForExitPolling(process)
            #expect(process.terminationStatus == 0)
        }
    }

    @Test("info, stats, methods, entities and convert answer")
    func otherCommands() async throws {
        try await withDaemon { daemon, client in
            _ = try await client.ingest(TestPages.seedRequest())
            let info = try await CLIRun.folio(["info", "--json"], socket: daemon.socketPath)
            #expect(info.status == 0)
            #expect(try Folio_V1_ServerInfoResponse(jsonString: info.stdout).pid == UInt32(daemon.pid))

            let stats = try await CLIRun.folio(["stats", "--json"], socket: daemon.socketPath)
            let counted = try Folio_V1_StatsResponse(jsonString: stats.stdout, options: FolioJSON.parseOptions)
            #expect(counted.pages == 1)

            let methods = try await CLIRun.folio(["methods"], socket: daemon.socketPath)
            #expect(methods.lines.count >= 17)
            #expect(methods.stdout.contains("/folio.v1.Folio/GetArticle"))

            let entities = try await CLIRun.folio(["entities", "--ndjson"], socket: daemon.socketPath)
            if entities.status == 8 {  // the entity index has not landed in this foliod
                #expect(entities.stderr.contains("not available"))
                return
            }
            #expect(entities.status == 0)
            #expect(!entities.lines.isEmpty)
            let first = try Folio_V1_EntitySummary(jsonString: entities.lines[0], options: FolioJSON.parseOptions)
            // Stats counts the entities the list has (one per type and name), not their search keys.
            let listed = try await CLIRun.folio(["entities", "--json", "--limit", "1"], socket: daemon.socketPath)
            let total = try Folio_V1_ListEntitiesResponse(jsonString: listed.stdout, options: FolioJSON.parseOptions).total
            #expect(counted.entities == total)
            #expect(total > 1)
            let entity = try await CLIRun.folio(["entity", first.text, "--json"], socket: daemon.socketPath)
            #expect(entity.status == 0, "stderr: \(entity.stderr)")
            // 崔治 signs the seed page's stories and is named in none of their texts: where to find them.
            let credited = try await CLIRun.folio(["entity", "崔治"], socket: daemon.socketPath)
            #expect(credited.status == 0, "stderr: \(credited.stderr)")
            #expect(credited.stdout.contains("folio list --author 崔治"))

            let convert = try await CLIRun.folio(["convert", "--script", "simplified"], socket: daemon.socketPath, stdin: "錦州港\n")
            #expect(convert.stdout == "锦州港\n")
        }
    }
}
