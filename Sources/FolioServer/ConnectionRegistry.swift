import Atomics
import FolioStore
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// All open connections: enforces the connection limit, counts calls in flight across the
/// daemon, and lets shutdown stop new calls, wait for running ones and close everything.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: (channel: Channel, uid: UInt32)] = [:]
        var perUID: [UInt32: Int] = [:]
        var callsInFlight = 0
        var callsStarted: UInt64 = 0
        var draining = false
    }
    private let state = NIOLockedValueBox(State())
    /// `state.draining` readable without the lock every event loop shares (checked on every call).
    private let draining = ManagedAtomic(false)
    let maxConnections: Int
    let maxPerUID: Int
    let reservedForWriters: Int

    init(maxConnections: Int, maxPerUID: Int? = nil, reservedForWriters: Int = 0) {
        self.maxConnections = maxConnections
        self.maxPerUID = min(maxPerUID ?? maxConnections, maxConnections)
        self.reservedForWriters = min(max(0, reservedForWriters), max(0, maxConnections - 1))
    }

    /// The uid of a peer whose credentials could not be read: counted together, never a writer.
    static let unknownUID = UInt32.max

    /// Registers a new connection, or says why it is refused: the global limit, the limit per
    /// uid, or (for peers that may not write) the slots kept for writers.
    func register(_ channel: Channel, uid: UInt32, writer: Bool) -> String? {
        state.withLockedValue { state in
            let total = state.channels.count
            if total >= maxConnections { return "too many connections (limit \(maxConnections))" }
            if !writer && total >= maxConnections - reservedForWriters {
                return "too many connections (the last \(reservedForWriters) of \(maxConnections) are kept for writers)"
            }
            let mine = state.perUID[uid, default: 0]
            if mine >= maxPerUID { return "too many connections from uid \(uid) (limit \(maxPerUID) per uid)" }
            state.perUID[uid] = mine + 1
            state.channels[ObjectIdentifier(channel)] = (channel, uid)
            return nil
        }
    }

    func unregister(_ channel: Channel) {
        state.withLockedValue { state in
            guard let entry = state.channels.removeValue(forKey: ObjectIdentifier(channel)) else { return }
            let left = state.perUID[entry.uid, default: 1] - 1
            state.perUID[entry.uid] = left > 0 ? left : nil
        }
    }

    var connectionCount: Int { state.withLockedValue { $0.channels.count } }
    var callsInFlight: Int { state.withLockedValue { $0.callsInFlight } }
    var isDraining: Bool { state.withLockedValue { $0.draining } }

    /// Calls started since foliod began (what the heap trim looks at to tell an idle daemon).
    var callsStarted: UInt64 { state.withLockedValue { $0.callsStarted } }

    func callStarted() {
        state.withLockedValue {
            $0.callsInFlight += 1
            $0.callsStarted &+= 1
        }
    }
    func callEnded() { state.withLockedValue { $0.callsInFlight -= 1 } }

    /// From now on new calls are refused with UNAVAILABLE (Health still answers, DRAINING); calls
    /// already admitted finish. No grace for calls read after the signal: a client cannot tell a
    /// call served by a stopping daemon from one served by a live one, and UNAVAILABLE is retryable.
    func startDraining() {
        state.withLockedValue { $0.draining = true }
        draining.store(true, ordering: .releasing)
    }

    /// False once a drain has begun.
    var acceptsNewCalls: Bool { !draining.load(ordering: .acquiring) }

    /// Waits until no call is in flight or the timeout passes; returns the calls left.
    func waitForCalls(timeoutSeconds: Double) async -> Int {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while callsInFlight > 0 && Date() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return callsInFlight
    }

    /// Waits until every connection has written the replies it queued (a finished export still on
    /// its way to a slow reader) or `deadline` passes: a call that ended is only done once its
    /// client has it. Returns the connections still writing.
    func waitForQueuedReplies(until deadline: Date) async -> Int {
        while true {
            let channels = state.withLockedValue { $0.channels.values.map(\.channel) }
            var writing = 0
            for channel in channels where channel.isActive {
                if let bytes = try? await channel.getOption(ChannelOptions.bufferedWritableBytes).get(), bytes > 0 { writing += 1 }
            }
            if writing == 0 || Date() >= deadline { return writing }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    func closeAll() async {
        let channels = state.withLockedValue { $0.channels.values.map(\.channel) }
        for channel in channels {
            try? await channel.close()
        }
    }
}
