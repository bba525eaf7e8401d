import FolioModel
import FolioServer
import FolioStore
import FolioWire
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import FolioTestSupport

/// SIGTERM or SIGINT (a graceful shutdown of the service group) while foliod parses its pages: the
/// load is abandoned between two pages instead of being finished first. At start-up foliod then
/// never listens, announces nothing and writes no snapshot; during a reload the corpus loaded
/// before stays, and no snapshot of the half-read one is written. Each page of the load is held
/// in the parser until the test has seen the stop logged, so nothing depends on timing: a load
/// that ignored the stop would parse every page once they are let go.
@Suite(.serialized) struct StopDuringLoadTests {
    /// More pages than parse workers, several times over: a load that goes on after the stop
    /// parses them all, one that stops parses one page per worker at most.
    static let heldPages = max(64, 4 * ProcessInfo.processInfo.activeProcessorCount)

    @Test func aStopDuringTheStartUpLoadAbandonsItWithoutServing() async throws {
        let directory = try DaemonHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for n in 0..<Self.heldPages { try DaemonHarness.writePage(HeldPageParser.held + samplePage, id: "p\(n)", in: directory) }
        let parser = HeldPageParser()
        let daemon = StoppableDaemon(directory: directory, parser: parser)

        #expect(await waitUntil(limit: .seconds(300)) { parser.reached > 0 })
        await daemon.group.triggerGracefulShutdown()
        let told = await waitUntil { daemon.log.contains("stop asked during the start-up load") }
        parser.release.open()
        try await daemon.run.value

        #expect(told)
        #expect(parser.parsed < Self.heldPages)
        #expect(!daemon.foliod.isListening)
        #expect(!daemon.log.contains("foliod ready"))
        #expect(daemon.log.contains("start-up load abandoned"))
        #expect(daemon.foliod.store.counts().pages == 0)
        #expect(!FileManager.default.fileExists(atPath: directory + "/data/snapshot/archive.folio"))
    }

    /// 60 changed pages are read again over the model in memory; 200 (more than half the archive)
    /// make the reload parse every page: both stop between pages.
    @Test(arguments: [60, 200]) func aStopDuringAReloadKeepsTheCorpusServedAndItsSnapshot(changed: Int) async throws {
        let directory = try DaemonHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for n in 0..<3 { try DaemonHarness.writePage(samplePage, id: "first\(n)", in: directory) }
        let parser = HeldPageParser()
        let daemon = StoppableDaemon(directory: directory, parser: parser)
        #expect(await waitUntil(limit: .seconds(300)) { daemon.foliod.isListening })
        #expect(await waitUntil { daemon.foliod.store.snapshotIsCurrent })
        let snapshot = directory + "/data/snapshot/archive.folio"
        let written = try Self.identity(of: snapshot)

        for n in 0..<changed { try DaemonHarness.writePage(HeldPageParser.held + samplePage, id: "later\(n)", in: directory) }
        let client = try RawClient(path: daemon.foliod.config.socketPath)
        let reload = Task { try await client.call(.reload, Folio_V1_ReloadRequest(), as: Folio_V1_ReloadResponse.self) }
        #expect(await waitUntil(limit: .seconds(300)) { parser.reached > 0 })
        await daemon.group.triggerGracefulShutdown()
        let told = await waitUntil { daemon.log.contains("stop asked during a reload") }
        parser.release.open()
        // A reload that outlasts the drain finds its connection closed: no answer.
        let answer = try? await reload.value
        try await daemon.run.value

        #expect(told)
        #expect(parser.parsed < changed)
        #expect(answer?.statusCode == .unavailable)
        if case .failure(let error)? = answer { #expect(error.message.contains("foliod is stopping")) }
        #expect(daemon.foliod.store.counts().pages == 3)
        #expect(!daemon.log.contains("reloaded"))
        #expect(try Self.identity(of: snapshot) == written)
    }

    /// A snapshot is written beside and renamed over the old one: another file, another time.
    static func identity(of path: String) throws -> String {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return "\(attributes[.systemFileNumber] ?? "") \(attributes[.modificationDate] ?? "")"
    }
}

/// The test parser (TestDoubles.swift), holding every page that starts with `held` until `release`
/// opens, and counting them.
final class HeldPageParser: PageParsing, Sendable {
    static let held = "保留\n\n"
    let release = Gate()
    private let counts = Mutex((reached: 0, parsed: 0))
    private let inner = BlockPageParser()

    /// Held pages that reached the parser, and those it finished.
    var reached: Int { counts.withLock { $0.reached } }
    var parsed: Int { counts.withLock { $0.parsed } }

    func parsePage(text: String, source: String, info: Folio_V1_PageInfo?, pageID: String?) -> Folio_V1_Page {
        guard text.hasPrefix(Self.held) else { return inner.parsePage(text: text, source: source, info: info, pageID: pageID) }
        counts.withLock { $0.reached += 1 }
        release.wait()
        defer { counts.withLock { $0.parsed += 1 } }
        return inner.parsePage(text: text, source: source, info: info, pageID: pageID)
    }
}

/// A FolioDaemon on `directory`/data run as foliod runs it (a service group, whose graceful
/// shutdown is what SIGTERM triggers), its log kept for the test to read.
struct StoppableDaemon {
    let foliod: FolioDaemon
    let group: ServiceGroup
    let run: Task<Void, Error>
    let log: LogLines

    init(directory: String, parser: PageParsing) {
        var config = ServerConfig(socketPath: directory + "/foliod.sock", dataDirectory: directory + "/data")
        config.threads = 1
        config.drainTimeoutSeconds = 2
        let log = LogLines()
        self.log = log
        let logger = Logger(label: "foliod-test") { _ in LogLines.Handler(lines: log) }
        foliod = FolioDaemon(config: config, logger: logger, parser: parser, text: TableTextServices())
        let group = ServiceGroup(configuration: .init(services: [.init(service: foliod)], logger: logger))
        self.group = group
        run = Task { try await group.run() }
    }
}

/// Every message logged, for tests that wait for one.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func contains(_ text: String) -> Bool { lines.withLock { $0.contains { $0.contains(text) } } }

    struct Handler: LogHandler {
        let lines: LogLines
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            lines.lines.withLock { $0.append(event.message.description) }
        }
    }
}
