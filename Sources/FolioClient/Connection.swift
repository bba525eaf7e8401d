import FolioModel
import FolioWire
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// One open Unix-socket connection to foliod. Calls on it run concurrently and complete in
/// whatever order foliod answers them.
final class Connection: Sendable {
    let channel: any Channel
    let calls: CallTable
    let socketPath: String
    let limits: WireLimits
    let acceptsCompressedResponses: Bool
    /// See `holding`: reading pauses above the first, resumes below the second.
    private let pauseBytes: Int
    private let resumeBytes: Int

    private init(channel: any Channel, calls: CallTable, socketPath: String, configuration: FolioClient.Configuration) {
        self.channel = channel
        self.calls = calls
        self.socketPath = socketPath
        limits = configuration.limits
        acceptsCompressedResponses = configuration.acceptCompressedResponses
        pauseBytes = configuration.streamReadAhead
        // A small step back: reading resumes as soon as a loop takes a socket's worth, so that a
        // slow but steady consumer keeps foliod's writes moving (its --write-timeout ends a
        // connection it cannot write to for 30 s).
        resumeBytes = configuration.streamReadAhead - min(configuration.streamReadAhead / 2, 64 << 10)
    }

    /// Usable for new calls: open and not failed.
    var isUsable: Bool { channel.isActive && !calls.isClosed }

    /// Connects, trying again while foliod's queue of new connections is full: connect(2) on a
    /// Unix socket then fails at once with EAGAIN, though foliod runs (busy, or paused). Tries
    /// until `configuration.connectTimeout`, waiting 5 ms, then twice as long each time up to
    /// 100 ms; `queueFull` is set while it does, so that a call whose own deadline ends the wait
    /// says why. Nobody listening or no socket (ECONNREFUSED, ENOENT) still fails at once.
    static func connect(to path: String, on eventLoop: any EventLoop, configuration: FolioClient.Configuration,
                        queueFull: NIOLockedValueBox<Bool>) -> EventLoopFuture<Connection> {
        let giveUp = NIODeadline.now() + .nanoseconds(configuration.connectTimeout.nanosecondsClamped)
        return connect(to: path, on: eventLoop, configuration: configuration, queueFull: queueFull,
                       giveUp: giveUp, pause: .milliseconds(5))
    }

    private static func connect(to path: String, on eventLoop: any EventLoop, configuration: FolioClient.Configuration,
                                queueFull: NIOLockedValueBox<Bool>, giveUp: NIODeadline,
                                pause: TimeAmount) -> EventLoopFuture<Connection> {
        connectOnce(to: path, on: eventLoop, configuration: configuration).flatMapError { error in
            guard let io = error as? IOError, io.errnoCode == EAGAIN else { return eventLoop.makeFailedFuture(error) }
            queueFull.withLockedValue { $0 = true }
            let left = giveUp - NIODeadline.now()
            guard left > .nanoseconds(0) else { return eventLoop.makeFailedFuture(FolioError.notAccepted(path)) }
            return eventLoop.scheduleTask(in: min(pause, left)) {}.futureResult.flatMap {
                connect(to: path, on: eventLoop, configuration: configuration, queueFull: queueFull, giveUp: giveUp,
                        pause: min(.nanoseconds(pause.nanoseconds * 2), .milliseconds(100)))
            }
        }
    }

    private static func connectOnce(to path: String, on eventLoop: any EventLoop,
                                    configuration: FolioClient.Configuration) -> EventLoopFuture<Connection> {
        let calls = CallTable()
        let limits = configuration.limits
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(configuration.connectTimeout.nanosecondsClamped))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(FrameDecoder(limits: limits)),
                        ResponseHandler(calls: calls, socketPath: path),
                    ])
                }
            }
        return bootstrap.connect(unixDomainSocketPath: path).map { channel in
            Connection(channel: channel, calls: calls, socketPath: path, configuration: configuration)
        }
    }

    /// The connection's first call: ServerInfo, whose answer says how many calls foliod takes in
    /// flight on it (`--max-calls`); nil when it gives none (an error answer: the calls will say so).
    func askCallLimit(timeout: Duration) -> EventLoopFuture<Int?> {
        let promise = channel.eventLoop.makePromise(of: Data.self)
        let id = calls.reserveID()
        do {
            let frame = try frame(id: id, method: FolioMethod.serverInfo.rawValue, body: Data(), options: .init(), timeout: timeout)
            start(id: id, frame: frame, sink: .unary { promise.completeWith($0.mapError { $0 }) }, timeout: timeout)
        } catch {
            calls.release(id)
            promise.fail(error)
        }
        return promise.futureResult.map { body in
            (try? Folio_V1_ServerInfoResponse(serializedBytes: body)).map { Int($0.maxCallsInFlight) }.flatMap { $0 > 0 ? $0 : nil }
        }.recover { _ in nil }
    }

    /// Frames a request envelope on the caller's thread (compressing when ≥ the threshold) so the
    /// event loop only writes bytes (the pipeline has no encoder: frames go out as built here).
    func frame(id: UInt64, method: String, body: Data, options: FolioCallOptions,
               timeout: Duration?) throws -> ByteBuffer {
        try Self.frame(id: id, method: method, body: body, options: options, timeout: timeout, limits: limits,
                       acceptsCompressedResponses: acceptsCompressedResponses, allocator: channel.allocator)
    }

    /// The request frame of a call (also `FolioBlockingClient`'s).
    static func frame(id: UInt64, method: String, body: Data, options: FolioCallOptions, timeout: Duration?,
                      limits: WireLimits, acceptsCompressedResponses: Bool,
                      allocator: ByteBufferAllocator = .init()) throws -> ByteBuffer {
        let timeoutMs = timeout.map { UInt32(clamping: $0.roundedUpMilliseconds) } ?? 0
        let accepts = options.acceptCompressedResponses
            ?? (acceptsCompressedResponses && !Self.prefersPlainResponses(method))
        do {
            return try Envelopes.requestFrame(id: id, method: method, body: body, timeoutMs: timeoutMs,
                                              metadata: options.metadata,
                                              acceptEncodings: accepts ? [.zlib] : [],
                                              compress: true, limits: limits, allocator: allocator)
        } catch let error as WireError {
            throw FolioError(code: error.code, message: "request not sent: \(error.message)", kind: .local)
        } catch {
            throw FolioError(code: .internal, message: "cannot encode the request: \(error)", kind: .local)
        }
    }

    /// Methods whose answers are asked for uncompressed unless a call says otherwise: GetArticle.
    /// One article is small and foliod serves it plain from memory, while inflating it here costs
    /// far more than moving the extra bytes over the local socket (Benchmarks/RESULTS.md, "GetArticle"). Everything else (pages, lists, search, streams) may be large and keeps
    /// accepting zlib; an article too large for a plain frame is fetched again compressed
    /// (`FolioClient.call`).
    static func prefersPlainResponses(_ method: String) -> Bool {
        method == FolioMethod.getArticle.rawValue
    }

    /// Starts a call: registers `sink`, arms the local deadline (`timeout`: what is left of the
    /// call's, `announced` in its error), writes the frame.
    /// `writeGrace`, for a write: foliod has its deadline as `timeout_ms` and answers a write it
    /// started however late (docs/protocol.md), so the client waits that much longer for the
    /// answer, then gives up with `.outcomeUnknown` (foliod hung, or storage stalled).
    /// The sink is told the outcome exactly once (or, for a stream, bodies then the end).
    func start(id: UInt64, frame: ByteBuffer, sink: CallSink, timeout: Duration?, announced: Duration? = nil,
               writeGrace: Duration? = nil) {
        var timer: Scheduled<Void>?
        if let timeout {
            // The deadline the caller gave (`--timeout 1`: 1000 ms), not what was left of it here.
            let millis = (announced ?? timeout).roundedUpMilliseconds
            let failure = FolioError.late(millis, writeGrace: writeGrace)
            let wait = timeout + (writeGrace ?? .zero)
            timer = channel.eventLoop.scheduleTask(in: .nanoseconds(wait.nanosecondsClamped)) { [self] in
                if calls.abandon(id, with: failure) { sendCancel(id) }
            }
        }
        guard calls.register(id, sink: sink, timer: timer, writeGrace: writeGrace) else { return }
        if case .unary = sink { readForUnary() }
        channel.writeAndFlush(frame, promise: nil)
    }

    /// Client-side cancellation: ends the call now and tells foliod to stop working on it.
    /// A write foliod has received is not ended here: foliod may be storing it, and answers it
    /// CANCELLED only if it made no change (docs/protocol.md). The call then waits for that answer,
    /// at most the write's grace, after which its outcome is unknown.
    func cancel(_ id: UInt64) {
        if let write = calls.cancelWrite(id) {
            guard write.first else { return }
            write.timer?.cancel()
            let failure = FolioError.cancelledOutcomeUnknown(grace: write.grace)
            let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(write.grace.nanosecondsClamped)) { [self] in
                _ = calls.abandon(id, with: failure)
            }
            calls.setTimer(id, timer)
            sendCancel(id)
            return
        }
        if calls.abandon(id, with: .cancelled) { sendCancel(id) }
    }

    private func sendCancel(_ id: UInt64) {
        var request = Folio_V1_Request()
        request.id = id
        request.cancel = true
        guard let bytes: [UInt8] = try? request.serializedBytes(),
              let frame = try? FrameWriter.frame(payload: bytes, compress: false, limits: limits)
        else { return }
        channel.writeAndFlush(frame, promise: nil)
    }

    func close() {
        calls.close(with: .clientClosed)
        channel.close(promise: nil)
    }

    // MARK: Read pause

    /// Stream bodies received and not yet taken by their loops. Above `pauseBytes`
    /// (`Configuration.streamReadAhead`) the connection stops reading, unless a unary call waits,
    /// (foliod then waits too, within its own limits: its write timeout ends a consumer that stalls
    /// for good) until the loops take it below `resumeBytes`.
    private let unread = NIOLockedValueBox((bytes: 0, paused: false))

    /// On the event loop: `count` bytes of a stream body handed to its loop's buffer.
    func holding(_ count: Int) {
        // Decided and set at once: a loop taking bodies meanwhile then sees the pause and lifts it.
        let pause = unread.withLockedValue { state -> Bool in
            state.bytes += count
            guard !state.paused, state.bytes > pauseBytes else { return false }
            state.paused = true
            return true
        }
        guard pause else { return }
        // Not while a unary call waits: its answer may be behind the bodies, and the loop that
        // would take them may be the one waiting for it (a call made inside an export loop).
        if calls.awaitsUnary { unread.withLockedValue { $0.paused = false } }
        applyReadPause()
    }

    /// A unary call started: read on, whatever streams hold, until it is answered.
    private func readForUnary() {
        let wasPaused = unread.withLockedValue { state -> Bool in
            defer { state.paused = false }
            return state.paused
        }
        if wasPaused { applyReadPause() }
    }

    /// `count` bytes taken by a loop, or dropped with its stream.
    func released(_ count: Int) {
        let resume = unread.withLockedValue { state -> Bool in
            state.bytes -= count
            guard state.paused, state.bytes < resumeBytes else { return false }
            state.paused = false
            return true
        }
        if resume { applyReadPause() }
    }

    /// Sets reading to the latest state, on the event loop (a resume decided on another thread
    /// must not undo a pause made after it).
    private func applyReadPause() {
        let channel = self.channel, unread = self.unread
        channel.eventLoop.execute {
            let paused = unread.withLockedValue { $0.paused }
            channel.setOption(ChannelOptions.autoRead, value: !paused).whenComplete { _ in }
        }
    }
}
