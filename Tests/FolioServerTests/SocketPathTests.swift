import FolioServer
import FolioWire
import Testing

@Suite struct SocketPathTests {
    @Test func followsTheSharedRule() {
        #expect(FolioSocketPath.resolve(explicit: "/x.sock", environment: ["FOLIO_SOCKET": "/y.sock"]) == "/x.sock")
        #expect(FolioSocketPath.resolve(explicit: nil, environment: ["FOLIO_SOCKET": "/y.sock", "XDG_RUNTIME_DIR": "/run/user/5"]) == "/y.sock")
        #expect(FolioSocketPath.resolve(explicit: nil, environment: ["XDG_RUNTIME_DIR": "/run/user/5"]) == "/run/user/5/folio/foliod.sock")
        #expect(FolioSocketPath.resolve(explicit: nil, environment: ["XDG_RUNTIME_DIR": "/run/user/5/"]) == "/run/user/5/folio/foliod.sock")
        #expect(FolioSocketPath.resolve(explicit: nil, environment: [:], uid: 0) == "/run/folio/foliod.sock")
        #expect(FolioSocketPath.resolve(explicit: nil, environment: [:], uid: 1234) == "/tmp/folio-1234/foliod.sock")
    }

    @Test func refusesPathsLongerThanAUnixSocketAllows() {
        let path = "/tmp/" + String(repeating: "d", count: 110) + ".sock"
        let error = #expect(throws: SocketSetupError.self) { try SocketPath.prepareForBind(path) }
        #expect(error?.code == .pathTooLong)
        // 104 bytes fit sun_path, not SwiftNIO's bind: refused here, before the corpus is loaded.
        let nio = "/tmp/" + String(repeating: "d", count: 99)
        #expect(nio.utf8.count == 104)
        let refused = #expect(throws: SocketSetupError.self) { try SocketPath.prepareForBind(nio) }
        #expect(refused?.message.contains("at most 103 bytes") == true)
    }
}
