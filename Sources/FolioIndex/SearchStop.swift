/// Asked between the steps of a search (segments, phrases, batches of verified documents): true
/// once its caller has gone (the call was cancelled or ran out of time), so that the search stops
/// there instead of finishing work nobody will read.
public struct SearchStop: Sendable {
    private let shouldStop: @Sendable () -> Bool

    public init(_ shouldStop: @escaping @Sendable () -> Bool) {
        self.shouldStop = shouldStop
    }

    /// A search nobody stops (tests, benchmarks, the CLI's offline commands).
    public static let never = SearchStop { false }

    func check() throws(QueryError) {
        if shouldStop() { throw QueryError(.stopped, "the search stopped: its call ended") }
    }
}
