import FolioWire
import NIOCore
import NIOPosix

/// Per-call settings.
public struct FolioCallOptions: Sendable {
    /// Deadline of the call: sent to foliod as `timeout_ms` and enforced by the client too.
    /// nil uses the client's `defaultTimeout`.
    public var timeout: Duration?
    /// Sent in the request envelope's `metadata`.
    public var metadata: [String: String]
    /// Whether foliod may compress this call's answer; nil follows the client's
    /// `acceptCompressedResponses`, except that GetArticle then asks for a plain answer (inflating
    /// an article costs far more than moving its bytes over the local socket: Benchmarks/RESULTS.md) and retries
    /// compressed only if the article does not fit a plain frame. Keep compression for answers
    /// that may be large (a page can exceed the 4 MiB frame limit uncompressed).
    public var acceptCompressedResponses: Bool?

    public init(timeout: Duration? = nil, metadata: [String: String] = [:], acceptCompressedResponses: Bool? = nil) {
        self.timeout = timeout
        self.metadata = metadata
        self.acceptCompressedResponses = acceptCompressedResponses
    }
}

extension FolioClient {
    public struct Configuration: Sendable {
        /// Deadline of calls that set none; nil means no deadline.
        public var defaultTimeout: Duration?
        /// How long connecting may take. A foliod whose queue of new connections is full (busy or
        /// paused: connect(2) fails with EAGAIN) is tried again until then, or until the call's
        /// deadline if sooner; then UNAVAILABLE "it did not accept the connection in time (its
        /// queue of new connections is full)". Nobody listening or no socket fails at once.
        public var connectTimeout: Duration
        /// Frame and inflation limits for responses (requests are framed with the same limits).
        public var limits: WireLimits
        /// The group the client's event loop is taken from (one loop per client, kept across
        /// reconnects; see `FolioClient.eventLoop` and `executor`).
        public var eventLoopGroup: any EventLoopGroup
        /// Async calls in flight at once; more wait in the client. Keep it at or below foliod's
        /// per-connection limit (`--max-calls`, default 256), or the excess is refused with
        /// RESOURCE_EXHAUSTED. `callFuture` callers bound their own concurrency.
        public var maxCallsInFlight: Int
        /// List ENCODING_ZLIB in `accept_encodings`, so that foliod compresses responses of
        /// 1024 bytes or more. GetArticle declines it unless a call's options ask for it
        /// (`Connection.prefersPlainResponses`: on a local socket inflating one article costs
        /// more than the bytes it saves); every other method keeps it, since answers over the
        /// 4 MiB frame limit only fit compressed. false declines it for every call.
        public var acceptCompressedResponses: Bool
        /// Bytes of stream answers (exports, search streams) received ahead of the loops that read
        /// them before the connection stops reading until they catch up to a quarter of it: memory
        /// stays bounded when a consumer is slower than foliod. Other calls on the client wait
        /// while it is paused (give a long export a client of its own).
        public var streamReadAhead: Int
        /// How long after its deadline the answer to a write (Ingest, DeletePage, Reload) is still
        /// waited for. foliod gets the deadline as `timeout_ms`, answers DEADLINE_EXCEEDED itself
        /// when it stored nothing, and answers a write already storing its page with its outcome
        /// however late (docs/protocol.md): the client's own clock, started before the request was
        /// sent, must not turn a stored page into a reported failure. Past this grace (foliod hung,
        /// storage stalled) the call fails with DEADLINE_EXCEEDED of kind `.outcomeUnknown`: the
        /// write may have been made. A lost connection still ends the call at once.
        public var writeAnswerGrace: Duration

        public init(defaultTimeout: Duration? = nil, connectTimeout: Duration = .seconds(5),
                    limits: WireLimits = .default,
                    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                    maxCallsInFlight: Int = 64, acceptCompressedResponses: Bool = true, streamReadAhead: Int = 16 << 20,
                    writeAnswerGrace: Duration = .seconds(10)) {
            self.defaultTimeout = defaultTimeout
            self.connectTimeout = connectTimeout
            self.limits = limits
            self.eventLoopGroup = eventLoopGroup
            self.maxCallsInFlight = maxCallsInFlight
            self.acceptCompressedResponses = acceptCompressedResponses
            self.streamReadAhead = max(1, streamReadAhead)
            self.writeAnswerGrace = max(.zero, writeAnswerGrace)
        }

        /// How long past its deadline a call of `method` is waited for: `writeAnswerGrace` for a
        /// write, nil for a read.
        func writeGrace(_ method: String) -> Duration? {
            FolioMethod(rawValue: method)?.isWrite == true ? writeAnswerGrace : nil
        }
    }
}

extension FolioClient {
    /// Event loops of the default group (`MultiThreadedEventLoopGroup.singleton`: one per core);
    /// each holds three file descriptors (folio checks its open-file limit against this).
    public static var defaultEventLoopCount: Int { System.coreCount }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a sub-millisecond deadline is not sent as "none".
    var roundedUpMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let remainder = attoseconds % 1_000_000_000_000_000
        return max(1, remainder > 0 ? millis + 1 : millis)
    }

    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product + attoseconds / 1_000_000_000
    }
}

/// A call's deadline, counted from when the call was made: time spent waiting for a slot or a
/// connection comes out of it.
struct CallDeadline {
    let timeout: Duration?
    private let start = ContinuousClock.now

    init(_ timeout: Duration?) { self.timeout = timeout }

    /// What is left of the timeout (nil: no deadline); DEADLINE_EXCEEDED when nothing is.
    func remaining() throws -> Duration? {
        guard let timeout else { return nil }
        let left = timeout - (ContinuousClock.now - start)
        guard left > .zero else { throw FolioError.deadlineExceeded(timeout.roundedUpMilliseconds) }
        return left
    }
}
