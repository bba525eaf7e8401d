import NIOConcurrencyHelpers

/// The messages of a server-streaming call (`exportArticles`, `searchStream`, `serverStream`).
///
/// A plain `AsyncThrowingStream` ends its `for try await` loop quietly when the iterating task is
/// cancelled, so an export cut short looked complete. This one ends without an error only after
/// the call's OK status; a loop cut short any other way throws CANCELLED (kind `.local`).
public struct FolioStream<Element: Sendable>: AsyncSequence, Sendable {
    /// Set once the call ended with status OK.
    final class Completion: Sendable {
        private let done = NIOLockedValueBox(false)
        func set() { done.withLockedValue { $0 = true } }
        var isSet: Bool { done.withLockedValue { $0 } }
    }

    let completed: Completion
    let base: AsyncThrowingStream<Element, any Error>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<Element, any Error>.AsyncIterator
        let completed: Completion

        public mutating func next() async throws -> Element? {
            if let element = try await base.next() { return element }
            guard completed.isSet else { throw FolioError.cancelled }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), completed: completed)
    }
}
