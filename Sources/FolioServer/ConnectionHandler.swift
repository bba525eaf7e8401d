import FolioModel
import FolioStore
import FolioWire
import Foundation
import Logging
import NIOCore
import NIOPosix
import SwiftProtobuf

/// One client connection. Calls run concurrently and answer in any order; every call ends
/// with exactly one final frame (a status), whether it completes, fails, is cancelled or
/// times out. All state lives on the channel's event loop.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    /// Whole frames: responses are framed here (cached bodies are already framed), so the
    /// pipeline needs no encoder and nothing is copied again on the way out.
    typealias OutboundOut = ByteBuffer

    private struct ActiveCall {
        let serial: UInt64
        let method: FolioMethod
        let started: NIODeadline
        let compress: Bool
        let cancellation = CallCancellation()
        var timer: Scheduled<Void>?
        /// Blocking work not yet taken by a worker: dropped (with its body) when the call ends.
        var queued: QueuedWork?

        /// Stops whatever still runs or waits for this call.
        func end() {
            cancellation.cancel()
            timer?.cancel()
            queued?.drop()
        }
    }

    /// The flag of inline calls: they end before anything could cancel them (no allocation per call).
    private static let neverCancelled = CallCancellation()

    private let router: CallRouter
    private let workers: FairPool
    private let queryWorkers: FairPool
    private let writeWorkers: FairPool
    private let workQueue: WorkQueue
    private let registry: ConnectionRegistry
    private let config: ServerConfig
    private let policy: AccessPolicy
    private var logger: Logger
    /// Lines a peer causes go through this, per uid (a reader looping on bad frames).
    private let peerLogs: PeerLogLimiter
    private var calls: [UInt64: ActiveCall] = [:]
    private var nextSerial: UInt64 = 0
    private var peer: PeerCredentials?
    private var registered = false
    private var closing = false
    /// Idle detection lives here rather than in an IdleStateHandler: one pipeline hop less on
    /// every read and write of every call.
    /// The last request read or long call ended (a call that outlived its read).
    private var lastActivity = NIODeadline.now()
    private var idleCheck: RepeatedTask?
    /// Back-pressure: while the peer does not read its replies, no more of its requests are
    /// read, and after `writeTimeoutSeconds` of that it is disconnected.
    private var readsPaused = false
    private var writeStall: Scheduled<Void>?

    init(router: CallRouter, workers: FairPool, queryWorkers: FairPool, writeWorkers: FairPool, workQueue: WorkQueue,
         registry: ConnectionRegistry,
         config: ServerConfig, logger: Logger, peerLogs: PeerLogLimiter = PeerLogLimiter()) {
        self.router = router
        self.workers = workers
        self.queryWorkers = queryWorkers
        self.writeWorkers = writeWorkers
        self.workQueue = workQueue
        self.registry = registry
        self.config = config
        self.policy = config.accessPolicy
        self.logger = logger
        self.peerLogs = peerLogs
    }

    /// A log line this peer caused, within its uid's share (`PeerLogLimiter`).
    private func peerLog(_ level: Logger.Level, _ message: @autoclosure () -> Logger.Message,
                         metadata: @autoclosure () -> Logger.Metadata? = nil) {
        peerLogs.log(logger, uid: peer?.uid ?? ConnectionRegistry.unknownUID, level, message(), metadata: metadata())
    }

    // MARK: connection events

    func channelActive(context: ChannelHandlerContext) {
        // The peer's uid decides its connection share, so it is read before the connection counts.
        // SO_PEERCRED on a socket already connected answers at once, on this event loop.
        guard let provider = context.channel as? SocketOptionProvider else {
            admit(context)
            return
        }
        let future: EventLoopFuture<LinuxPeerCred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: LinuxPeerCred.optionName)
        // The option is read on the channel's event loop, where this handler lives.
        future.assumeIsolated().whenComplete { [self] result in
            if case .success(let cred) = result {
                var credentials = PeerCredentials(pid: cred.pid, uid: cred.uid, gid: cred.gid)
                // Supplementary groups only matter when a gid may write and the ids alone do not.
                if !policy.gids.isEmpty, !policy.permitsWrites(credentials) {
                    credentials.groups = PeerCredentials.supplementaryGroups(of: cred.pid)
                }
                peer = credentials
                logger[metadataKey: "peer"] = "\(cred.pid)/\(cred.uid)"
            }
            admit(context)
        }
    }

    private func admit(_ context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        switch registry.register(context.channel, uid: peer?.uid ?? ConnectionRegistry.unknownUID,
                                 writer: policy.permitsWrites(peer)) {
        case let .refused(refusal):
            peerLog(.warning, "connection refused", metadata: ["reason": "\(refusal)"])
            closeWithStatus(context, .resourceExhausted, refusal)
            return
        case let .admitted(evicted?):
            // Closed on its own event loop, with a status frame, like any refusal.
            peerLog(.notice, "idle connection closed to make room for another uid's")
            evicted.pipeline.fireUserInboundEventTriggered(YieldedSlot())
        case .admitted(nil):
            break
        }
        registered = true
        startIdleCheck(context)
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is YieldedSlot else { return context.fireUserInboundEventTriggered(event) }
        closeWithStatus(context, .resourceExhausted,
                        "idle connection closed: every slot was taken and another user's connection needed this one")
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        idleCheck = nil
        writeStall?.cancel()
        writeStall = nil
        for (_, call) in calls {
            call.end()
            registry.callEnded(on: context.channel)
        }
        calls.removeAll()
        if registered { registry.unregister(context.channel) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let wire = error as? WireError {
            peerLog(.notice, "closing connection: bad framing", metadata: ["error": "\(wire)"])
            closeWithStatus(context, wire.code, wire.message)
        } else {
            logger.debug("connection error", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    /// Closes the connection once it was idle for `idleTimeoutSeconds` (nothing read, no long call
    /// ended) with no call in flight (a long call keeps its connection) and no reply left to write
    /// (a finished export still on its way to a slow reader: the write timeout watches that),
    /// checking four times per timeout.
    private func startIdleCheck(_ context: ChannelHandlerContext) {
        guard config.idleTimeoutSeconds > 0 else { return }
        let timeout = TimeAmount.nanoseconds(Int64(config.idleTimeoutSeconds * 1e9))
        let box = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let every = TimeAmount.nanoseconds(max(timeout.nanoseconds / 4, 1_000_000))
        idleCheck = context.eventLoop.scheduleRepeatedTask(initialDelay: timeout, delay: every) { _ in
            let (handler, context) = box.value
            guard handler.calls.isEmpty, NIODeadline.now() - handler.lastActivity >= timeout,
                  (try? context.channel.syncOptions?.getOption(ChannelOptions.bufferedWritableBytes)) ?? 0 == 0 else { return }
            handler.idleCheck?.cancel()
            handler.idleCheck = nil
            handler.closeWithStatus(context, .unavailable, "connection idle for \(Int(handler.config.idleTimeoutSeconds)) s")
        }
    }

    // MARK: requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing, registered else { return }
        lastActivity = .now()
        let frame = unwrapInboundIn(data)
        if let call = EnvelopeFastPath.getArticleCall(frame.payload), answer(context, call) { return }
        let request: Folio_V1_Request
        do {
            request = try Envelopes.request(from: frame)
        } catch let error as WireError {
            peerLog(.notice, "closing connection: bad request envelope", metadata: ["error": "\(error)"])
            closeWithStatus(context, error.code, error.message)
            return
        } catch {
            closeWithStatus(context, .internal, "\(error)")
            return
        }
        guard request.id != 0 else {
            closeWithStatus(context, .invalidArgument, "call id 0 is reserved")
            return
        }
        if request.cancel {
            cancel(context, id: request.id)
            return
        }
        let compress = Envelopes.acceptsZlib(request)
        if calls[request.id] != nil {
            // The call already running keeps its id; only the newcomer is refused.
            writeFinal(context, id: request.id, compress: compress,
                       status: .init(code: .alreadyExists, message: "call id \(request.id) is already in flight"))
            return
        }
        let method = FolioMethod(rawValue: request.method)
        if let refusal = admissionError(request, method) {
            writeFinal(context, id: request.id, compress: compress, status: refusal.status)
            if let method { router.stats.record(method: method, micros: 0, failed: true) }
            if refusal.code == .permissionDenied {
                peerLog(.notice, "call refused: permission denied",
                        metadata: ["method": "\(method?.shortName ?? request.method)", "reason": "\(refusal.message)"])
            }
            return
        }
        start(context, request: request, method: method!, compress: compress)
    }

    /// The hot path of a plain GetArticle for an article that exists: no envelope message, no
    /// handler lookup, no swift-protobuf decode. Returns false, having sent nothing, whenever the
    /// general path has something to say instead (id in flight, limits, drain, not found).
    private func answer(_ context: ChannelHandlerContext, _ call: GetArticleCall) -> Bool {
        guard calls[call.id] == nil, calls.count < config.maxCallsPerConnection, registry.acceptsNewCalls,
              !registry.isLoading else {
            return false
        }
        let started = NIODeadline.now()
        guard let stored = router.store.article(call.articleID) else { return false }
        router.stats.record(method: .getArticle, micros: Double((NIODeadline.now() - started).nanoseconds) / 1000,
                            failed: false)
        writeReply(context, id: call.id, compress: call.acceptsZlib, .encoded(stored.body))
        return true
    }

    /// Why a call may not start, or nil.
    private func admissionError(_ request: Folio_V1_Request, _ method: FolioMethod?) -> StatusError? {
        guard let method else {
            return StatusError(.unimplemented, "unknown method \"\(request.method)\"")
        }
        // Health keeps answering (NOT_SERVING, DRAINING) so a probe can tell a loading or stopping
        // daemon from a dead one. While loading, ServerInfo and ListMethods (which read no page)
        // answer too: clients open each connection with ServerInfo.
        if registry.isLoading && ![.health, .serverInfo, .listMethods].contains(method) {
            return StatusError(.unavailable, "foliod is loading: \(method.shortName) was not started")
        }
        if !registry.acceptsNewCalls && method != .health {
            return StatusError(.unavailable, "foliod is shutting down: \(method.shortName) was not started")
        }
        if calls.count >= config.maxCallsPerConnection {
            return StatusError(.resourceExhausted, "more than \(config.maxCallsPerConnection) calls in flight on this connection")
        }
        if method.isWrite && !policy.permitsWrites(peer) {
            let who = peer.map { "uid \($0.uid) gid \($0.gid)" } ?? "unknown peer"
            return StatusError(.permissionDenied, "\(method.shortName) is not allowed for \(who)")
        }
        return nil
    }

    private func start(_ context: ChannelHandlerContext, request: Folio_V1_Request, method: FolioMethod, compress: Bool) {
        let handler = router.handler(for: method)
        if case .inline(let body) = handler {
            // Fast path (GetArticle, GetPage, Health…): answered before the next frame is read,
            // so no bookkeeping, timer or hop is needed unless the handler defers heavy work.
            let started = NIODeadline.now()
            let callContext = CallContext(id: request.id, method: method, body: request.body, peer: peer,
                                          metadata: request.metadata, cancellation: Self.neverCancelled,
                                          sendStreamBody: { _ in })
            let result = Result { try body(callContext) }
            if case .success(.offload(let work)) = result {
                register(context, request: request, method: method, compress: compress, .inline { _ in .offload(work) })
                return
            }
            let micros = Double((NIODeadline.now() - started).nanoseconds) / 1000
            switch result {
            case .success(let reply):
                router.stats.record(method: method, micros: micros, failed: false)
                writeReply(context, id: request.id, compress: compress, reply)
            case .failure(let error):
                router.stats.record(method: method, micros: micros, failed: true)
                writeFinal(context, id: request.id, compress: compress, status: Self.status(for: error))
            }
            return
        }
        register(context, request: request, method: method, compress: compress, handler)
    }

    /// A call that outlives this read: tracked for ids, deadlines, cancellation and drain.
    private func register(_ context: ChannelHandlerContext, request: Folio_V1_Request, method: FolioMethod,
                          compress: Bool, _ handler: MethodHandler) {
        nextSerial += 1
        let serial = nextSerial
        let id = request.id
        var call = ActiveCall(serial: serial, method: method, started: .now(), compress: compress)
        let cancellation = call.cancellation
        registry.callStarted(on: context.channel)
        calls[id] = call
        let loop = context.eventLoop
        let handlerBox = NIOLoopBound((self, context), eventLoop: loop)
        let framing = ReplyFraming(id: id, compress: compress, limits: config.limits, allocator: context.channel.allocator)
        let callContext = CallContext(
            id: id, method: method, body: request.body, peer: peer, metadata: request.metadata,
            cancellation: cancellation,
            sendStreamBody: { bytes in
                // Framed on the worker that streams; the event loop only writes.
                let frame = Result { try framing.frame(Envelopes.streamResponse(id: id, body: bytes)) }
                loop.execute {
                    let (handler, context) = handlerBox.value
                    handler.writeStreamBody(context, id: id, serial: serial, frame)
                }
            })
        if request.timeoutMs > 0 {
            call.timer = loop.scheduleTask(in: .milliseconds(Int64(request.timeoutMs))) {
                let (handler, context) = handlerBox.value
                // A write past its commit point answers what it did, however late.
                guard cancellation.cancel() else { return }
                handler.finish(context, id: id, serial: serial,
                               .failure(StatusError(.deadlineExceeded, "deadline of \(request.timeoutMs) ms exceeded")))
            }
            calls[id] = call
        }
        switch handler {
        case .inline(let body):
            // Only deferred work reaches here: run what the handler handed over on the workers.
            runOnWorkers(workers, context, serial: serial, bytes: request.body.count, framing, cancellation) { try body(callContext) }
        case .blocking(let body):
            // Writes on workers of their own: one held up behind a reload holds no thread reads need.
            runOnWorkers(method.isWrite ? writeWorkers : workers, context, serial: serial, bytes: request.body.count, framing, cancellation) { try body(callContext) }
        case .query(let body):
            runOnWorkers(queryWorkers, context, serial: serial, bytes: request.body.count, framing, cancellation) { try body(callContext) }
        }
    }

    /// Runs blocking work on a worker pool, in the peer's uid's turn, frames its reply there, and
    /// answers on the event loop. Work whose call already ended (cancelled, deadline) is skipped if
    /// it has not started yet.
    private func runOnWorkers(_ pool: FairPool, _ context: ChannelHandlerContext, serial: UInt64, bytes: Int,
                              _ framing: ReplyFraming, _ cancellation: CallCancellation,
                              _ work: @escaping @Sendable () throws -> CallReply) {
        let id = framing.id
        let queued: QueuedWork
        switch workQueue.admit(bytes: bytes, uid: peer?.uid ?? .max, work) {
        case .success(let admitted): queued = admitted
        case .failure(let refusal):
            finish(context, id: id, serial: serial, .failure(refusal))
            return
        }
        calls[id]?.queued = queued
        let handlerBox = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        pool.run(for: peer?.uid ?? .max, on: context.eventLoop) { () throws -> CallReply in
            guard let work = queued.take(), !cancellation.isCancelled else {
                throw StatusError(.cancelled, "call ended before it started")
            }
            var reply = try work()
            while case .offload(let more) = reply { reply = try more() }
            return .framed(try framing.frame(reply))
        }.whenComplete { result in
            let (handler, context) = handlerBox.value
            handler.finish(context, id: id, serial: serial, result)
        }
    }

    private func cancel(_ context: ChannelHandlerContext, id: UInt64) {
        guard let call = calls[id] else { return }  // already finished: nothing to cancel
        guard call.cancellation.cancel() else { return }  // a write committing: its reply says what it did
        finish(context, id: id, serial: call.serial, .failure(StatusError(.cancelled, "call cancelled by the client")))
    }

    // MARK: responses

    /// Ends a call once: later results of the same call (a task finishing after its deadline) are dropped.
    private func finish(_ context: ChannelHandlerContext, id: UInt64, serial: UInt64, _ result: Result<CallReply, Error>) {
        guard let call = calls[id], call.serial == serial else { return }
        calls.removeValue(forKey: id)
        registry.callEnded(on: context.channel)
        lastActivity = .now()
        call.end()
        let micros = Double((NIODeadline.now() - call.started).nanoseconds) / 1000
        switch result {
        case .success(let reply):
            router.stats.record(method: call.method, micros: micros, failed: false)
            writeReply(context, id: id, compress: call.compress, reply)
        case .failure(let error):
            let status = Self.status(for: error)
            if status.code == .internal || status.code == .unknown {
                logger.error("call failed", metadata: ["method": "\(call.method.shortName)", "error": "\(error)"])
            }
            router.stats.record(method: call.method, micros: micros, failed: true)
            writeFinal(context, id: id, compress: call.compress, status: status)
        }
    }

    static func status(for error: Error) -> Folio_V1_Status {
        switch error {
        case let error as StatusError: return error.status
        case let error as WireError where error.kind == .outgoingTooLarge:
            // The caller can do something about it: say what.
            return .init(code: error.code, message: "reply not sent: \(error.message) (foliod --max-frame-bytes); ask for less "
                         + "at once: a page's articles one by one (ListArticles with its page, GetArticle), a smaller page_size")
        case let error as WireError: return error.status
        case is CancellationError: return .init(code: .cancelled, message: "call cancelled")
        default: return .init(code: .internal, message: "\(error)")
        }
    }

    /// Replies are framed by the handler rather than by an encoder, so a response over the frame
    /// limit becomes a status for that call instead of a broken connection.
    private func writeReply(_ context: ChannelHandlerContext, id: UInt64, compress: Bool, _ reply: CallReply) {
        let framing = ReplyFraming(id: id, compress: compress, limits: config.limits, allocator: context.channel.allocator)
        do {
            send(context, try framing.frame(reply))
        } catch {
            writeFinal(context, id: id, compress: compress, status: Self.status(for: error))
        }
    }

    private func writeStreamBody(_ context: ChannelHandlerContext, id: UInt64, serial: UInt64, _ frame: Result<ByteBuffer, Error>) {
        guard let call = calls[id], call.serial == serial else { return }
        switch frame {
        case .success(let frame): send(context, frame)
        case .failure(let error): finish(context, id: id, serial: serial, .failure(error))
        }
    }

    private func writeFinal(_ context: ChannelHandlerContext, id: UInt64, compress: Bool, status: Folio_V1_Status) {
        let framing = ReplyFraming(id: id, compress: compress, limits: config.limits, allocator: context.channel.allocator)
        if let frame = try? framing.frame(Envelopes.finalResponse(id: id, status: status)) { send(context, frame) }
    }

    /// Every reply frame leaves through here. While the peer is not reading, replies of calls
    /// already running still queue, up to `maxQueuedReplyBytes`; past that the peer is cut off.
    private func send(_ context: ChannelHandlerContext, _ frame: ByteBuffer) {
        if readsPaused, let queued = try? context.channel.syncOptions?.getOption(ChannelOptions.bufferedWritableBytes),
           queued + frame.readableBytes > config.maxQueuedReplyBytes {
            peerLog(.notice, "closing connection: peer does not read its replies",
                          metadata: ["queued-bytes": "\(queued)", "limit": "\(config.maxQueuedReplyBytes)"])
            abort(context)
            return
        }
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            writeStall?.cancel()
            writeStall = nil
            if readsPaused {
                readsPaused = false
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
                context.read()
            }
        } else {
            if !readsPaused {
                readsPaused = true
                context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
            }
            if writeStall == nil && config.writeTimeoutSeconds > 0 {
                let box = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                writeStall = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(config.writeTimeoutSeconds * 1e9))) {
                    let (handler, context) = box.value
                    handler.peerLog(.notice, "closing connection: peer read no reply for the write timeout",
                                          metadata: ["seconds": "\(handler.config.writeTimeoutSeconds)"])
                    handler.abort(context)
                }
            }
        }
        context.fireChannelWritabilityChanged()
    }

    /// Closes at once, dropping unsent replies: for a peer that does not read.
    private func abort(_ context: ChannelHandlerContext) {
        closing = true
        context.close(promise: nil)
    }

    /// A connection-level error: a Response with id 0 and the status, then close.
    private func closeWithStatus(_ context: ChannelHandlerContext, _ code: Folio_V1_StatusCode, _ message: String) {
        guard !closing else { return }
        closing = true
        for (id, call) in calls {
            call.end()
            registry.callEnded(on: context.channel)
            calls.removeValue(forKey: id)
        }
        // A peer that does not read would never let the status frame out: close at once then,
        // and in any case after a short grace, so the connection is always freed.
        guard context.channel.isWritable else {
            context.close(promise: nil)
            return
        }
        let payload: [UInt8] = (try? Envelopes.connectionError(code, message).serializedBytes()) ?? []
        var out = context.channel.allocator.buffer(capacity: payload.count + FrameLayout.headerBytes)
        // Plain whatever the peer accepts: it may be the peer's zlib that went wrong.
        FrameWriter.writeHeader(compressed: false, length: payload.count, into: &out)
        out.writeBytes(payload)
        let boxed = NIOLoopBound(context, eventLoop: context.eventLoop)
        let grace = context.eventLoop.scheduleTask(in: .seconds(1)) { boxed.value.close(promise: nil) }
        context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in
            grace.cancel()
            boxed.value.close(promise: nil)
        }
    }
}

/// The registry gave this idle connection's slot to another uid's new connection.
struct YieldedSlot: Sendable {}

/// `struct ucred` of <sys/socket.h> (only visible to C with _GNU_SOURCE), same layout.
struct LinuxPeerCred: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
    /// SO_PEERCRED on Linux.
    static let optionName = SocketOptionName(17)
}
