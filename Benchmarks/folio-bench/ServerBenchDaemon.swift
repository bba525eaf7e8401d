import FolioClient
import FolioModel
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct BenchError: Error, CustomStringConvertible {
    let description: String
}

/// The foliod a server benchmark talks to: started here on a temporary socket and data
/// directory, or one already running.
final class BenchDaemon {
    let socketPath: String
    private let process: Process?
    private let directory: String?

    private init(socketPath: String, process: Process?, directory: String?) {
        self.socketPath = socketPath
        self.process = process
        self.directory = directory
    }

    /// `threads`: foliod's `--threads` (event loops); nil keeps its default, half the cores.
    static func prepare(foliod: String?, socket: String?, threads: Int? = nil) async throws -> BenchDaemon {
        if let socket { return BenchDaemon(socketPath: socket, process: nil, directory: nil) }
        let binary = foliod ?? siblingExecutable("foliod")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError(description: "no foliod at \(binary): build it (swift build -c release --product foliod) or pass --foliod")
        }
        let directory = try temporaryDirectory(prefix: "folio-bench")
        let socketPath = directory + "/foliod.sock"
        let data = directory + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--socket", socketPath, "--data", data] + (threads.map { ["--threads", "\($0)"] } ?? [])
        let log = directory + "/foliod.log"
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw BenchError(description: "cannot write \(log)") }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = process.standardOutput
        try process.run()
        let daemon = BenchDaemon(socketPath: socketPath, process: process, directory: directory)
        try await daemon.waitUntilServing(log: log)
        return daemon
    }

    private func waitUntilServing(log: String) async throws {
        let client = FolioClient(socketPath: socketPath, configuration: .init(defaultTimeout: .seconds(2)))
        defer { client.close() }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let process, !process.isRunning {
                throw BenchError(description: "foliod exited during start-up; see \(log)")
            }
            if (try? await client.health().status) == .serving { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError(description: "foliod did not become healthy; see \(log)")
    }

    /// The daemon this benchmark started (nil for one already running).
    var pid: Int32? { process?.processIdentifier }
    var isRunning: Bool { process?.isRunning ?? true }

    func stop() {
        if let process, process.isRunning {
            process.terminate()
            if !Self.waitForExit(process, limit: 40) {
                kill(process.processIdentifier, SIGKILL)
                Self.waitForExit(process)
            }
        }
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Polls instead of `waitUntilExit`, which can block forever when called off the main thread.
    @discardableResult
    static func waitForExit(_ process: Process, limit seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline { return false }
            usleep(2_000)
        }
        return true
    }

    /// A binary in the same directory as this executable (the same build configuration).
    static func siblingExecutable(_ name: String) -> String {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent(name).path
    }

    static func temporaryDirectory(prefix: String) throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw BenchError(description: "mkdtemp failed: errno \(errno)") }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Pages built from pfr1998 articles, ingested through FolioClient.
struct BenchCorpus {
    struct Article: Decodable {
        let date: String
        let paragraphs: [String]
    }

    let articles: [Article]

    init(path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchError(description: "cannot read the corpus at \(path) (run from the package root or pass --corpus)")
        }
        let decoder = JSONDecoder()
        articles = text.split(separator: "\n").compactMap { try? decoder.decode(Article.self, from: Data($0.utf8)) }
        guard !articles.isEmpty else { throw BenchError(description: "no article in \(path)") }
    }

    func ingest(pages: Int, articlesPerPage: Int, socket: String) async throws {
        let client = FolioClient(socketPath: socket, configuration: .init(defaultTimeout: .seconds(120)))
        defer { client.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for page in 0..<pages {
                if page >= 8 { try await group.next() }
                let chosen = (0..<articlesPerPage).map { articles[(page * articlesPerPage + $0) % articles.count] }
                var request = Folio_V1_IngestRequest()
                request.text = chosen.map { $0.paragraphs.joined(separator: "\n\n") }.joined(separator: "\n\n\n") + "\n"
                request.source = "bench-\(page).txt"
                request.pageID = "bench-\(page)"
                request.info.publication = "人民日报"
                request.info.date = chosen[0].date
                group.addTask { _ = try await client.ingest(request) }
            }
            try await group.waitForAll()
        }
    }

    static func articleIDs(socket: String) async throws -> [String] {
        let client = FolioClient(socketPath: socket, configuration: .init(defaultTimeout: .seconds(60)))
        defer { client.close() }
        var ids: [String] = []
        var request = Folio_V1_ListArticlesRequest()
        request.pageSize = 1000
        repeat {
            let response = try await client.listArticles(request)
            ids += response.articles.map(\.id)
            request.pageToken = response.nextPageToken
        } while !request.pageToken.isEmpty && ids.count < 200_000
        return ids
    }

    /// The median serialized size of up to 200 articles: the value size Redis is given.
    static func medianArticleBytes(_ ids: [String], socket: String) async throws -> Int {
        let client = FolioClient(socketPath: socket)
        defer { client.close() }
        var sizes: [Int] = []
        for id in ids.prefix(200) { sizes.append(try await client.getArticle(id: id).serializedData().count) }
        sizes.sort()
        return sizes[sizes.count / 2]
    }
}
