import FolioModel
import FolioServer
import FolioWire
import Foundation
import Testing
import FolioTestSupport

/// Limits, access control and broken peers: each gets a status, the daemon keeps serving.
@Suite(.serialized) struct DaemonGuardTests {
    func ingestRequest(_ id: String) -> Folio_V1_IngestRequest {
        var request = Folio_V1_IngestRequest()
        request.text = samplePage
        request.pageID = id
        return request
    }

    @Test func writesNeedAPermittedPeer() async throws {
        let harness = try await DaemonHarness { $0.allowUIDs = [12345] }
        let client = try harness.client()
        let denied = try await client.call(.ingest, ingestRequest("p"), as: Folio_V1_IngestResponse.self)
        #expect(denied.statusCode == .permissionDenied)
        var delete = Folio_V1_DeletePageRequest()
        delete.pageID = "p"
        #expect(try await client.call(.deletePage, delete, as: Folio_V1_DeletePageResponse.self).statusCode == .permissionDenied)
        #expect(try await client.call(.reload, Folio_V1_ReloadRequest(), as: Folio_V1_ReloadResponse.self).statusCode == .permissionDenied)
        // Reads stay open to everyone who can connect.
        #expect(try await client.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self).statusCode == .ok)
        try await harness.stop()
        let allowedByGroup = try await DaemonHarness { $0.allowGIDs = [getgid()] }
        #expect(try await allowedByGroup.client().call(.ingest, ingestRequest("p"), as: Folio_V1_IngestResponse.self).statusCode == .ok)
        try await allowedByGroup.stop()
    }

    @Test func theBundledSampleIsServedReadOnly() async throws {
        let harness = try await DaemonHarness(sample: true)
        let client = try harness.client()
        let health = try await client.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self).get()
        #expect(health.pages == 1 && health.articles > 0)
        #expect(try await client.call(.ingest, ingestRequest("p"), as: Folio_V1_IngestResponse.self).statusCode == .failedPrecondition)
        let info = try await client.call(.serverInfo, Folio_V1_ServerInfoRequest(), as: Folio_V1_ServerInfoResponse.self).get()
        #expect(info.sample && info.dataDir.isEmpty && info.protocolVersion == 1)
        try await harness.stop()
    }

    @Test func badPageIdsAreRefused() async throws {
        let harness = try await DaemonHarness()
        let client = try harness.client()
        for id in ["../etc/passwd", ".hidden", "a/b", String(repeating: "x", count: 129)] {
            #expect(try await client.call(.ingest, ingestRequest(id), as: Folio_V1_IngestResponse.self).statusCode == .invalidArgument)
        }
        var empty = ingestRequest("ok")
        empty.text = ""
        #expect(try await client.call(.ingest, empty, as: Folio_V1_IngestResponse.self).statusCode == .invalidArgument)
        try await harness.stop()
    }

    @Test func tooManyCallsInFlightOnOneConnection() async throws {
        let harness = try await DaemonHarness { $0.maxCallsPerConnection = 2 }
        let client = try harness.client()
        var parse = Folio_V1_ParseRequest()
        parse.text = "SLEEP\n\nslow"
        for id: UInt64 in 1...3 { try client.send(id: id, .parse, parse) }
        // 1 and 2 are held in the parser: the third is refused while they run.
        let (refused, _) = try #require(try await client.receive())
        var codes: [UInt64: Folio_V1_StatusCode] = [refused.id: refused.status.code]
        harness.slowPages.open()
        for _ in 1...2 {
            let (response, _) = try #require(try await client.receive())
            codes[response.id] = response.status.code
        }
        #expect(codes == [1: .ok, 2: .ok, 3: .resourceExhausted])
        try await harness.stop()
    }

    @Test(arguments: [
        ("reserved flags", [0x02, 0, 0, 0, 1, 0x41], Folio_V1_StatusCode.invalidArgument),
        ("oversized", [0x00, 0x7F, 0xFF, 0xFF, 0xFF], .resourceExhausted),
        ("not zlib", [0x01, 0, 0, 0, 3, 1, 2, 3], .invalidArgument),
        ("not an envelope", [0x00, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF], .invalidArgument),
    ] as [(String, [UInt8], Folio_V1_StatusCode)])
    func brokenFramingGetsAConnectionStatusThenClose(name: String, bytes: [UInt8], code: Folio_V1_StatusCode) async throws {
        let harness = try await DaemonHarness()
        let bad = try harness.client()
        bad.sendRaw(bytes)
        let (response, _) = try #require(try await bad.receive(), "\(name)")
        #expect(response.id == 0)
        #expect(response.status.code == code, "\(name)")
        #expect(try await bad.receive() == nil, "\(name): closed")
        // Other connections are unaffected.
        #expect(try await harness.client().call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self).statusCode == .ok)
        try await harness.stop()
    }

    @Test func aZlibBombIsRefusedOverTheSocket() async throws {
        let harness = try await DaemonHarness { $0.limits.maxInflatedBytes = 1 << 20 }
        let client = try harness.client()
        let bomb = Zlib.compress([UInt8](repeating: 0, count: 2 << 20), level: 9)
        client.sendRaw([0x01] + withUnsafeBytes(of: UInt32(bomb.count).bigEndian, Array.init) + bomb)
        let (response, _) = try #require(try await client.receive())
        #expect(response.id == 0 && response.status.code == .resourceExhausted)
        #expect(try await client.receive() == nil)
        try await harness.stop()
    }

    @Test func connectionLimitRefusesTheExtraPeer() async throws {
        let harness = try await DaemonHarness { $0.maxConnections = 1 }
        let first = try harness.client()
        #expect(try await first.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self).statusCode == .ok)
        let second = try harness.client()
        let (response, _) = try #require(try await second.receive())
        #expect(response.id == 0 && response.status.code == .resourceExhausted)
        #expect(try await first.call(.health, Folio_V1_HealthRequest(), as: Folio_V1_HealthResponse.self, id: 2).statusCode == .ok)
        try await harness.stop()
    }

    @Test func idleConnectionsAreClosed() async throws {
        let harness = try await DaemonHarness { $0.idleTimeoutSeconds = 0.2 }
        let client = try harness.client()
        let (response, _) = try #require(try await client.receive())
        #expect(response.id == 0 && response.status.code == .unavailable)
        #expect(try await client.receive() == nil)
        try await harness.stop()
    }
}
