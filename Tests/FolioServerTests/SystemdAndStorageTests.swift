import FolioModel
import FolioWire
@testable import FolioServer
@testable import FolioStore
import Foundation
import Testing
import FolioTestSupport

@Suite struct SystemdTests {
    @Test func notifySendsTheStateAsOneDatagram() throws {
        let directory = try DaemonHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/notify"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        #expect(Systemd.notify("READY=1", environment: ["NOTIFY_SOCKET": path]))
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        #expect(count > 0 && String(decoding: buffer[0..<count], as: UTF8.self) == "READY=1")
        #expect(!Systemd.notify("READY=1", environment: [:]))
    }

    @Test func activationNeedsOurPidAndAtLeastOneFd() {
        let pid = String(getpid())
        #expect(Systemd.activationSocket(environment: ["LISTEN_FDS": "1", "LISTEN_PID": pid], consume: false) == 3)
        #expect(Systemd.activationSocket(environment: ["LISTEN_FDS": "1", "LISTEN_PID": "1"], consume: false) == nil)
        #expect(Systemd.activationSocket(environment: ["LISTEN_FDS": "0", "LISTEN_PID": pid], consume: false) == nil)
        #expect(Systemd.activationSocket(environment: [:], consume: false) == nil)
    }

    /// A TCP socket passed by a unit (`ListenStream=8080`) served the archive to the network.
    @Test func activationTakesOnlyAListeningUnixStreamSocket() throws {
        func code(_ fd: Int32) -> SocketSetupError.Code? {
            defer { close(fd) }
            do { try Systemd.checkActivationSocket(fd, environment: [:]); return nil } catch let error as SocketSetupError { return error.code } catch { return nil }
        }
        let unixListening = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let dir = try TemporaryDirectory.make()
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array((dir + "/s").utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(unixListening, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0 && listen(unixListening, 4) == 0)
        let listening = ["LISTEN_FDS": "1"]
        #expect((try? Systemd.checkActivationSocket(unixListening, environment: listening)) != nil)
        #expect(throws: SocketSetupError.self) { try Systemd.checkActivationSocket(unixListening, environment: ["LISTEN_FDS": "2"]) }
        #expect(code(unixListening) == nil)
        let tcpListening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listen(tcpListening, 4) == 0)   // bound to an ephemeral port on every address
        #expect(code(tcpListening) == .activation)
        #expect(code(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)) == .activation)   // not listening
        #expect(code(socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)) == .activation)
        #expect(code(open("/dev/null", O_RDONLY)) == .activation)
    }
}

@Suite struct PageRepositoryTests {
    @Test func pageIdsAreSafeFileNames() {
        for good in ["seed-page", "renmin_19980104.04", "A3"] { #expect(PageRepository.isValidPageID(good)) }
        for bad in ["", ".x", "a/b", "..", "a b", "錦州", String(repeating: "a", count: 129)] {
            #expect(!PageRepository.isValidPageID(bad))
        }
    }

    @Test func savedPagesLoadBackWithTheirMetadata() throws {
        let repository = PageRepository(root: try DaemonHarness.makeDirectory())
        defer { try? FileManager.default.removeItem(atPath: repository.root) }
        try repository.prepare()
        var info = Folio_V1_PageInfo()
        info.publication = "錦州日報"
        info.date = "2022-10-14"
        info.pageLabel = "03"
        let file = StoredPageFile(pageID: "p1", text: "錦州港\n", source: "in/p1.txt", info: info)
        #expect(try repository.save(file) == false)
        #expect(try repository.save(file) == true)  // replaced
        let (pages, problems) = try repository.loadAll()
        #expect(problems.isEmpty)
        #expect(pages == [file])
        #expect(try repository.delete("p1"))
        #expect(try !repository.delete("p1"))
        #expect(try repository.loadAll().pages.isEmpty)
    }

    /// Text and metadata live in one file, so one rename replaces both; a legacy .txt/.json pair
    /// is read and then superseded by the next write.
    @Test func aPageIsOneFileAndLegacyPairsStillLoad() throws {
        let repository = PageRepository(root: try DaemonHarness.makeDirectory())
        defer { try? FileManager.default.removeItem(atPath: repository.root) }
        try repository.prepare()
        var mode = stat()
        #expect(stat(repository.pagesDirectory, &mode) == 0 && mode.st_mode & 0o777 == 0o750)
        let pages = repository.pagesDirectory
        try "舊版正文\n".write(toFile: pages + "/old.txt", atomically: false, encoding: .utf8)
        try #"{"source":"in/old.txt","date":"1998-01-02"}"#.write(toFile: pages + "/old.json", atomically: false, encoding: .utf8)
        let legacy = try repository.load("old")
        #expect(legacy.text == "舊版正文\n" && legacy.source == "in/old.txt" && legacy.info?.date == "1998-01-02")
        var updated = legacy
        updated.text = "新版正文\n第二行 with \"quotes\" and a\nnewline"
        updated.source = "line\nbreak.txt"
        #expect(try repository.save(updated))
        let names = try FileManager.default.contentsOfDirectory(atPath: pages).sorted()
        #expect(names == ["old.page"])
        #expect(stat(pages + "/old.page", &mode) == 0 && mode.st_mode & 0o777 == 0o640)
        #expect(try repository.load("old") == updated)
        #expect(try repository.pageIDs().ids == ["old"])
    }

    @Test func damagedPageFilesAreDataLossNotTraps() throws {
        for bytes in [[], Array("folio-page/1 ".utf8), Array("folio-page/1 {\n".utf8), Array("folio-page/1 {}\n".utf8) + [0xFF],
                      Array("txt".utf8), Array("folio-page/1 {\"source\":1}\nx".utf8)] as [[UInt8]] {
            #expect(throws: StatusError.self) { try PageRepository.decodeRecord(bytes, id: "x") }
        }
        #expect(try PageRepository.decodeRecord(Array("folio-page/1 {\"source\":\"s\"}\n".utf8), id: "x").text == "")
        // A newer format is named as such; a cut first line of this one is not.
        func message(_ text: String) -> String {
            do { _ = try PageRepository.decodeRecord(Array(text.utf8), id: "x") } catch { return "\(error)" }
            return ""
        }
        #expect(message("folio-page/2 {}\ntext").contains("folio-page/2, a format this foliod does not read"))
        #expect(message("folio-page/1 {").contains("no folio-page header"))
        #expect(message("folio-page/").contains("no folio-page header"))
    }

    @Test func unreadablePagesAreReportedNotFatal() throws {
        let repository = PageRepository(root: try DaemonHarness.makeDirectory())
        defer { try? FileManager.default.removeItem(atPath: repository.root) }
        try repository.prepare()
        try Data([0xC3, 0x28]).write(to: URL(fileURLWithPath: repository.pagesDirectory + "/bad.txt"))
        try "ok".write(toFile: repository.pagesDirectory + "/good.txt", atomically: false, encoding: .utf8)
        try "{not json".write(toFile: repository.pagesDirectory + "/meta.json", atomically: false, encoding: .utf8)
        try "text".write(toFile: repository.pagesDirectory + "/meta.txt", atomically: false, encoding: .utf8)
        let (pages, problems) = try repository.loadAll()
        #expect(pages.map(\.pageID) == ["good"])
        #expect(problems.count == 2)
    }
}
