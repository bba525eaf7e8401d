import FolioWire
import FuzzDriver
import NIOCore

// The frame decoder and the inflater on arbitrary bytes: the first byte picks how the stream
// is cut into reads (as a socket delivers it), the rest is the stream. Every refusal must be a
// WireError, and a refused frame must leave the parser in sync or throwing again (never trapping).

private let limits = WireLimits(maxFrameBytes: 1 << 16, maxInflatedBytes: 1 << 18)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrame(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let chunk = Int(bytes[0] % 16) + 1
    let stream = bytes.dropFirst()

    var parser = FrameParser(limits: limits)
    var buffer = ByteBuffer()
    var offset = stream.startIndex
    var frames = 0, errors = 0
    while offset < stream.endIndex {
        let end = min(offset + chunk, stream.endIndex)
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
        offset = end
        drain(&parser, &buffer, &frames, &errors)
    }
    // At the end of the stream the parser is either between frames or mid-frame; both are answers.
    _ = parser.isMidFrame

    // The whole stream as one zlib payload, through the one-shot inflater too.
    if let inflated = try? Zlib.decompress(UnsafeRawBufferPointer(rebasing: stream), limit: limits.maxInflatedBytes) {
        precondition(inflated.count <= limits.maxInflatedBytes, "inflated past the limit")
    }
    return 0
}

private func drain(_ parser: inout FrameParser, _ buffer: inout ByteBuffer, _ frames: inout Int, _ errors: inout Int) {
    while true {
        let before = buffer.readerIndex
        do {
            guard let frame = try parser.next(from: &buffer) else { return }
            frames += 1
            precondition(frame.payload.readableBytes <= limits.maxInflatedBytes, "frame payload past the limit")
            // What the daemon and the clients do next with a frame's payload.
            _ = try? Envelopes.request(from: frame)
            _ = try? Envelopes.response(from: frame)
            _ = EnvelopeFastPath.getArticleCall(frame.payload)
        } catch is WireError {
            errors += 1
            // A decoder that throws without consuming anything would spin the daemon's read loop.
            precondition(buffer.readerIndex > before, "parser threw without consuming a byte")
        } catch {
            preconditionFailure("untyped error from FrameParser: \(error)")
        }
    }
}

@_cdecl("FuzzFrame_main")
public func fuzzFrameMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    folio_fuzz_run(argc, argv) { data, size in data.map { fuzzFrame($0, size) } ?? 0 }
}
