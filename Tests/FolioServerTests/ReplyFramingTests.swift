@testable import FolioServer
import FolioModel
import FolioWire
import Foundation
import NIOCore
import SwiftProtobuf
import Testing

/// Workers frame their calls' replies; the frames must be the ones the event loop used to make.
@Suite struct ReplyFramingTests {
    static func framing(compress: Bool, limits: WireLimits = WireLimits()) -> ReplyFraming {
        ReplyFraming(id: 42, compress: compress, limits: limits, allocator: .init())
    }

    /// A final OK response with `message`, serialized and framed plain the straightforward way.
    static func reference(_ message: some SwiftProtobuf.Message) throws -> ByteBuffer {
        try FrameWriter.frame(payload: Envelopes.finalResponse(id: 42, body: message.serializedBytes()).serializedBytes(),
                              compress: false)
    }

    static func page(paragraphs: Int) -> Folio_V1_ParseResponse {
        var response = Folio_V1_ParseResponse()
        response.page.id = "p"
        var article = Folio_V1_Article()
        article.headline = "标题"
        article.body = (0..<paragraphs).map {
            var block = Folio_V1_Block()
            block.text = "第\($0)段：新华社北京一月五日电，会议在人民大会堂举行。"
            return block
        }
        response.page.articles = [article]
        return response
    }

    @Test func aSmallMessageIsTheSerializedEnvelopeFramedPlain() throws {
        let message = Self.page(paragraphs: 1)
        for compress in [false, true] {
            #expect(try Self.framing(compress: compress).frame(.message(message)) == Self.reference(message))
        }
    }

    @Test func aLargeMessageIsCompressedOnlyForAPeerThatTakesZlib() throws {
        let message = Self.page(paragraphs: 2000)
        let reference = try Self.reference(message)
        #expect(try Self.framing(compress: false).frame(.message(message)) == reference)
        let frame = try Self.framing(compress: true).frame(.message(message))
        let (payload, compressed) = try ArticleBodyTests.payload(frame)
        #expect(compressed)
        #expect(frame.readableBytes < reference.readableBytes / 4)
        #expect(try ArticleBodyTests.sameEnvelope(payload, reference))
    }

    @Test func theEndOfAStreamAndAStatusAreTheirEnvelopes() throws {
        let framing = Self.framing(compress: true)
        let end = try FrameWriter.frame(payload: Envelopes.finalResponse(id: 42).serializedBytes(), compress: false)
        #expect(try framing.frame(.endOfStream) == end)
        let status = Envelopes.finalResponse(id: 42, status: .init(code: .notFound, message: "no such page"))
        #expect(try framing.frame(status) == FrameWriter.frame(payload: status.serializedBytes(), compress: false))
    }

    @Test func aReplyOverTheFrameLimitIsAnErrorOfItsCall() throws {
        var small = WireLimits()
        small.maxFrameBytes = 1000
        let message = Self.page(paragraphs: 100)
        #expect(throws: WireError.self) { try Self.framing(compress: false, limits: small).frame(.message(message)) }
        #expect(throws: WireError.self) { try Self.framing(compress: false, limits: small).frame(Envelopes.streamResponse(id: 42, body: message.serializedBytes())) }
        #expect(throws: StatusError.self) { try Self.framing(compress: true).frame(.offload { .endOfStream }) }
    }

    @Test func aFramedReplyIsSentAsItIs() throws {
        let frame = try Self.framing(compress: true).frame(.message(Self.page(paragraphs: 3)))
        #expect(try Self.framing(compress: false).frame(.framed(frame)) == frame)
    }
}
