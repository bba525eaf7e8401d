@testable import FolioServer
import FolioMemory
import FolioModel
import FolioWire
import Foundation
import NIOCore
import NIOEmbedded
import Testing
import FolioTestSupport

/// What one client may hold of the daemon: connections, queued work, unread replies, folders.
@Suite(.serialized) struct ResourceBoundTests {
    @Test func queuedWorkIsBoundedAndFreedByWhoeverComesFirst() throws {
        let queue = WorkQueue(maxJobs: 2, maxBytes: 100)
        // A lone call bigger than the byte budget still runs (the frame limit bounds it).
        try WorkQueue(maxJobs: 1, maxBytes: 10).admit(bytes: 50) { .endOfStream }.get().drop()
        let first = try queue.admit(bytes: 60, uid: 1) { .endOfStream }.get()
        #expect(throws: StatusError.self) { try queue.admit(bytes: 50, uid: 2) { .endOfStream }.get() }
        // One uid holds at most half of the queue: uid 1 is refused where uid 2 still gets in.
        #expect(throws: StatusError.self) { try queue.admit(bytes: 0, uid: 1) { .endOfStream }.get() }
        let second = try queue.admit(bytes: 40, uid: 2) { .endOfStream }.get()
        let refused = queue.admit(bytes: 0, uid: 3) { .endOfStream }
        guard case .failure(let error) = refused else { Issue.record("a third job was admitted"); return }
        #expect(error.code == .resourceExhausted)
        #expect(queue.waiting == (2, 100))
        // The call ended before a worker got to it: the budget is back, the worker finds nothing.
        second.drop()
        #expect(second.take() == nil)
        #expect(queue.waiting == (1, 60))
        #expect(first.take() != nil)
        first.drop()
        #expect(queue.waiting == (0, 0))
    }

    /// Why a connection was refused (nil: admitted), and whose slot it took.
    private func refusal(_ admission: ConnectionRegistry.Admission) -> String? {
        if case let .refused(why) = admission { return why }
        return nil
    }
    private func evicted(_ admission: ConnectionRegistry.Admission) -> Channel? {
        if case let .admitted(evicted) = admission { return evicted }
        return nil
    }

    @Test func connectionsAreCappedPerUIDWithSlotsKeptForWriters() throws {
        let registry = ConnectionRegistry(maxConnections: 6, maxPerUID: 3, reservedForWriters: 2)
        let channels = (0..<10).map { _ in EmbeddedChannel() }
        #expect(refusal(registry.register(channels[0], uid: 1000, writer: false)) == nil)
        #expect(refusal(registry.register(channels[1], uid: 1000, writer: false)) == nil)
        #expect(refusal(registry.register(channels[2], uid: 1000, writer: false)) == nil)
        #expect(refusal(registry.register(channels[3], uid: 1000, writer: false))?.contains("uid 1000") == true)
        #expect(refusal(registry.register(channels[3], uid: 1001, writer: false)) == nil)
        // Four of six taken: the last two are for writers only. A third uid with nothing takes the
        // place of the longest-idle connection of the uid holding more than its share (4 / 3 uids).
        let third = registry.register(channels[4], uid: 1002, writer: false)
        #expect(refusal(third) == nil)
        #expect(evicted(third) === channels[0])
        #expect(refusal(registry.register(channels[5], uid: 1002, writer: false))?.contains("writers") == true)
        #expect(refusal(registry.register(channels[5], uid: 0, writer: true)) == nil)
        #expect(refusal(registry.register(channels[6], uid: 0, writer: true)) == nil)
        #expect(refusal(registry.register(channels[7], uid: 0, writer: true))?.contains("limit 6") == true)
        registry.unregister(channels[0])  // already gone: no count changes
        #expect(registry.connectionCount == 6)
        // A connection with a call in flight is never the one to yield.
        registry.unregister(channels[5])
        registry.unregister(channels[6])
        registry.callStarted(on: channels[1])
        registry.callStarted(on: channels[2])
        #expect(refusal(registry.register(channels[8], uid: 1003, writer: false))?.contains("writers") == true)
        registry.callEnded(on: channels[2])
        let fourth = registry.register(channels[8], uid: 1003, writer: false)
        #expect(evicted(fourth) === channels[2])
        registry.callEnded(on: channels[1])
    }

    @Test func aPeerThatReadsNothingIsDisconnectedAndOthersAreServed() async throws {
        let harness = try await DaemonHarness(sample: true) { $0.writeTimeoutSeconds = 0.5 }
        let greedy = try harness.client()
        var request = Folio_V1_GetPageRequest()
        request.pageID = "seed-page"
        // Far more reply bytes than the socket buffers hold; none of them is read for now.
        for id in 1...2_000 { try greedy.send(id: UInt64(id), .getPage, request) }
        // Until the daemon has cut the greedy peer off (its write timeout), with a bound for a failing daemon.
        let daemon = harness.daemon
        #expect(await waitUntil { daemon.connectionCount == 0 }, "the stalled peer is still connected")
        let other = try harness.client()
        #expect(try await other.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self).statusCode == .ok)
        var answered = 0
        while try await greedy.receive() != nil { answered += 1 }
        #expect(answered < 2_000, "the stalled peer was served to the end instead of being cut off")
        try await harness.stop()
    }

    @Test func runtimeFoldersAnyoneElseControlsAreRefused() throws {
        let base = try DaemonHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        #expect(FolioSocketPath.untrustedReason(directory: base + "/absent") == nil)
        let real = base + "/real"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        #expect(FolioSocketPath.untrustedReason(directory: real) == nil)
        try FileManager.default.createSymbolicLink(atPath: base + "/link", withDestinationPath: real)
        #expect(FolioSocketPath.untrustedReason(directory: base + "/link")?.contains("symbolic link") == true)
        chmod(real, 0o777)
        #expect(FolioSocketPath.untrustedReason(directory: real)?.contains("writable") == true)
        chmod(real, 0o700)
        // Owned by someone else (only root can arrange that here).
        if getuid() == 0 {
            chown(real, 65534, 65534)
            #expect(FolioSocketPath.untrustedReason(directory: real)?.contains("uid 65534") == true)
            #expect(FolioSocketPath.untrustedReason(directory: real, isDaemon: true)?.contains("uid 65534") == true)
        }
        // The daemon refuses to bind under a symlinked default runtime folder.
        let error = #expect(throws: SocketSetupError.self) {
            try SocketPath.prepareForBind(base + "/link/foliod.sock", runtimeDirectory: base + "/link")
        }
        #expect(error?.code == .permissions)
        // ...and creates a missing one for its owner alone.
        try SocketPath.prepareForBind(base + "/fresh/foliod.sock", runtimeDirectory: base + "/fresh")
        var info = stat()
        #expect(lstat(base + "/fresh", &info) == 0 && info.st_mode & 0o777 == 0o700)
        // Folders above a socket the user named are created open to traversal: the socket's own mode
        // and --socket-group decide who connects (a 0700 folder shut the socket group out).
        try SocketPath.prepareForBind(base + "/run/folio/foliod.sock")
        for folder in ["/run", "/run/folio"] {
            #expect(lstat(base + folder, &info) == 0 && info.st_mode & 0o777 == 0o755)
        }
        // A path the user named is trusted as given; a default one has a runtime folder.
        #expect(FolioSocketPath.runtimeDirectory(of: "/x/y.sock", explicit: "/x/y.sock", environment: [:]) == nil)
        #expect(FolioSocketPath.runtimeDirectory(of: "/x/y.sock", environment: ["FOLIO_SOCKET": "/x/y.sock"]) == nil)
        #expect(FolioSocketPath.runtimeDirectory(of: "/tmp/folio-5/foliod.sock", environment: [:]) == "/tmp/folio-5")
    }
}

/// Freed heap pages go back to the system (Heap), which glibc does not do by itself for
/// memory below a live allocation.
@Suite struct HeapTrimTests {
    @Test func freedPagesBelowALiveBlockAreReturned() throws {
        try #require(Heap.canTrim, "glibc's malloc_trim was not found")
        // 16 MB of 4 KB blocks from one arena, all freed but the last: the arena's top stays in
        // use, so only a trim can hand back the pages under it.
        let blocks = (0..<4096).map { _ -> UnsafeMutableRawPointer in
            let block = malloc(4096)!
            memset(block, 1, 4096)
            return block
        }
        for block in blocks.dropLast() { free(block) }
        #expect(Heap.releaseFreePages())
        free(blocks.last!)
    }

    /// glibc takes the threshold foliod sets.
    @Test func theMappingThresholdIsAccepted() {
        #expect(Heap.mapAllocations(atLeast: 256 << 10))
    }
}
