import Atomics
import FolioStore
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// All open connections: enforces the connection limit, counts calls in flight across the
/// daemon, and lets shutdown stop new calls, wait for running ones and close everything.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        var channel: Channel
        var uid: UInt32
        /// Calls in flight on the connection, and since when it has had none.
        var busy = 0
        var idleSince = NIODeadline.now()
    }
    private struct State {
        var channels: [ObjectIdentifier: Entry] = [:]
        var perUID: [UInt32: Int] = [:]
        var callsInFlight = 0
        var callsStarted: UInt64 = 0
        var draining = false
    }
    private let state = NIOLockedValueBox(State())
    /// `state.draining` readable without the lock every event loop shares (checked on every call).
    private let draining = ManagedAtomic(false)
    private let loading = ManagedAtomic(false)
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

    /// What became of a new connection: admitted (maybe in the place of another uid's idle
    /// connection, which the caller then closes), or refused and why.
    enum Admission {
        case admitted(evicted: Channel?)
        case refused(String)
    }

    /// Registers a new connection, or says why it is refused: the global limit, the limit per
    /// uid, or (for peers that may not write) the slots kept for writers. When the slots are full,
    /// a uid holding fewer connections than its fair share (the slots divided among the uids
    /// that hold them and this one) takes the place of the longest-idle connection of the uid
    /// holding the most: two users holding every slot cannot lock everyone else out.
    func register(_ channel: Channel, uid: UInt32, writer: Bool) -> Admission {
        state.withLockedValue { state in
            let mine = state.perUID[uid, default: 0]
            if mine >= maxPerUID { return .refused("too many connections from uid \(uid) (limit \(maxPerUID) per uid)") }
            let total = state.channels.count
            let limit = writer ? maxConnections : maxConnections - reservedForWriters
            var evicted: Channel?
            if total >= limit {
                guard let victim = Self.idleConnectionToYield(in: state, to: uid, slots: limit) else {
                    return .refused(total >= maxConnections ? "too many connections (limit \(maxConnections))"
                                    : "too many connections (the last \(reservedForWriters) of \(maxConnections) are kept for writers)")
                }
                Self.remove(victim, from: &state)
                evicted = victim.channel
            }
            state.perUID[uid] = mine + 1
            state.channels[ObjectIdentifier(channel)] = Entry(channel: channel, uid: uid)
            return .admitted(evicted: evicted)
        }
    }

    /// The longest-idle connection (no call in flight) of the uid holding the most, when that uid
    /// holds more than its fair share and `uid` less.
    private static func idleConnectionToYield(in state: State, to uid: UInt32, slots: Int) -> Entry? {
        let holders = state.perUID.count + (state.perUID[uid] == nil ? 1 : 0)
        let fairShare = max(1, slots / max(1, holders))
        guard state.perUID[uid, default: 0] < fairShare,
              let (hog, held) = state.perUID.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
              hog != uid, held > fairShare else { return nil }
        return state.channels.values.filter { $0.uid == hog && $0.busy == 0 }.min { $0.idleSince < $1.idleSince }
    }

    private static func remove(_ entry: Entry, from state: inout State) {
        guard state.channels.removeValue(forKey: ObjectIdentifier(entry.channel)) != nil else { return }
        let left = state.perUID[entry.uid, default: 1] - 1
        state.perUID[entry.uid] = left > 0 ? left : nil
    }

    func unregister(_ channel: Channel) {
        state.withLockedValue { state in
            guard let entry = state.channels[ObjectIdentifier(channel)] else { return }
            Self.remove(entry, from: &state)
        }
    }

    var connectionCount: Int { state.withLockedValue { $0.channels.count } }
    var callsInFlight: Int { state.withLockedValue { $0.callsInFlight } }
    var isDraining: Bool { state.withLockedValue { $0.draining } }

    /// Calls started since foliod began (what the heap trim looks at to tell an idle daemon).
    var callsStarted: UInt64 { state.withLockedValue { $0.callsStarted } }

    func callStarted(on channel: Channel) {
        state.withLockedValue {
            $0.callsInFlight += 1
            $0.callsStarted &+= 1
            $0.channels[ObjectIdentifier(channel)]?.busy += 1
        }
    }
    func callEnded(on channel: Channel) {
        state.withLockedValue {
            $0.callsInFlight -= 1
            let key = ObjectIdentifier(channel)
            if let busy = $0.channels[key]?.busy, busy > 0 {
                $0.channels[key]?.busy = busy - 1
                if busy == 1 { $0.channels[key]?.idleSince = .now() }
            }
        }
    }

    /// From now on new calls are refused with UNAVAILABLE (Health still answers, DRAINING); calls
    /// already admitted finish. No grace for calls read after the signal: a client cannot tell a
    /// call served by a stopping daemon from one served by a live one, and UNAVAILABLE is retryable.
    func startDraining() {
        state.withLockedValue { $0.draining = true }
        draining.store(true, ordering: .releasing)
    }

    /// False once a drain has begun.
    var acceptsNewCalls: Bool { !draining.load(ordering: .acquiring) }

    /// While the start-up load runs on a socket systemd passed, calls but Health are refused
    /// (UNAVAILABLE) and Health answers NOT_SERVING: nothing of the store is touched.
    func startLoading() { loading.store(true, ordering: .releasing) }
    func loadingEnded() { loading.store(false, ordering: .releasing) }
    var isLoading: Bool { loading.load(ordering: .acquiring) }

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
