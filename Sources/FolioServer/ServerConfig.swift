import NIOCore
import FolioWire
import FolioStore
import Foundation

/// Everything foliod can be told; built by the executable from flags, environment and an
/// optional config file.
public struct ServerConfig: Sendable {
    /// Where to listen. Ignored when systemd passes a socket (LISTEN_FDS).
    public var socketPath: String
    /// The git commit the running foliod was built from (ServerInfo's version carries it as build
    /// metadata, `0.1.0+1a2b3c4d5e6f`): after an upgrade in place, whether the daemon restarted shows.
    public var buildCommit = ""
    /// The folder of a default socket path, checked to be foliod's own (nil: the user named the path).
    public var runtimeDirectory: String?
    /// Data directory (pages/ inside); nil → serve the bundled sample, read-only.
    public var dataDirectory: String?
    public var limits = WireLimits()
    public var maxConnections = 256
    /// Connections one uid may hold, so that one local user cannot lock the others out.
    public var maxConnectionsPerUID = 128
    /// Connection slots kept for peers allowed to write (Ingest, DeletePage, Reload).
    public var reservedWriterConnections = 16
    public var maxCallsPerConnection = 256
    /// A peer that reads none of its replies for this long is disconnected (replies wait in
    /// memory meanwhile, and no more of its requests are read).
    public var writeTimeoutSeconds: Double = 30
    /// Reply bytes one connection may have waiting for its peer to read; beyond it the peer is
    /// disconnected. No more requests are read while replies wait, so this is only reached by
    /// replies of calls already running.
    public var maxQueuedReplyBytes = 64 << 20
    /// Blocking calls and queries (parse, ingest, listings, search) waiting for a worker, daemon-wide,
    /// and the request bytes they hold: beyond either, new calls get RESOURCE_EXHAUSTED.
    public var maxQueuedWork = 1024
    public var maxQueuedWorkBytes = 256 << 20
    /// A connection with no traffic and no call in flight for this long is closed. 0 = never.
    public var idleTimeoutSeconds: Double = 300
    /// How long SIGTERM waits for calls in flight before closing connections.
    public var drainTimeoutSeconds: Double = 30
    public var socketMode: UInt16 = 0o660
    /// Group owning the socket file (name or number); nil leaves the default.
    public var socketGroup: String?
    /// Peers allowed to call write methods. No uid given means this process's uid and root, whatever
    /// groups are allowed besides (a group added for a team must not lock out the admin).
    public var allowUIDs: Set<UInt32> = []
    public var allowGIDs: Set<UInt32> = []
    /// Threads of the event loop group (socket I/O and cheap calls): half the cores. Clients are
    /// local processes sharing these cores, and heavy calls run on workers; on 2 cores
    /// one loop served 16 connections faster than two (Benchmarks/RESULTS.md, "GetArticle").
    public var threads = max(1, System.coreCount / 2)
    /// Threads for blocking calls (parse, ingest, listings): the cores and half as many again, so
    /// that another user's call finds a free one while one uid runs `callsPerUID` slow calls.
    public var workerThreads = max(2, System.coreCount) + max(1, System.coreCount / 2)
    /// Threads for queries of the search index (search, entities), apart so that they never wait
    /// behind parses (with one pool, `folio-bench load`'s searches waited 54 ms at the median).
    public var queryThreads = max(2, System.coreCount) + max(1, System.coreCount / 2)
    /// Threads for writes (Ingest, DeletePage, Reload, and the SIGHUP reload), apart so that writes
    /// waiting for the archive's write lock (behind a reload that parses every page) hold no thread
    /// reads need: with one pool, a user's writes waiting on a reload stalled its GetPage and
    /// ListPages for the whole reload.
    public var writeThreads = max(2, System.coreCount)
    /// Calls one uid runs at once in each of the pools (`FairPool`): as many as cores.
    public var callsPerUID = max(2, System.coreCount)
    /// Seconds after the last Ingest/DeletePage before the start-up snapshot is rewritten (in the
    /// background; a stream of writes postpones it at most five minutes; shutdown writes it too).
    /// It rewrites the whole archive, so not after every single write; crash safety never depends on it.
    public var snapshotDelaySeconds: Double = 30

    public init(socketPath: String, dataDirectory: String?) {
        self.socketPath = socketPath
        self.dataDirectory = dataDirectory
    }

    /// The access policy for write methods.
    public var accessPolicy: AccessPolicy {
        AccessPolicy(uids: allowUIDs.isEmpty ? [getuid(), 0] : allowUIDs, gids: allowGIDs)
    }
}

/// Who may call write methods (Ingest, DeletePage, Reload), judged by SO_PEERCRED.
public struct AccessPolicy: Sendable, Equatable {
    public var uids: Set<UInt32>
    public var gids: Set<UInt32>

    public init(uids: Set<UInt32>, gids: Set<UInt32>) {
        self.uids = uids
        self.gids = gids
    }

    public func permitsWrites(_ peer: PeerCredentials?) -> Bool {
        guard let peer else { return false }
        return uids.contains(peer.uid) || gids.contains(peer.gid) || !gids.isDisjoint(with: peer.groups)
    }
}

/// The process on the other end of a Unix socket, from SO_PEERCRED, with its supplementary
/// groups (a user added to a group with `usermod -aG` has it there, not as the primary gid).
public struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
    public var groups: Set<UInt32> = []
    public var description: String { "pid \(pid) uid \(uid) gid \(gid)" }

    /// The supplementary groups of process `pid` (the `Groups:` line of /proc/PID/status), read
    /// right after it connected; empty when it is gone or /proc cannot be read.
    static func supplementaryGroups(of pid: Int32) -> Set<UInt32> {
        guard pid > 0, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Groups:") }) else { return [] }
        return Set(line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0) })
    }
}

