import Atomics
import Foundation
import NIOCore

/// All open connections: enforces the connection limit, counts calls in flight across the
/// daemon, and lets shutdown stop new calls, wait for running ones and close everything.
final class ConnectionRegistry: @unchecked Sendable {
    private struct State {
        var channels: [ObjectIdentifier: Channel] = [:]
        var callsInFlight = 0
        var draining = false
        var drainStarted = Date.distantFuture
    }
    private let state = Locked(State())
    /// `state.draining` readable without the lock every event loop shares (checked on every call).
    private let draining = ManagedAtomic(false)
    let maxConnections: Int

    init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    /// Registers a new connection; false when the limit is reached (the caller refuses it).
    func register(_ channel: Channel) -> Bool {
        state.withLock { state in
            guard state.channels.count < maxConnections else { return false }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func unregister(_ channel: Channel) {
        _ = state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var connectionCount: Int { state.withLock { $0.channels.count } }
    var callsInFlight: Int { state.withLock { $0.callsInFlight } }
    var isDraining: Bool { state.withLock { $0.draining } }

    func callStarted() { state.withLock { $0.callsInFlight += 1 } }
    func callEnded() { state.withLock { $0.callsInFlight -= 1 } }

    /// Requests already on the wire when SIGTERM arrived are still served: new calls on open
    /// connections are accepted for this long after the drain starts, then refused.
    static let drainGraceSeconds = 1.0

    func startDraining() {
        state.withLock {
            $0.draining = true
            $0.drainStarted = Date()
        }
        draining.store(true, ordering: .releasing)
    }

    /// False once a drain has gone on longer than the grace period.
    var acceptsNewCalls: Bool {
        guard draining.load(ordering: .acquiring) else { return true }
        return state.withLock { !$0.draining || Date().timeIntervalSince($0.drainStarted) < Self.drainGraceSeconds }
    }

    /// Waits until no call is in flight or the timeout passes; returns the calls left.
    func waitForCalls(timeoutSeconds: Double) async -> Int {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while callsInFlight > 0 && Date() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return callsInFlight
    }

    func closeAll() async {
        let channels = state.withLock { Array($0.channels.values) }
        for channel in channels {
            try? await channel.close()
        }
    }
}
