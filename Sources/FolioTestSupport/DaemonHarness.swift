import FolioModel
import FolioServer
import FolioStore
import FolioWire
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import SwiftProtobuf

/// A foliod running in this process on a temporary socket and data directory, for one test: start
/// it, call it through `client()`, `stop()` it (or let `DaemonHarness.with` do both, like
/// Hummingbird's test helper). The parser and text services are the small doubles in
/// TestDoubles.swift unless the test passes its own.
public final class DaemonHarness: Sendable {
    public let directory: String
    public let socketPath: String
    public let daemon: FolioDaemon
    public let search: SearchProvider
    /// Holds pages starting with "SLEEP" in the parser until the test opens it.
    public let slowPages = Gate()
    /// Opened by the parser when a "SLEEP" page reaches it: that call is then in flight.
    public let reachedSlowPage = Gate()
    private let group: ServiceGroup
    private let runTask: Task<Void, Error>

    /// A fresh temporary directory (`TemporaryDirectory`).
    public static func makeDirectory() throws -> String { try TemporaryDirectory.make() }

    /// Starts the daemon and returns once it listens. `directory` (default: a fresh one) holds the
    /// socket and `data/`; `sample` serves the bundled sample page instead of `data/`; `parser`
    /// replaces the gated test parser.
    public init(directory: String? = nil, sample: Bool = false, search: SearchProvider = NoSearchProvider(),
                text: TextServices = TableTextServices(), parser: (any PageParsing)? = nil,
                configure: (inout ServerConfig) -> Void = { _ in }) async throws {
        let directory = try directory ?? Self.makeDirectory()
        self.directory = directory
        socketPath = directory + "/foliod.sock"
        self.search = search
        var config = ServerConfig(socketPath: socketPath, dataDirectory: sample ? nil : directory + "/data")
        config.threads = 1
        config.drainTimeoutSeconds = 2
        configure(&config)
        var logger = Logger(label: "foliod-test")
        logger.logLevel = .critical
        daemon = FolioDaemon(config: config, logger: logger, parser: parser ?? BlockPageParser(slowPages: slowPages, reachedSlowPage: reachedSlowPage), text: text, search: search)
        group = ServiceGroup(configuration: .init(services: [.init(service: daemon)], logger: logger))
        let group = self.group
        runTask = Task { try await group.run() }
        // Generous: the first daemon of a test run builds the per-character fold tables (slow in debug builds).
        let daemon = self.daemon
        guard await waitUntil(limit: .seconds(120), { daemon.isListening }) else {
            throw StatusError(.unavailable, "test daemon did not start")
        }
    }

    /// Runs `body` against a fresh daemon and stops it afterwards, also when `body` throws.
    public static func with<T>(sample: Bool = false, search: SearchProvider = NoSearchProvider(),
                               configure: (inout ServerConfig) -> Void = { _ in },
                               _ body: (DaemonHarness) async throws -> T) async throws -> T {
        let harness = try await DaemonHarness(sample: sample, search: search, configure: configure)
        do {
            let result = try await body(harness)
            try await harness.stop()
            return result
        } catch {
            try? await harness.stop()
            throw error
        }
    }

    /// Stops the daemon and removes its directory (pass `keepDirectory` to restart on the same data).
    public func stop(keepDirectory: Bool = false) async throws {
        await group.triggerGracefulShutdown()
        try await runTask.value
        if !keepDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }

    public func client() throws -> RawClient { try RawClient(path: socketPath) }

    public static func writePage(_ text: String, id: String, in directory: String) throws {
        let pages = directory + "/data/pages"
        try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: true)
        // Not `atomically`: Foundation on Linux leaves an empty /tmp/TemporaryDirectory.* behind
        // for each such write (1,545 of them after a day of test runs).
        try text.write(toFile: pages + "/\(id).txt", atomically: false, encoding: .utf8)
    }
}
