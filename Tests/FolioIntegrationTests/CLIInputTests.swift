import FolioClient
import FolioModel
import Foundation
import Testing
import FolioTestSupport

/// Runs the system's iconv(1) to make test input in other encodings (independent of the
/// decoder under test, which calls iconv(3) itself).
func iconvCommand(_ arguments: [String], input: Data) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    process.arguments = arguments
    let inPipe = Pipe(), outPipe = Pipe()
    process.standardInput = inPipe
    process.standardOutput = outPipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let writer = Thread { inPipe.fileHandleForWriting.write(input); try? inPipe.fileHandleForWriting.close() }
    writer.start()
    let output = outPipe.fileHandleForReading.readDataToEndOfFile()
    waitForExitPolling(process)
    return output
}

@Suite("folio CLI input: standard input, encodings, manifests", .serialized)
struct CLIInputTests {
    /// The articles of a stored page without what differs between copies of it (ids).
    static func content(_ page: Folio_V1_Page) -> [Folio_V1_Article] {
        page.articles.map { article in
            var copy = article
            copy.id = ""
            copy.pageID = ""
            return copy
        }
    }

    @Test("parse - and ingest - read standard input")
    func standardInput() async throws {
        let fromFile = try await CLIRun.folio(["parse", TestPages.seedPath, "--json"], socket: nil)
        let fromStdin = try await CLIRun.folio(["parse", "-", "--json"], socket: nil, stdin: TestPages.seed)
        #expect(fromStdin.status == 0, "stderr: \(fromStdin.stderr)")
        let filePage = try Folio_V1_Page(jsonString: fromFile.stdout, options: FolioJSON.parseOptions)
        let stdinPage = try Folio_V1_Page(jsonString: fromStdin.stdout, options: FolioJSON.parseOptions)
        #expect(stdinPage.articles.map(\.headline) == filePage.articles.map(\.headline))
        #expect(!stdinPage.articles.isEmpty)

        let empty = try await CLIRun.folio(["parse", "-"], socket: nil, stdin: "")
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("standard input is empty"))

        try await withDaemon { daemon, client in
            let run = try await CLIRun.folio(["ingest", "-", "--id", "from-stdin"], socket: daemon.socketPath,
                                             stdin: TestPages.seed)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.lines.count == 1)
            #expect(run.lines.first?.hasPrefix("from-stdin\t-\t") == true)
            let stored = try await client.getPage(id: "from-stdin")
            #expect(stored.articles.map(\.headline) == filePage.articles.map(\.headline))
        }
    }

    @Test("the same page in UTF-8, UTF-16, GB18030 and Big5 gives the same articles")
    func encodings() async throws {
        try await withDaemon { daemon, client in
            // The seed page in Traditional characters, kept to those Big5 has, so that all four
            // encodings hold exactly the same text.
            let traditional = try await client.convert(TestPages.seed, to: .traditional)
            let big5 = try iconvCommand(["-c", "-f", "UTF-8", "-t", "BIG5"], input: Data(traditional.utf8))
            let text = try iconvCommand(["-f", "BIG5", "-t", "UTF-8"], input: big5)
            #expect(text.count > TestPages.seed.utf8.count / 2)
            let variants: [(String, Data)] = [
                ("utf8", text),
                ("utf16", try iconvCommand(["-f", "UTF-8", "-t", "UTF-16"], input: text)),
                ("gb18030", try iconvCommand(["-f", "UTF-8", "-t", "GB18030"], input: text)),
                ("big5", big5),
            ]
            let folder = daemon.directory.appendingPathComponent("encodings")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var pages: [String: Folio_V1_Page] = [:]
            for (name, bytes) in variants {
                #expect(!bytes.isEmpty, "iconv made no \(name)")
                let file = folder.appendingPathComponent("\(name).txt")
                try bytes.write(to: file)
                let run = try await CLIRun.folio(["ingest", file.path, "--id", "enc-\(name)", "--date", "1998-01-05"],
                                                 socket: daemon.socketPath)
                #expect(run.status == 0, "\(name): \(run.stderr)")
                pages[name] = try await client.getPage(id: "enc-\(name)")
            }
            let reference = try #require(pages["utf8"])
            #expect(reference.articles.count >= 3)
            for (name, page) in pages {
                #expect(Self.content(page) == Self.content(reference), "\(name) differs from UTF-8")
            }
            // Told rather than detected: the same again.
            let forced = try await CLIRun.folio(["ingest", folder.appendingPathComponent("big5.txt").path,
                                                 "--encoding", "big5", "--id", "enc-forced", "--date", "1998-01-05"],
                                                socket: daemon.socketPath)
            #expect(forced.status == 0, "stderr: \(forced.stderr)")
            #expect(Self.content(try await client.getPage(id: "enc-forced")) == Self.content(reference))
            // A wrong encoding given is an error for that page, not mojibake stored.
            let wrong = try await CLIRun.folio(["ingest", folder.appendingPathComponent("gb18030.txt").path,
                                                "--encoding", "utf-8", "--id", "enc-wrong"], socket: daemon.socketPath)
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("not valid UTF-8"))
        }
    }

    @Test("a manifest (CSV or JSON lines) stores each page's own metadata")
    func manifests() async throws {
        try await withDaemon { daemon, client in
            let folder = daemon.directory.appendingPathComponent("batch")
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("pages"), withIntermediateDirectories: true)
            for index in 0..<4 {
                try TestPages.small(index).text.write(to: folder.appendingPathComponent("pages/p\(index).txt"),
                                                      atomically: false, encoding: .utf8)
            }
            let csv = """
                file,publication,date,page_label,id
                pages/p0.txt,人民日报,1998-01-02,01,csv-a
                "pages/p1.txt","Renmin Ribao, overseas",1998-01-03,A3,csv-b

                """
            try csv.write(to: folder.appendingPathComponent("batch.csv"), atomically: false, encoding: .utf8)
            let jsonLines = """
                {"file": "pages/p2.txt", "publication": "光明日报", "date": "1998-02-01", "page_label": "04", "id": "jl-a"}
                {"file": "pages/p3.txt", "date": "1998-02-02", "id": "jl-b"}

                """
            try jsonLines.write(to: folder.appendingPathComponent("batch.jsonl"), atomically: false, encoding: .utf8)

            for manifest in ["batch.csv", "batch.jsonl"] {
                let run = try await CLIRun.folio(["ingest", "--manifest", folder.appendingPathComponent(manifest).path],
                                                 socket: daemon.socketPath)
                #expect(run.status == 0, "\(manifest): \(run.stderr)")
                #expect(run.lines.count == 2)
            }
            let expected: [String: (String, String, String)] = [
                "csv-a": ("人民日报", "1998-01-02", "01"),
                "csv-b": ("Renmin Ribao, overseas", "1998-01-03", "A3"),
                "jl-a": ("光明日报", "1998-02-01", "04"),
                "jl-b": ("", "1998-02-02", ""),
            ]
            for (id, (publication, date, label)) in expected {
                let page = try await client.getPage(id: id)
                #expect(page.info.publication == publication, "\(id)")
                #expect(page.info.date == date, "\(id)")
                #expect(page.info.pageLabel == label, "\(id)")
            }

            try "file,pages\nx.txt,1\n".write(to: folder.appendingPathComponent("bad.csv"), atomically: false, encoding: .utf8)
            let bad = try await CLIRun.folio(["ingest", "--manifest", folder.appendingPathComponent("bad.csv").path],
                                             socket: daemon.socketPath)
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("unknown column 'pages'"))
        }
    }

    /// The seed page with a byte put at the start of some of its lines (line index: byte).
    static func seedWith(_ bytes: [Int: UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for (n, line) in TestPages.seed.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let byte = bytes[n] { out.append(byte) }
            out += Array(line.utf8) + [0x0A]
        }
        return Array(out.dropLast())
    }

    @Test("a page with a stray NUL and a stray byte is read and repaired; a page parse refuses says why")
    func strayBytes() async throws {
        let folder = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // One NUL, and a few lines on one 0xFF: each alone was read, the two together were "not text".
        let both = Self.seedWith([5: 0x00, 9: 0xFF])
        #expect(both.count(where: { $0 == 0 }) == 1 && both.count(where: { $0 == 0xFF }) == 1)
        try Data(both).write(to: URL(fileURLWithPath: folder + "/both.txt"))
        let parsed = try await CLIRun.folio(["parse", "--json", folder + "/both.txt"], socket: nil)
        #expect(parsed.status == 0, "stderr: \(parsed.stderr)")
        let page = try Folio_V1_Page(jsonString: parsed.stdout, options: FolioJSON.parseOptions)
        #expect(page.diagnostics.filter { $0.code == "input-repaired" }.count == 2)
        #expect(!page.articles.isEmpty)
        try await withDaemon { daemon, client in
            let run = try await CLIRun.folio(["ingest", folder + "/both.txt", "--id", "both"], socket: daemon.socketPath)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("1 byte not valid UTF-8 became U+FFFD") && run.stderr.contains("1 NUL byte dropped"))
            #expect(try await client.getPage(id: "both").articles.map(\.headline) == page.articles.map(\.headline))
        }
        // Too many stray bytes: no encoding is detected, the parser reports the bytes as an error,
        // and stderr says so (the exit status 1 came with nothing on stderr).
        try Data(Self.seedWith(Dictionary(uniqueKeysWithValues: (0..<100).map { ($0, 0xFF) }))).write(to: URL(fileURLWithPath: folder + "/many.txt"))
        let refused = try await CLIRun.folio(["parse", folder + "/many.txt"], socket: nil)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("folio parse: \(folder)/many.txt: line 1: input-invalid-utf8"), "stderr: \(refused.stderr)")
    }
}

@Suite("folio and foliod: --version, unquoted exclusions", .serialized)
struct CLIVersionTests {
    @Test("--version prints the package version, the protocol version and the commit")
    func version() async throws {
        let folio = try await CLIRun.folio(["--version"], socket: nil)
        #expect(folio.status == 0)
        let pattern = #/folio \d+\.\d+\.\d+ \(protocol \d+, commit ([0-9a-f]{7,}(-dirty)?|unknown)\)\n/#
        #expect(folio.stdout.wholeMatch(of: pattern) != nil, "\(folio.stdout)")
        let foliod = try await offPool { () throws -> String in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: PackagePaths.foliod)
            process.arguments = ["--version"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            waitForExitPolling(process)
            return String(decoding: data, as: UTF8.self)
        }
        #expect(foliod.hasPrefix("foliod "))
        #expect(foliod.dropFirst(6) == folio.stdout.dropFirst(5), "the two binaries come from one build")
    }

    @Test("folio search 锦州 -沈阳: an exclusion needs no quoting and no --")
    func unquotedExclusion() async throws {
        try await withDaemon { daemon, client in
            _ = try await client.ingest(TestPages.seedRequest())
            for query in [["锦州", "-沈阳"], ["錦州", "-港"]] {
                let run = try await CLIRun.folio(["search"] + query + ["--json", "--limit", "50"], socket: daemon.socketPath)
                #expect(run.status == 0, "stderr: \(run.stderr)")
                let response = try Folio_V1_SearchResponse(jsonString: run.stdout, options: FolioJSON.parseOptions)
                let direct = try await client.search(query.joined(separator: " "), limit: 50)
                #expect(response.total == direct.total)
                #expect(response.hits.map(\.articleID) == direct.hits.map(\.articleID))
            }
            let all = try await client.search("錦州", limit: 50)
            let excluded = try await client.search("錦州 -港", limit: 50)
            #expect(excluded.total < all.total, "the exclusion removed nothing: a weak test")

            let typo = try await CLIRun.folio(["search", "锦州", "--limt", "5"], socket: daemon.socketPath)
            #expect(typo.status == 64)
            #expect(typo.stderr.contains("--limt"))
        }
    }
}
