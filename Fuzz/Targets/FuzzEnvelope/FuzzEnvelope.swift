@testable import FolioClient
import FolioModel
@testable import FolioWire
import Foundation
import FuzzDriver
import NIOCore
import SwiftProtobuf

// The hand-written decoders against swift-protobuf on arbitrary bytes: the request and response
// envelope fast paths, the GetArticle fast path the daemon answers from, and the client's
// ArticleDecoder. Each may give up (nil) on anything; when it answers, swift-protobuf must accept
// the same bytes and yield the same message, or the fast path serves something the protocol refuses.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var payload = ByteBuffer()
    payload.writeBytes(bytes)

    if let fast = EnvelopeFastPath.request(payload) {
        agree(fast, (try? Folio_V1_Request(serializedBytes: bytes)), "request envelope")
    }
    if let fast = EnvelopeFastPath.response(payload) {
        agree(fast, (try? Folio_V1_Response(serializedBytes: bytes)), "response envelope")
    }
    if let call = EnvelopeFastPath.getArticleCall(payload) {
        guard let request = try? Folio_V1_Request(serializedBytes: bytes),
              let body = try? Folio_V1_GetArticleRequest(serializedBytes: request.body)
        else { preconditionFailure("GetArticle fast path accepted what swift-protobuf refuses") }
        precondition(request.method == FolioMethod.getArticle.rawValue && request.id == call.id && !request.cancel
                     && body.articleID == call.articleID && body.script == .original
                     && request.acceptEncodings.contains(.zlib) == call.acceptsZlib,
                     "GetArticle fast path disagrees with swift-protobuf")
    }
    // What both ends do with a payload: the general path must answer or throw a WireError.
    let frame = Frame(payload: payload)
    do { _ = try Envelopes.request(from: frame) } catch { precondition(error is WireError, "untyped error") }
    do { _ = try Envelopes.response(from: frame) } catch { precondition(error is WireError, "untyped error") }

    if let fast = ArticleDecoder.decode(Data(bytes)) {
        agree(fast, (try? Folio_V1_Article(serializedBytes: bytes)), "article")
    }
    return 0
}

/// Compared as serialized bytes: a NaN quantity is never equal to itself as a message.
private func agree<M: SwiftProtobuf.Message>(_ fast: M, _ slow: M?, _ what: String) {
    guard let slow else { preconditionFailure("\(what): fast path accepted what swift-protobuf refuses") }
    let fastBytes: [UInt8]? = try? fast.serializedBytes()
    let slowBytes: [UInt8]? = try? slow.serializedBytes()
    precondition(fastBytes != nil && fastBytes == slowBytes, "\(what): fast path and swift-protobuf disagree")
}

@_cdecl("FuzzEnvelope_main")
public func fuzzEnvelopeMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    folio_fuzz_run(argc, argv) { data, size in data.map { fuzzEnvelope($0, size) } ?? 0 }
}
