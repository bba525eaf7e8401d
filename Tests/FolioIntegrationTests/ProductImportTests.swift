import FolioClient
import FolioModel
import Testing

/// An app imports the products only (FolioClient, FolioModel): every type of the client's public
/// API must be nameable from them. This file imports nothing else, so it compiles only while they are.
@Suite struct ProductImportTests {
    func retries(_ code: Folio_V1_StatusCode) -> Bool { code == .unavailable || code == .resourceExhausted }

    @Test func typesOfThePublicAPIAreNameableFromTheProducts() {
        let method: FolioMethod = .health
        let limits: WireLimits = FolioClient.Configuration().limits
        #expect(method.rawValue.isEmpty == false)
        #expect(limits.maxFrameBytes > 0)
        #expect(retries(FolioError(code: .unavailable, message: "x").code))
        #expect(!retries(.notFound))
    }
}
