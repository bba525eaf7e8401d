import FolioWire
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SwiftProtobuf

#if canImport(Glibc)
import Glibc
#endif

/// An async/await client of foliod over its Unix socket.
///
/// One connection carries every call: calls made concurrently are multiplexed by id and may
/// complete out of order. The connection is opened on first use and reopened by the next call
/// after it dropped (calls in flight when it dropped fail with UNAVAILABLE; none is retried,
/// since a write may have happened). Cancelling the calling Task cancels the call on foliod; a
/// write (Ingest, DeletePage, Reload) already sent then ends with foliod's answer (CANCELLED only
/// if it changed nothing) or, none coming within `writeAnswerGrace`, kind `.outcomeUnknown`.
public final class FolioClient: Sendable {
    public let socketPath: String
    /// The folder of a default socket path, checked before each connect (nil: named by the caller).
    private let runtimeDirectory: String?
    public let configuration: Configuration
    /// The event loop every connection of this client runs on (chosen from the configured
    /// group once, so that reconnecting keeps tasks pinned to it valid).
    public let eventLoop: any EventLoop
    private let loopExecutor: (any Sendable)?

    private enum ConnectionState {
        case idle
        case connecting(EventLoopFuture<Connection>)
        case connected(Connection)
        case closed
    }

    private let state = NIOLockedValueBox(ConnectionState.idle)
    /// Set while the connect under way is refused with EAGAIN (foliod's queue of new connections
    /// full): a call whose deadline ends the wait then says so, not "no answer".
    private let connectQueueFull = NIOLockedValueBox(false)
    private let slots: CallSlots

    /// `socketPath` nil resolves the path like every Folio program (see `FolioSocketPath`).
    public init(socketPath: String? = nil, configuration: Configuration = .init()) {
        self.socketPath = FolioSocketPath.resolve(explicit: socketPath)
        runtimeDirectory = FolioSocketPath.runtimeDirectory(of: self.socketPath, explicit: socketPath)
        self.configuration = configuration
        eventLoop = configuration.eventLoopGroup.next()
        if #available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, *) {
            loopExecutor = FolioEventLoopExecutor(eventLoop: eventLoop)
        } else {
            loopExecutor = nil
        }
        slots = CallSlots(limit: configuration.maxCallsInFlight)
    }

    /// A client whose connection runs on `eventLoop`, e.g. another client's `eventLoop`: many
    /// connections driven by one thread, as redis-benchmark drives its connections. Tasks that
    /// prefer any of these clients' `executor` then make calls on all of them without a hop.
    public convenience init(socketPath: String? = nil, eventLoop: any EventLoop, configuration: Configuration = .init()) {
        var onLoop = configuration
        onLoop.eventLoopGroup = eventLoop
        self.init(socketPath: socketPath, configuration: onLoop)
    }

    /// A task executor on `eventLoop`: tasks that prefer it make calls without thread hops
    /// (see `FolioEventLoopExecutor` and `withEventLoopExecutor`).
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, *)
    public var executor: FolioEventLoopExecutor { loopExecutor as! FolioEventLoopExecutor }

    deinit {
        if case .connected(let connection) = state.withLockedValue({ $0 }) { connection.close() }
    }

    /// Closes the connection; calls in flight fail with CANCELLED and later calls are refused.
    public func close() {
        let previous = state.withLockedValue { state in
            defer { state = .closed }
            return state
        }
        switch previous {
        case .connected(let connection): connection.close()
        case .connecting(let future): future.whenSuccess { $0.close() }
        case .idle, .closed: break
        }
    }

    /// Opens the connection now instead of on the first call (e.g. to fail early).
    public func connect() async throws {
        _ = try await connection()
    }

    // MARK: Unary calls

    /// Calls `method` ("/folio.v1.Folio/<Method>") with a serialized request; returns the
    /// serialized response. Throws `FolioError`.
    public func call(method: String, body: Data, options: FolioCallOptions = .init()) async throws -> Data {
        if FolioMethod(rawValue: method)?.isServerStreaming == true {
            // Its last message alone would pass for the whole answer.
            throw FolioError(code: .invalidArgument, message: "\(method) is a streaming method: use serverStream", kind: .local)
        }
        do {
            return try await callOnce(method: method, body: body, options: options)
        } catch let error as FolioError where retriesCompressed(error, method: method, options: options) {
            var compressed = options
            compressed.acceptCompressedResponses = true
            return try await callOnce(method: method, body: body, options: compressed)
        }
    }

    /// A call that declined compression only by the default rule (`Connection.prefersPlainResponses`)
    /// and whose answer did not fit a plain frame is worth one more try accepting zlib.
    private func retriesCompressed(_ error: FolioError, method: String, options: FolioCallOptions) -> Bool {
        Self.retriesCompressed(error, method: method, options: options, configuration: configuration)
    }

    static func retriesCompressed(_ error: FolioError, method: String, options: FolioCallOptions,
                                  configuration: Configuration) -> Bool {
        error.code == .resourceExhausted && error.kind == .server && options.acceptCompressedResponses == nil
            && configuration.acceptCompressedResponses && Connection.prefersPlainResponses(method)
    }

    private func callOnce(method: String, body: Data, options: FolioCallOptions) async throws -> Data {
        try Task.checkCancellation(orThrow: .cancelled)
        let deadline = CallDeadline(options.timeout ?? configuration.defaultTimeout)
        // Connected first: the slots follow foliod's limit, learnt on connecting.
        let connected = try await connection(within: deadline)
        let waited = !slots.tryAcquire()
        if waited { try await slots.acquire(within: try deadline.remaining()) }
        defer { slots.release() }
        let connection = waited ? try await self.connection() : connected
        let timeout = try deadline.remaining()
        let id = connection.calls.reserveID()
        let frame: ByteBuffer
        do {
            frame = try connection.frame(id: id, method: method, body: body, options: options, timeout: timeout)
        } catch {
            connection.calls.release(id)
            throw error
        }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Data, any Error>) in
                connection.start(id: id, frame: frame, sink: .unary { continuation.resume(with: $0.mapError { $0 }) },
                                 timeout: timeout, announced: deadline.timeout, writeGrace: configuration.writeGrace(method))
            }
        } onCancel: {
            connection.cancel(id)
        }
    }

    /// A typed unary call.
    public func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: FolioMethod, _ request: Request, as _: Response.Type = Response.self,
        options: FolioCallOptions = .init()
    ) async throws -> Response {
        let body = try Self.encode(request)
        return try Self.decode(Response.self, try await call(method: method.rawValue, body: body, options: options))
    }

    /// The same unary call as an EventLoopFuture, completed on the connection's event loop with
    /// no Swift-concurrency hop. No task cancellation here; the deadline still applies. Async
    /// code gets the same effect with `withEventLoopExecutor`.
    public func callFuture(method: String, body: Data, options: FolioCallOptions = .init()) -> EventLoopFuture<Data> {
        callFutureOnce(method: method, body: body, options: options).flatMapError { error in
            guard let error = error as? FolioError, self.retriesCompressed(error, method: method, options: options) else {
                return self.eventLoop.makeFailedFuture(error)
            }
            var compressed = options
            compressed.acceptCompressedResponses = true
            return self.callFutureOnce(method: method, body: body, options: compressed)
        }
    }

    private func callFutureOnce(method: String, body: Data, options: FolioCallOptions) -> EventLoopFuture<Data> {
        connectionFuture().flatMapThrowing { connection -> (Connection, UInt64, ByteBuffer) in
            let timeout = options.timeout ?? self.configuration.defaultTimeout
            let id = connection.calls.reserveID()
            do {
                return (connection, id, try connection.frame(id: id, method: method, body: body, options: options,
                                                              timeout: timeout))
            } catch {
                connection.calls.release(id)
                throw error
            }
        }.flatMap { connection, id, frame in
            let promise = connection.channel.eventLoop.makePromise(of: Data.self)
            connection.start(id: id, frame: frame, sink: .unary { promise.completeWith($0.mapError { $0 }) },
                             timeout: options.timeout ?? self.configuration.defaultTimeout,
                             writeGrace: self.configuration.writeGrace(method))
            return promise.futureResult
        }
    }

    // MARK: Server streaming

    /// Calls a server-streaming `method`; yields each serialized response body as it arrives and
    /// finishes with the call's status. Ending the iteration early cancels the call on foliod.
    public func serverStream(method: String, body: Data, options: FolioCallOptions = .init()) -> FolioStream<Data> {
        let completed = StreamCompletion()
        // What the termination handler must undo: the call on foliod, the slot, and the bytes
        // received and not taken yet (they count against the connection's read pause until then).
        struct Progress {
            var call: (Connection, UInt64)?
            var holdsSlot = false
            var terminated = false
            var unread = 0
            var task: Task<Void, Never>?
        }
        let progress = NIOLockedValueBox(Progress())
        let taken: @Sendable (Int) -> Void = { count in
            let connection = progress.withLockedValue { state -> Connection? in
                guard !state.terminated else { return nil }  // released with the rest at termination
                state.unread -= count
                return state.call?.0
            }
            connection?.released(count)
        }
        let slots = self.slots
        // Ends the stream's hold on the call: at the stream's termination, and when a loop over
        // it ends (its iterator goes away), though the stream itself may still be referenced.
        let terminate: @Sendable (_ cancel: Bool) -> Void = { cancel in
            let (call, holdsSlot, unread, task) = progress.withLockedValue { state in
                state.terminated = true
                defer { state.holdsSlot = false; state.unread = 0 }
                return (state.call, state.holdsSlot, state.unread, state.task)
            }
            if holdsSlot { slots.release() }
            if let (connection, _) = call, unread > 0 { connection.released(unread) }
            guard cancel else { return }
            task?.cancel()
            if let (connection, id) = call { connection.cancel(id) }
        }
        let bodies = AsyncThrowingStream<Data, any Error> { continuation in
            let task = Task {
                do {
                    let deadline = CallDeadline(options.timeout ?? self.configuration.defaultTimeout)
                    _ = try await self.connection(within: deadline)  // the slots follow foliod's limit, learnt on connecting
                    try await slots.acquire(within: try deadline.remaining())
                    let keep = progress.withLockedValue { state -> Bool in
                        if state.terminated { return false }
                        state.holdsSlot = true
                        return true
                    }
                    guard keep else {
                        slots.release()
                        return
                    }
                    let connection = try await self.connection()
                    let timeout = try deadline.remaining()
                    let id = connection.calls.reserveID()
                    let frame: ByteBuffer
                    do {
                        frame = try connection.frame(id: id, method: method, body: body, options: options, timeout: timeout)
                    } catch {
                        connection.calls.release(id)
                        throw error
                    }
                    progress.withLockedValue { $0.call = (connection, id) }
                    // Terminated between reserving and publishing the id: mark it cancelled so start() refuses it.
                    if Task.isCancelled { connection.cancel(id) }
                    connection.start(id: id, frame: frame,
                                     sink: .stream(onBody: { body in
                                                       let held = progress.withLockedValue { state -> Bool in
                                                           guard !state.terminated else { return false }
                                                           state.unread += body.count
                                                           return true
                                                       }
                                                       if held { connection.holding(body.count) }
                                                       continuation.yield(body)
                                                   },
                                                   onFinish: { error in
                                                       if error == nil { completed.set() }
                                                       continuation.finish(throwing: error)
                                                   }),
                                     timeout: timeout, announced: deadline.timeout)
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            let terminated = progress.withLockedValue { state in
                state.task = task
                return state.terminated
            }
            if terminated { task.cancel() }
            continuation.onTermination = { termination in
                if case .cancelled = termination { terminate(true) } else { terminate(false) }
            }
        }
        // The stream holds its client: the connection stays open until the loop over it ends.
        return FolioStream(bodies: bodies, completed: completed, taken: taken, decode: { $0 },
                           abandon: { terminate(true) }, client: self)
    }

    /// A typed server stream: each body decoded as `Element`.
    public func serverStream<Request: SwiftProtobuf.Message, Element: SwiftProtobuf.Message>(
        _ method: FolioMethod, _ request: Request, of _: Element.Type = Element.self,
        options: FolioCallOptions = .init()
    ) -> FolioStream<Element> {
        do {
            return serverStream(method: method.rawValue, body: try Self.encode(request), options: options)
                .map { try Self.decode(Element.self, $0) }
        } catch {
            return .failed(error)
        }
    }

    // MARK: Connection management

    private func connection() async throws -> Connection {
        try await connection(within: CallDeadline(nil))
    }

    /// The open connection, if usable: the fast path without futures (awaiting even a completed
    /// future hops through the event loop).
    private var readyConnection: Connection? {
        state.withLockedValue { state in
            if case .connected(let connection) = state, connection.isUsable { return connection }
            return nil
        }
    }

    /// The connection, waited for at most what is left of the call's deadline (connecting includes
    /// the opening ServerInfo, which a stalled peer may never answer) and only while the task is
    /// not cancelled (the connect itself goes on for other callers).
    private func connection(within deadline: CallDeadline) async throws -> Connection {
        let timeout = try deadline.remaining()
        if let ready = readyConnection { return ready }
        try Task.checkCancellation(orThrow: .cancelled)
        let future = connectionFuture()
        let promise = future.eventLoop.makePromise(of: Connection.self)
        let settled = NIOLockedValueBox(false)
        let settle: @Sendable (Result<Connection, any Error>) -> Void = { result in
            if !settled.withLockedValue({ done in defer { done = true }; return done }) { promise.completeWith(result) }
        }
        let queueFull = connectQueueFull, path = socketPath
        let timer = timeout.map { timeout in
            let millis = (deadline.timeout ?? timeout).roundedUpMilliseconds
            return future.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanosecondsClamped)) {
                let busy = queueFull.withLockedValue { $0 }
                settle(.failure(busy ? FolioError.notAccepted(path) : FolioError.deadlineExceeded(millis)))
            }
        }
        future.whenComplete { result in
            timer?.cancel()
            settle(result)
        }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            settle(.failure(FolioError.cancelled))
        }
    }

    private func connectionFuture() -> EventLoopFuture<Connection> {
        enum Next {
            case ready(Connection)
            case wait(EventLoopFuture<Connection>)
            case refuse
            case open
        }
        let next: Next = state.withLockedValue { state in
            switch state {
            case .connected(let connection) where connection.isUsable: return .ready(connection)
            case .connecting(let future): return .wait(future)
            case .closed: return .refuse
            case .idle, .connected: return .open
            }
        }
        let eventLoop = self.eventLoop
        switch next {
        case .ready(let connection): return connection.channel.eventLoop.makeSucceededFuture(connection)
        case .wait(let future): return future
        case .refuse: return eventLoop.makeFailedFuture(FolioError.clientClosed)
        case .open: break
        }
        // Several callers may race here; only one connect wins, the others wait for it.
        let promise = eventLoop.makePromise(of: Connection.self)
        let winner: EventLoopFuture<Connection>? = state.withLockedValue { state in
            switch state {
            case .connecting(let future): return future
            case .connected(let connection) where connection.isUsable:
                return connection.channel.eventLoop.makeSucceededFuture(connection)
            case .closed: return eventLoop.makeFailedFuture(FolioError.clientClosed)
            case .idle, .connected:
                state = .connecting(promise.futureResult)
                return nil
            }
        }
        if let winner {
            promise.fail(FolioError.clientClosed)  // never observed: nobody else holds it
            return winner
        }
        let path = socketPath
        let opened: EventLoopFuture<Connection>
        do {
            try FolioError.checkRuntimeDirectory(runtimeDirectory, socketPath: path)
            let slots = self.slots, timeout = configuration.connectTimeout
            connectQueueFull.withLockedValue { $0 = false }
            opened = Connection.connect(to: path, on: eventLoop, configuration: configuration,
                                        queueFull: connectQueueFull).flatMap { connection in
                connection.askCallLimit(timeout: timeout).map { limit in
                    if let limit { slots.serverAllows(limit) }
                    return connection
                }
            }
        } catch {
            opened = eventLoop.makeFailedFuture(error)
        }
        opened
            .flatMapErrorThrowing { throw Self.connectError($0, path: path) }
            .whenComplete { result in
                let closedMeanwhile: Bool = self.state.withLockedValue { state in
                    if case .closed = state { return true }
                    switch result {
                    case .success(let connection): state = .connected(connection)
                    case .failure: state = .idle
                    }
                    return false
                }
                if closedMeanwhile, case .success(let connection) = result {
                    connection.close()
                    promise.fail(FolioError.clientClosed)
                } else {
                    promise.completeWith(result)
                }
            }
        return promise.futureResult
    }

    private static func connectError(_ error: any Error, path: String) -> FolioError {
        if let error = error as? FolioError { return error }
        if let io = error as? IOError { return .connectFailed(path, errno: io.errnoCode) }
        if error is SocketAddressError {
            return FolioError(code: .invalidArgument,
                              message: "cannot connect to foliod at \(path): the path is not a usable Unix socket path (this client takes at most 103 bytes)",
                              kind: .cannotConnect)
        }
        if error is ChannelError {
            return .cannotConnect(path, reason: "\(error)")
        }
        return .cannotConnect(path, reason: "\(error)")
    }

    // MARK: Encoding

    static func encode(_ message: some SwiftProtobuf.Message) throws -> Data {
        do {
            return try message.serializedData()
        } catch {
            throw FolioError(code: .invalidArgument, message: "cannot encode \(type(of: message).protoMessageName): \(error)",
                             kind: .local)
        }
    }

    static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, _ body: Data) throws -> M {
        do {
            return try M(serializedBytes: body)
        } catch {
            throw FolioError(code: .internal, message: "foliod sent a body that is not a \(M.protoMessageName): \(error)",
                             kind: .protocolViolation)
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static func checkCancellation(orThrow error: FolioError) throws {
        if Task.isCancelled { throw error }
    }
}
