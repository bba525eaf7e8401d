@testable import FolioServer
import FolioModel
import FolioTestSupport
import FolioWire
import Foundation
import Testing

/// What foliod says and does at start-up: the open-file limit's advice, the data directory's lock,
/// and the answers while a socket systemd passed waits for the load.
@Suite struct StartupGuardTests {
    /// The advice under a low hard limit names a value foliod accepts (it advised 0, which it refuses).
    @Test func theOpenFileLimitAdviceIsAUsableFigure() {
        let tooLow = FileDescriptorLimit.refusal(connections: 256, needed: 320, hardLimit: 50)
        #expect(tooLow.contains("raise the limit to at least 65"))
        #expect(!tooLow.contains("--max-connections to 0"))
        let fits = FileDescriptorLimit.refusal(connections: 256, needed: 320, hardLimit: 100)
        #expect(fits.contains("lower --max-connections to 36"))
    }

    /// A hard-linked copy of a served data directory (cp -al) shared its foliod.lock: a foliod on the
    /// copy was refused as "another foliod already serves" the copy. Two directories, two locks.
    @Test func aHardLinkedCopyOfTheDataDirectoryHasALockOfItsOwn() throws {
        let root = try TemporaryDirectory.make()
        let live = root + "/live", copy = root + "/copy"
        let served = try DataDirectoryLock.acquire(live)
        defer { served.release() }
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: false)
        #expect(link(live + "/" + DataDirectoryLock.fileName, copy + "/" + DataDirectoryLock.fileName) == 0)
        let second = try DataDirectoryLock.acquire(copy)
        second.release()
        // The same directory is still refused.
        #expect(throws: StatusError.self) { try DataDirectoryLock.acquire(live) }
    }

    /// A read-only directory without foliod.lock has nothing but itself to lock: the directory is
    /// locked too, so a second foliod is refused whether or not the file is there.
    @Test func theDataDirectoryItselfIsLocked() throws {
        let directory = try TemporaryDirectory.make() + "/data"
        let first = try DataDirectoryLock.acquire(directory)
        defer { first.release() }
        #expect(first.file != nil)
        // Another process' view of the directory alone (as a read-only directory without the file gives it).
        let fd = open(directory, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) != 0)
        unlink(directory + "/" + DataDirectoryLock.fileName)
        let second = #expect(throws: StatusError.self) { try DataDirectoryLock.acquire(directory) }
        #expect(second?.message.contains("already serves \(directory)") == true || second?.message.contains("is locked by") == true)
        // The refused one leaves no lock file naming itself, a dead pid (`kill -HUP $(cat foliod.lock)`).
        #expect(!FileManager.default.fileExists(atPath: directory + "/" + DataDirectoryLock.fileName))
    }

    @Test func theLockFileNamesTheFoliodThatServes() throws {
        let directory = try TemporaryDirectory.make() + "/data"
        let lock = try DataDirectoryLock.acquire(directory)
        defer { lock.release() }
        let text = try String(contentsOfFile: directory + "/" + DataDirectoryLock.fileName, encoding: .utf8)
        #expect(text == "\(getpid())\n")
        #expect(throws: StatusError.self) { try DataDirectoryLock.acquire(directory) }
        #expect(try String(contentsOfFile: directory + "/" + DataDirectoryLock.fileName, encoding: .utf8) == "\(getpid())\n")
    }

    /// While loading (a socket systemd passed listens before the corpus is in), Health answers
    /// NOT_SERVING, the opening ServerInfo answers, and every other call gets UNAVAILABLE.
    @Test func callsWhileLoadingAreAnsweredAtOnce() async throws {
        try await DaemonHarness.with { harness in
            harness.daemon.registry.startLoading()
            let client = try harness.client()
            let health = try await client.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self, id: 1)
            #expect(try health.get().status == .notServing)
            let info = try await client.call(.serverInfo, Folio_V1_ServerInfoRequest(), as: Folio_V1_ServerInfoResponse.self, id: 2)
            #expect(info.statusCode == .ok)
            var query = Folio_V1_SearchRequest()
            query.query = "标题"
            let search = try await client.call(.search, query, as: Folio_V1_SearchResponse.self, id: 3)
            #expect(search.statusCode == .unavailable)
            if case .failure(let error) = search { #expect(error.message.contains("foliod is loading")) }
            harness.daemon.registry.loadingEnded()
            let served = try await client.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self, id: 4)
            #expect(try served.get().status == .serving)
        }
    }
}
