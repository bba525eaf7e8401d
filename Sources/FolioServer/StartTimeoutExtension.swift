import Foundation

/// Keeps systemd from killing a long cold start or reload: while the work runs, foliod asks
/// for more time every `interval` (EXTEND_TIMEOUT_USEC), each time for `grant`. Without
/// NOTIFY_SOCKET nothing is sent.
enum StartTimeoutExtension {
    static let interval: Duration = .seconds(10)
    static let grant: Duration = .seconds(30)

    /// Runs `work`, sending the extension now and every `interval` until it returns.
    static func whileRunning<T: Sendable>(environment: [String: String] = ProcessInfo.processInfo.environment,
                                          _ work: () async throws -> T) async rethrows -> T {
        guard environment["NOTIFY_SOCKET"].map({ !$0.isEmpty }) == true else { return try await work() }
        let microseconds = grant.components.seconds * 1_000_000
        let ticker = Task {
            while !Task.isCancelled {
                Systemd.notify("EXTEND_TIMEOUT_USEC=\(microseconds)", environment: environment)
                try? await Task.sleep(for: interval)
            }
        }
        defer { ticker.cancel() }
        return try await work()
    }
}
