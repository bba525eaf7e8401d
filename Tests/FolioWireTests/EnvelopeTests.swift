import FolioWire
import NIOCore
import Testing

@Suite struct EnvelopeTests {
    func decodeFrame(_ buffer: ByteBuffer) throws -> (Folio_V1_Response, Bool) {
        var parser = FrameParser()
        var buffer = buffer
        let frame = try #require(try parser.next(from: &buffer))
        #expect(buffer.readableBytes == 0)
        return (try Envelopes.response(from: frame), frame.wasCompressed)
    }

    @Test(arguments: [0, 5, 1023, 1024, 1500, 70_000, 200_000])
    func okResponseFramesMatchTheEnvelope(size: Int) throws {
        let body = samplePayload(size, seed: UInt64(size) + 11)
        for id: UInt64 in [1, 300, .max] {
            let expected = Envelopes.finalResponse(id: id, body: body)
            let plain = try FrameWriter.okResponseFrame(id: id, body: body, compress: false)
            let serialized: [UInt8] = try expected.serializedBytes()
            #expect(plain.bytes == header(flags: 0, length: UInt32(serialized.count)) + serialized)
            let (spliced, compressed) = try decodeFrame(try FrameWriter.okResponseFrame(id: id, body: body, compress: true))
            #expect(spliced == expected)
            #expect(compressed == (serialized.count >= 1024))  // the payload's size, not the body's
            #expect(spliced.hasStatus && spliced.status.code == .ok)
        }
    }

    @Test func malformedPayloadIsInvalidArgument() {
        let frame = Frame(payload: ByteBuffer(bytes: [0xFF, 0xFF, 0xFF]))
        let error = #expect(throws: WireError.self) { try Envelopes.request(from: frame) }
        #expect(error?.kind == .malformedEnvelope)
        #expect(error?.code == .invalidArgument)
    }

    @Test func connectionErrorUsesIdZero() throws {
        let response = Envelopes.connectionError(.resourceExhausted, "too big")
        #expect(response.id == 0)
        #expect(response.status.code == .resourceExhausted)
        #expect(StatusError(response.status).description == "RESOURCE_EXHAUSTED: too big")
    }

    @Test func methodCatalogNamesMatchTheService() {
        #expect(FolioMethod(rawValue: "/folio.v1.Folio/Search") == .search)
        #expect(FolioMethod.getArticle.responseType == "folio.v1.Article")
        #expect(FolioMethod.searchStream.requestType == "folio.v1.SearchRequest")
        #expect(FolioMethod.allCases.filter(\.isWrite) == [.ingest, .deletePage, .reload])
        #expect(FolioMethod.allCases.map(\.ordinal) == Array(FolioMethod.allCases.indices))
    }
}
