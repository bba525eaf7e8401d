import FolioWire
import Foundation
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

    private init(channel: any Channel, calls: CallTable, socketPath: String, configuration: FolioClient.Configuration) {
        self.channel = channel
        self.calls = calls
        self.socketPath = socketPath
        limits = configuration.limits
        acceptsCompressedResponses = configuration.acceptCompressedResponses
    }

    /// Usable for new calls: open and not failed.
    var isUsable: Bool { channel.isActive && !calls.isClosed }

    static func connect(to path: String, on eventLoop: any EventLoop,
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

    /// Starts a call: registers `sink`, arms the local deadline, writes the frame.
    /// The sink is told the outcome exactly once (or, for a stream, bodies then the end).
    func start(id: UInt64, frame: ByteBuffer, sink: CallSink, timeout: Duration?) {
        var timer: Scheduled<Void>?
        if let timeout {
            let millis = timeout.roundedUpMilliseconds
            timer = channel.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanosecondsClamped)) { [self] in
                if calls.abandon(id, with: .deadlineExceeded(millis)) { sendCancel(id) }
            }
        }
        guard calls.register(id, sink: sink, timer: timer) else { return }
        channel.writeAndFlush(frame, promise: nil)
    }

    /// Client-side cancellation: ends the call now and tells foliod to stop working on it.
    func cancel(_ id: UInt64) {
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
}
