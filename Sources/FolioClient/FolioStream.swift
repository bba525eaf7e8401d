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

    public struct AsyncIterator: AsyncIteratorProtocol {
        var bodies: AsyncThrowingStream<Data, any Error>.AsyncIterator
        let stream: FolioStream

        public mutating func next() async throws -> Element? {
            if let body = try await bodies.next() {
                stream.taken(body.count)
                return try stream.decode(body)
            }
            guard stream.completed.isSet else { throw FolioError.cancelled }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(bodies: bodies.makeAsyncIterator(), stream: self)
    }

    /// The same bodies decoded another way (the typed streams over `serverStream(method:)`).
    func map<Other: Sendable>(_ decode: @escaping @Sendable (Data) throws -> Other) -> FolioStream<Other> {
        FolioStream<Other>(bodies: bodies, completed: completed, taken: taken, decode: decode)
    }

    /// A stream that fails at once (a request that could not be encoded).
    static func failed(_ error: any Error) -> FolioStream<Element> {
        FolioStream(bodies: AsyncThrowingStream { $0.finish(throwing: error) }, completed: StreamCompletion(), taken: { _ in },
                    decode: { _ in throw error })
    }
}

/// Set once a stream's call ended with status OK.
final class StreamCompletion: Sendable {
    private let done = NIOLockedValueBox(false)
    func set() { done.withLockedValue { $0 = true } }
    var isSet: Bool { done.withLockedValue { $0 } }
}
