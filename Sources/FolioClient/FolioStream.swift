import Foundation
import NIOConcurrencyHelpers

/// The messages of a server-streaming call (`exportArticles`, `searchStream`, `serverStream`).
///
/// - A plain `AsyncThrowingStream` ends its `for try await` loop quietly when the iterating task is
///   cancelled, so an export cut short looked complete. This one ends without an error only after
///   the call's OK status; a loop cut short any other way throws CANCELLED (kind `.local`).
/// - Bodies wait here undecoded until the loop takes them, and their bytes count against the
///   connection's read pause (`Connection.holding`): a consumer slower than foliod no longer makes
///   the client hold the whole answer.
public struct FolioStream<Element: Sendable>: AsyncSequence, Sendable {
    let bodies: AsyncThrowingStream<Data, any Error>
    let completed: StreamCompletion
    /// Called with each body's size as the loop takes it.
    let taken: @Sendable (Int) -> Void
    let decode: @Sendable (Data) throws -> Element
    /// Cancels the call (if still in flight) and drops what it holds: a loop over the stream ended.
    let abandon: @Sendable () -> Void
    /// Kept so that a stream made on a temporary client (`FolioClient().exportArticles()`) does
    /// not lose its connection when that client would otherwise go away.
    let client: FolioClient?

    /// Ends the call when the loop's iterator goes away (`break`, `return`, a throw), whether or
    /// not the stream value itself is still referenced.
    final class LoopEnd: Sendable {
        let stream: FolioStream
        init(_ stream: FolioStream) { self.stream = stream }
        deinit {
            stream.completed.abandon()
            stream.abandon()
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var bodies: AsyncThrowingStream<Data, any Error>.AsyncIterator
        let stream: FolioStream
        let end: LoopEnd

        public mutating func next() async throws -> Element? {
            // A later loop over a stream whose earlier loop ended early: the call is cancelled.
            if stream.completed.isAbandoned { throw FolioError.cancelled }
            if let body = try await bodies.next() {
                stream.taken(body.count)
                return try stream.decode(body)
            }
            guard stream.completed.isSet else { throw FolioError.cancelled }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        // A second loop means the first one ended, even where its iterator lives on (a loop in
        // top-level code keeps it until the program ends): that ended the call too.
        if completed.startLoop() {
            completed.abandon()
            abandon()
        }
        return AsyncIterator(bodies: bodies.makeAsyncIterator(), stream: self, end: LoopEnd(self))
    }

    /// The same bodies decoded another way (the typed streams over `serverStream(method:)`).
    func map<Other: Sendable>(_ decode: @escaping @Sendable (Data) throws -> Other) -> FolioStream<Other> {
        FolioStream<Other>(bodies: bodies, completed: completed, taken: taken, decode: decode, abandon: abandon,
                           client: client)
    }

    /// A stream that fails at once (a request that could not be encoded).
    static func failed(_ error: any Error) -> FolioStream<Element> {
        FolioStream(bodies: AsyncThrowingStream { $0.finish(throwing: error) }, completed: StreamCompletion(), taken: { _ in },
                    decode: { _ in throw error }, abandon: {}, client: nil)
    }
}

/// Set once a stream's call ended with status OK, or once a loop over it ended before that.
final class StreamCompletion: Sendable {
    private let state = NIOLockedValueBox((done: false, abandoned: false, looped: false))
    /// Whether a loop was started over the stream before.
    func startLoop() -> Bool {
        state.withLockedValue { state in
            defer { state.looped = true }
            return state.looped
        }
    }
    func set() { state.withLockedValue { $0.done = true } }
    var isSet: Bool { state.withLockedValue { $0.done } }
    /// A loop ended before the OK status: the call is cancelled (no-op once it completed).
    func abandon() { state.withLockedValue { if !$0.done { $0.abandoned = true } } }
    var isAbandoned: Bool { state.withLockedValue { $0.abandoned } }
}
