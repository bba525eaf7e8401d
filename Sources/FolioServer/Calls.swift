import FolioIndex
import FolioModel
import FolioStore
import FolioWire
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SwiftProtobuf

/// What a handler sees of one call.
struct CallContext: Sendable {
    let id: UInt64
    let method: FolioMethod
    let body: Data
    let peer: PeerCredentials?
    let metadata: [String: String]
    /// Set when the call was cancelled or timed out; long handlers may stop early.
    let cancellation: CallCancellation
    /// Sends one body frame of a server-streaming call (no-op once the call has ended).
    let sendStreamBody: @Sendable ([UInt8]) -> Void

    /// The request message; a body that is not the declared message → INVALID_ARGUMENT, as is one
    /// of more than `RequestShape.maxBodyFields` top-level fields (refused after a walk that stops
    /// there, before swift-protobuf's far slower decode). Unknown fields are dropped, not kept.
    func decode<M: SwiftProtobuf.Message>(_ type: M.Type) throws -> M {
        if let fields = body.withUnsafeBytes({ RequestShape.excessBodyFields($0) }) {
            throw StatusError(.invalidArgument, "body of \(method.shortName) has more than \(fields - 1) fields: "
                              + "not a \(M.protoMessageName)")
        }
        do {
            var options = BinaryDecodingOptions()
            options.discardUnknownFields = true
            return try M(serializedBytes: body, options: options)
        } catch BinaryDecodingError.invalidUTF8 {
            // A text in GBK or Big5 sent as is: the message is right, one of its strings is not.
            throw StatusError(.invalidArgument, "body of \(method.shortName): a text field is not valid UTF-8 "
                              + "(convert the text to UTF-8 before sending it)")
        } catch {
            throw StatusError(.invalidArgument, "body of \(method.shortName) is not a \(M.protoMessageName)")
        }
    }

    /// Long handlers call this between steps: a call that ended (cancel, deadline, closed
    /// connection) stops there instead of finishing work nobody will read.
    func checkNotCancelled() throws {
        if cancellation.isCancelled { throw StatusError(.cancelled, "call cancelled") }
    }

    /// A write's commit point (see `CallCancellation.beginCommit`).
    func beginCommit() -> Bool { cancellation.beginCommit() }

    /// The same flag, as the search index asks it.
    var searchStop: SearchStop {
        let cancellation = self.cancellation
        return SearchStop { cancellation.isCancelled }
    }

    func stream(_ message: some SwiftProtobuf.Message) throws {
        try checkNotCancelled()
        sendStreamBody(try message.serializedBytes())
    }
}

/// What a handler answers.
// @unchecked: `any SwiftProtobuf.Message` is not Sendable as an existential; a reply is handed over once, never shared.
enum CallReply: @unchecked Sendable {
    /// A response message, serialized (and compressed when large and accepted) per call.
    case message(any SwiftProtobuf.Message)
    /// Bytes serialized (and deflated) once and cached: framed without re-encoding.
    case encoded(ArticleBody)
    /// The end of a server stream (bodies went through `CallContext.sendStreamBody`).
    case endOfStream
    /// Work too heavy for the event loop: run it on the worker pool, then answer its result.
    case offload(@Sendable () throws -> CallReply)
    /// The whole final frame, made by the worker that answered the call: serializing and compressing
    /// a large reply on the event loop would hold up every other connection on that loop.
    case framed(ByteBuffer)
}

/// How one call's replies become frames: compressed when the peer accepts zlib and a payload is
/// large enough, refused (an error for that call) beyond the frame limit. Usable on any thread.
struct ReplyFraming: Sendable {
    let id: UInt64
    let compress: Bool
    let limits: WireLimits
    let allocator: ByteBufferAllocator

    /// The final frame of the call with `reply`.
    func frame(_ reply: CallReply) throws -> ByteBuffer {
        switch reply {
        case .framed(let frame):
            return frame
        case .encoded(let body):
            return try body.responseFrame(id: id, compress: compress, limits: limits, allocator: allocator)
        case .message(let message):
            return try FrameWriter.okResponseFrame(id: id, body: message.serializedBytes(), compress: compress,
                                                   limits: limits, allocator: allocator)
        case .endOfStream:
            return try FrameWriter.okResponseFrame(id: id, body: [], compress: false, limits: limits, allocator: allocator)
        case .offload:
            throw StatusError(.internal, "unexpected deferred reply")
        }
    }

    /// Any envelope (a streamed body, a failure's status) as one frame.
    func frame(_ envelope: Folio_V1_Response) throws -> ByteBuffer {
        let payload: [UInt8] = try envelope.serializedBytes()
        var out = allocator.buffer(capacity: payload.count + FrameLayout.headerBytes)
        try payload.withUnsafeBytes {
            try FrameWriter.write(payload: $0, compress: compress, limits: limits, into: &out)
        }
        return out
    }
}

/// How a method runs: inline on the connection's event loop (cheap, never blocks), or on worker
/// threads behind one bounded queue (parsing, fsync, scans; queries on threads of their own), kept
/// off event loops and off Swift's cooperative pool. Any of them may be cancelled or time out.
enum MethodHandler: Sendable {
    case inline(@Sendable (CallContext) throws -> CallReply)
    case blocking(@Sendable (CallContext) throws -> CallReply)
    /// A read of the search index (search, entities): short and interactive, so it runs on threads
    /// of its own and never waits behind a queue of parses; within the same queue bounds.
    case query(@Sendable (CallContext) throws -> CallReply)
}

/// A flag a running handler can poll; set when its call ends early. A write passes a commit
/// point first: from there on a deadline or a cancel no longer ends the call, so a client is
/// never told DEADLINE_EXCEEDED or CANCELLED about a change that was made.
final class CallCancellation: Sendable {
    private enum State { case running, committing, ended }
    private let state = NIOLockedValueBox(State.running)
    var isCancelled: Bool { state.withLockedValue { $0 == .ended } }

    /// Ends the call unless its write is committing; false: only the write's own reply ends it.
    @discardableResult
    func cancel() -> Bool {
        state.withLockedValue { state in
            guard state != .committing else { return false }
            state = .ended
            return true
        }
    }

    /// The write's point of no return: false when the call has already ended (store nothing).
    func beginCommit() -> Bool {
        state.withLockedValue { state in
            guard state != .ended else { return false }
            state = .committing
            return true
        }
    }
}
