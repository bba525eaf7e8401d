import Foundation

/// Waits until `condition` holds or `limit` has passed, and says whether it holds. For states the
/// code under test exposes only as values (a daemon listening, its connection count, a snapshot
/// being current, a child process running): it polls, and orders nothing by time, since the test
/// goes on to check the very state it waited for.
public func waitUntil(limit: Duration = .seconds(30), every interval: Duration = .milliseconds(10),
                      _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while try !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: interval)
    }
    return true
}
