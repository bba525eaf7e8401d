import FolioMemory
import FolioModel
import FolioStore
import FolioText
import FolioWire
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// foliod as a swift-service-lifecycle Service: load, listen, report ready, reload on
/// SIGHUP, drain on SIGTERM/SIGINT. A stop during the start-up load or a reload abandons it.
public final class FolioDaemon: Service, Sendable {
    public let config: ServerConfig
    let logger: Logger
    public let store: ArchiveStore
    let registry: ConnectionRegistry
    /// The per-uid limit on log lines peers cause, shared by every connection.
    let peerLogs = PeerLogLimiter()
    let router: CallRouter
    private let group: MultiThreadedEventLoopGroup
    /// Blocking work (parse, fsync, scans) runs here, off the event loops; queries of the index on
    /// `queryWorkers`. Both take calls from one bounded queue.
    private let workers: NIOThreadPool
    private let queryWorkers: NIOThreadPool
    /// Writes, apart (`ServerConfig.writeThreads`).
    private let writeWorkers: NIOThreadPool
    /// The two pools as calls use them: local users take turns.
    private let fairWorkers: FairPool
    private let fairQueryWorkers: FairPool
    private let fairWriteWorkers: FairPool
    private let workQueue: WorkQueue
    private let listening = NIOLockedValueBox<Channel?>(nil)
    private let activated = NIOLockedValueBox(false)
    private let reloadCount = NIOLockedValueBox(0)
    /// A SIGHUP reload from its RELOADING=1 until it ends (queued behind a write, or loading).
    private let reloadUnderWay = NIOLockedValueBox(false)
    private let loadDone = NIOLockedValueBox(false)

    public init(config: ServerConfig, logger: Logger, parser: PageParsing,
                text: TextServices, search: SearchProvider = NoSearchProvider()) {
        self.config = config
        self.logger = logger
        store = ArchiveStore(repository: config.dataDirectory.map(PageRepository.init(root:)), parser: parser,
                             text: text, limits: config.limits, search: search, logger: logger,
                             snapshotDelaySeconds: config.snapshotDelaySeconds)
        registry = ConnectionRegistry(maxConnections: config.maxConnections, maxPerUID: config.maxConnectionsPerUID,
                                      reservedForWriters: config.reservedWriterConnections)
        workQueue = WorkQueue(maxJobs: config.maxQueuedWork, maxBytes: config.maxQueuedWorkBytes)
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, config.threads))
        workers = NIOThreadPool(numberOfThreads: max(2, config.workerThreads))
        workers.start()
        queryWorkers = NIOThreadPool(numberOfThreads: max(1, config.queryThreads))
        queryWorkers.start()
        fairWorkers = FairPool(threads: workers, perUID: config.callsPerUID)
        fairQueryWorkers = FairPool(threads: queryWorkers, perUID: config.callsPerUID)
        writeWorkers = NIOThreadPool(numberOfThreads: max(1, config.writeThreads))
        writeWorkers.start()
        fairWriteWorkers = FairPool(threads: writeWorkers, perUID: config.callsPerUID)
        let store = self.store
        let log = logger
        router = CallRouter(store: store, text: text, search: search, config: config, registry: registry, logger: logger,
                            reload: { try FolioDaemon.reload(store, logger: log) })
    }

    /// True once the start-up load has ended.
    private var isLoaded: Bool { loadDone.withLockedValue { $0 } }

    /// True once the socket listens (after the corpus is loaded).
    public var isListening: Bool { listening.withLockedValue { $0 != nil } }

    /// Connections open right now.
    public var connectionCount: Int { registry.connectionCount }

    /// Runs until SIGTERM or SIGINT, then drains. Throws on start-up failures (clear message).
    public func runUntilShutdown() async throws {
        let services = ServiceGroup(configuration: .init(
            services: [.init(service: self)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await loadAndServe()
        } onGracefulShutdown: {
            self.stopAsked()
        }
    }

    /// At the signal itself (SIGTERM, SIGINT): a load or reload under way gives up between two pages
    /// instead of parsing the rest (minutes on a large archive, past systemd's TimeoutStopSec).
    private func stopAsked() {
        let starting = !isLoaded, reloading = store.isLoading || reloadUnderWay.withLockedValue { $0 }
        store.abandonLoads()
        if starting {
            Systemd.notify("STOPPING=1")
            logger.notice("stop asked during the start-up load: abandoning it; foliod stops without serving (the page files are untouched)")
        } else if reloading {
            logger.notice("stop asked during a reload: abandoning it; the corpus loaded before is served until the drain ends")
        }
    }

    private func loadAndServe() async throws {
        // Fail fast on a bad or live socket path, or too few file descriptors, before spending time on the corpus.
        if let fd = Systemd.activationSocket(consume: false) {
            try Systemd.checkActivationSocket(fd)
        } else {
            if let pid = ProcessInfo.processInfo.environment["LISTEN_PID"] {
                // A wrapper (strace without -D, a shell) between systemd and foliod: fd 3 is not for us.
                logger.warning("LISTEN_PID names another process: the socket systemd passed is not used",
                               metadata: ["listen-pid": "\(pid)", "pid": "\(getpid())"])
            }
            try SocketPath.prepareForBind(config.socketPath, runtimeDirectory: config.runtimeDirectory)
        }
        // A typo in --socket-group must not cost a whole cold start before it is noticed.
        if let group = config.socketGroup, SocketPath.groupID(group) == nil {
            throw SocketSetupError(.permissions, "unknown group \(group) for --socket-group")
        }
        // Before the data directory is created or locked: a refusal leaves nothing behind.
        let descriptors = try FileDescriptorLimit.ensure(forConnections: config.maxConnections)
        logger.debug("file descriptor limit", metadata: ["soft": "\(descriptors)"])
        let existed = config.dataDirectory.map { FileManager.default.fileExists(atPath: $0) } ?? true
        let lock = try config.dataDirectory.map(DataDirectoryLock.acquire)
        defer { lock?.release() }
        // A mistyped --data must not pass for an empty archive unnoticed.
        if !existed { logger.warning("data directory did not exist: created it, empty", metadata: ["data": "\(config.dataDirectory ?? "")"]) }
        // SIGHUP's default action kills: trap it before the load, which may take minutes. A reload
        // asked for during the load is done once it ends (the stream keeps the signal).
        let hangupSignals = await UnixSignalsSequence(trapping: .sighup)
        let (loaded, loadEnded) = AsyncStream<Void>.makeStream()
        defer { loadEnded.finish() }
        let hangups = Task { await self.reloadOnHangup(hangupSignals, after: loaded) }
        defer { hangups.cancel() }
        // A socket systemd passes already takes connections: answer them during the load (Health
        // NOT_SERVING, other calls UNAVAILABLE) instead of leaving them unanswered.
        var early: Channel?
        if Systemd.activationSocket(consume: false) != nil {
            registry.startLoading()
            early = try await bind()
        }
        logger.info("loading the corpus", metadata: ["source": "\(config.dataDirectory ?? "bundled sample")"])
        // Parsing or reading the snapshot blocks: worker threads, not Swift's few cooperative ones.
        let report: ArchiveStore.LoadReport
        do {
            report = try await StartTimeoutExtension.whileRunning {
                try await workers.runIfActive { try self.loadInitialCorpus() }
            }
        } catch where store.loadsAbandoned {
            return await stopWithoutServing(early, reason: "\(error)")
        }
        // A stop that came as the last page was parsed: the corpus is not served either.
        if store.loadsAbandoned { return await stopWithoutServing(early, reason: "the stop came as the load ended") }
        registry.loadingEnded()
        loadDone.withLockedValue { $0 = true }
        loadEnded.finish()
        Self.logLoad(report, logger: logger, message: "corpus loaded", source: config.dataDirectory ?? "bundled sample")
        if report.removedTemporaryFiles > 0 {
            logger.notice("removed half-written files", metadata: ["count": "\(report.removedTemporaryFiles)"])
        }

        let channel: Channel
        if let early { channel = early } else { channel = try await bind() }
        listening.withLockedValue { $0 = channel }
        Systemd.notify("READY=1\nSTATUS=serving \(report.pages) pages, \(report.articles) articles")
        // The path listened on: under socket activation, the unit's, not --socket's.
        logger.info("foliod ready", metadata: ["socket": "\(channel.localAddress?.pathname ?? config.socketPath)", "pid": "\(getpid())",
                                               "version": "\(FolioServerVersion.string)", "commit": "\(config.buildCommit)",
                                               "page-format": "\(PageRepository.format)", "snapshot-format": "\(ArchiveStore.snapshotFormat)",
                                               "worker-threads": "\(config.workerThreads)", "calls-per-uid": "\(config.callsPerUID)"])
        if config.callsPerUID >= min(config.workerThreads, config.queryThreads) {
            logger.warning("one uid's calls can hold every worker thread: another user's call waits for one of them to end",
                           metadata: ["worker-threads": "\(min(config.workerThreads, config.queryThreads))",
                                      "calls-per-uid": "\(config.callsPerUID)"])
        }

        if report.fromSnapshot { workers.runIfActive(eventLoop: group.next()) { self.warmUp() }.whenComplete { _ in } }
        let trims = Task { await self.trimHeapWhileBusy() }
        try? await gracefulShutdown()
        hangups.cancel()
        trims.cancel()
        await drain(channel)
    }

    func loadInitialCorpus() throws -> ArchiveStore.LoadReport {
        let report = config.dataDirectory != nil
            ? try store.load()
            : try store.load(sample: try BundledSample.pages())
        // Lexicons and conversion tables load lazily; pay that before READY, not in the first call
        // (after a load from the snapshot, right after READY: nothing was parsed, and start-up time counts).
        if report.pages == 0 { warmUp() }
        return report
    }

    func warmUp() {
        guard let sample = try? BundledSample.pages().first else { return }
        _ = store.parser.parsePage(text: sample.text, source: sample.source, info: nil, pageID: "warm-up")
        _ = try? store.text.convert(sample.text.prefix(200).description, to: .traditional)
    }

    static func reload(_ store: ArchiveStore, logger: Logger) throws -> ArchiveStore.LoadReport {
        guard !store.isReadOnly else {
            throw StatusError(.failedPrecondition, "nothing to reload: foliod serves the bundled sample")
        }
        do {
            let report = try store.load(reloading: true)
            logLoad(report, logger: logger, message: "reloaded", source: store.repository?.root ?? "")
            return report
        } catch where store.loadsAbandoned {
            logger.notice("reload abandoned: foliod is stopping; still serving the previous corpus until it stops",
                          metadata: ["reason": "\(error)"])
            throw error
        } catch {
            logger.error("reload failed; still serving the previous corpus", metadata: ["reason": "\(error)"])
            throw error
        }
    }

    /// Where a load's model came from: "loaded from snapshot" (", N pages changed since read again"
    /// when there were any), "the model in memory, N pages changed since read again" (a reload), or "parsed".
    private static func origin(_ report: ArchiveStore.LoadReport) -> String {
        let readOver = report.pagesReadOverSnapshot == 0 ? "" : ", \(report.pagesReadOverSnapshot) pages changed since read again"
        if report.fromSnapshot { return "loaded from snapshot" + readOver }
        if report.fromModelInMemory { return "the model in memory" + (readOver.isEmpty ? ", no page changed" : readOver) }
        return "parsed"
    }

    /// One line per load saying where the model came from ("loaded from snapshot" or "parsed").
    static func logLoad(_ report: ArchiveStore.LoadReport, logger: Logger, message: Logger.Message, source: String) {
        if let why = report.snapshotSkipped {
            // A damaged snapshot is worth an operator's look (journalctl -p warning); a missing or
            // out-of-date one is routine.
            logger.log(level: report.snapshotDamaged ? .warning : .info, "snapshot not used; parsing the pages",
                       metadata: ["reason": "\(why)"])
        }
        logger.info(message, metadata: [
            "pages": "\(report.pages)", "articles": "\(report.articles)", "ms": "\(report.tookMs)",
            "source": "\(source)", "from": "\(Self.origin(report))",
            "article-bytes": "\(report.articleBytesStored) held, \(report.articleBytesSerialized) serialized",
        ])
        for problem in report.problems { logger.warning("page skipped", metadata: ["problem": "\(problem)"]) }
    }

    /// A stop during the start-up load: nothing was served (a socket systemd passed answered
    /// NOT_SERVING), so no snapshot is written and nothing is drained but those connections.
    private func stopWithoutServing(_ early: Channel?, reason: String) async {
        logger.notice("start-up load abandoned", metadata: ["reason": "\(reason)"])
        if let early { await closeConnections(early) }
        await shutDownThreads()
    }

    /// Reloads on each SIGHUP; one that arrives during the start-up load waits for its end.
    private func reloadOnHangup(_ signals: UnixSignalsSequence, after loaded: AsyncStream<Void>) async {
        var loading: AsyncStream<Void>.Iterator? = loaded.makeAsyncIterator()
        for await _ in signals {
            if loading != nil {
                if !isLoaded { logger.notice("SIGHUP during the load: the pages are read again once it ends") }
                _ = await loading?.next()   // nil once the load has ended
                loading = nil
                if Task.isCancelled { return }
            }
            reloadUnderWay.withLockedValue { $0 = true }
            Systemd.notify("RELOADING=1")
            logger.info("SIGHUP: reading the pages again")
            let store = self.store, logger = self.logger
            // Reload parses on worker threads; calls keep being served from the old corpus meanwhile.
            _ = try? await StartTimeoutExtension.whileRunning {
                try await writeWorkers.runIfActive { try FolioDaemon.reload(store, logger: logger) }
            }
            reloadUnderWay.withLockedValue { $0 = false }
            reloadCount.withLockedValue { $0 += 1 }
            if store.loadsAbandoned { return }  // stopping: no READY=1 after STOPPING=1
            Systemd.notify("READY=1")
        }
    }

    /// How often a busy daemon hands freed heap pages back (see Heap).
    static let heapTrimSeconds = 30

    /// Trims after the start-up load, then every `heapTrimSeconds` in which calls were made or
    /// the pages were reloaded; an idle daemon is left alone.
    private func trimHeapWhileBusy() async {
        guard Heap.canTrim else { return }
        var seen = UInt64.max
        var reloadsSeen = -1
        while !Task.isCancelled {
            let calls = registry.callsStarted, reloads = reloadCount.withLockedValue { $0 }
            if calls != seen || reloads != reloadsSeen {
                seen = calls
                reloadsSeen = reloads
                let started = Date()
                _ = try? await workers.runIfActive { Heap.releaseFreePages() }
                logger.debug("heap trimmed", metadata: ["ms": "\(Int(Date().timeIntervalSince(started) * 1000))"])
            }
            try? await Task.sleep(for: .seconds(Self.heapTrimSeconds))
        }
    }

    private func bind() async throws -> Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            // Out of file descriptors (EMFILE/ENFILE): stop accepting for a moment instead of spinning.
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler())
                }
            }
            .childChannelOption(ChannelOptions.writeBufferWaterMark, value: .init(low: 128 << 10, high: 512 << 10))
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(ByteToMessageHandler(FrameDecoder(limits: config.limits)))
                    try handlers.addHandler(ConnectionHandler(router: router, workers: fairWorkers, queryWorkers: fairQueryWorkers,
                                                              writeWorkers: fairWriteWorkers,
                                                              workQueue: workQueue,
                                                              registry: registry, config: config, logger: logger,
                                                              peerLogs: peerLogs))
                }
            }
        if let fd = Systemd.activationSocket() {
            activated.withLockedValue { $0 = true }
            logger.info("using the socket passed by systemd", metadata: ["fd": "\(fd)"])
            return try await bootstrap.withBoundSocket(fd).get()
        }
        try SocketPath.prepareForBind(config.socketPath, runtimeDirectory: config.runtimeDirectory)
        let channel: Channel
        do {
            channel = try await bootstrap.bind(unixDomainSocketPath: config.socketPath).get()
        } catch {
            throw SocketSetupError(.bindFailed, "cannot listen on \(config.socketPath): \(error)")
        }
        try SocketPath.applyPermissions(config.socketPath, mode: config.socketMode, group: config.socketGroup)
        return channel
    }

    /// Stops accepting, lets calls in flight finish (bounded), closes every connection, then writes
    /// the snapshot if it is stale.
    private func drain(_ channel: Channel) async {
        await closeConnections(channel)
        // The page files are already durable; this only spares the next start a parse.
        let store = self.store
        _ = try? await workers.runIfActive { store.flushSnapshot() }
        await shutDownThreads()
    }

    /// Stops accepting, lets calls in flight finish (bounded), then closes every connection.
    private func closeConnections(_ channel: Channel) async {
        Systemd.notify("STOPPING=1")
        registry.startDraining()
        logger.info("draining", metadata: ["calls": "\(registry.callsInFlight)", "connections": "\(registry.connectionCount)"])
        try? await channel.close()
        let deadline = Date().addingTimeInterval(config.drainTimeoutSeconds)
        let left = await registry.waitForCalls(timeoutSeconds: config.drainTimeoutSeconds)
        if left > 0 { logger.warning("drain timed out", metadata: ["calls": "\(left)"]) }
        let writing = await registry.waitForQueuedReplies(until: deadline)
        if writing > 0 { logger.warning("drain timed out with replies unsent", metadata: ["connections": "\(writing)"]) }
        await registry.closeAll()
        if !activated.withLockedValue({ $0 }) { unlink(config.socketPath) }
    }

    /// Lets the worker pools and event loops go: the last thing foliod does.
    private func shutDownThreads() async {
        try? await workers.shutdownGracefully()
        try? await queryWorkers.shutdownGracefully()
        try? await writeWorkers.shutdownGracefully()
        try? await group.shutdownGracefully()
        logger.info("foliod stopped")
    }
}

/// The seed page shipped inside FolioServer, served when no data directory is configured.
enum BundledSample {
    static func pages() throws -> [StoredPageFile] {
        guard let url = InstalledResources.url("sample/seed-page.txt")
                ?? Bundle.module.url(forResource: "seed-page", withExtension: "txt", subdirectory: "sample")
                ?? Bundle.module.url(forResource: "seed-page", withExtension: "txt")
        else { throw StatusError(.internal, "the bundled sample page is missing from this build") }
        let text = try String(contentsOf: url, encoding: .utf8)
        return [StoredPageFile(pageID: "seed-page", text: text, source: "seed-page.txt", info: nil)]
    }
}
