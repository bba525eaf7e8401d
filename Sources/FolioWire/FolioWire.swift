/// Frames, zlib, envelopes, status codes, limits. Knows bytes, never sockets.
///
/// Using it from a NIO pipeline (client or server):
///
///     channel.pipeline.addHandlers([
///         ByteToMessageHandler(FrameDecoder(limits: limits)),   // bytes → Frame (payload inflated)
///         MessageToByteHandler(FrameEncoder(limits: limits)),   // OutgoingFrame → bytes
///         yourHandler,                                          // reads Frame, writes OutgoingFrame
///     ])
///
/// - Reading: `Envelopes.request(from:)` / `Envelopes.response(from:)` turn a `Frame` into
///   `Folio_V1_Request` / `Folio_V1_Response` (`WireError(.malformedEnvelope)` otherwise), through
///   a hand-written fast path for ordinary envelopes and swift-protobuf for anything else.
/// - Client requests: `Envelopes.requestFrame(id:method:body:…)` builds the whole frame directly.
/// - Compressed frames are inflated by one `Zlib.Inflater` per `FrameParser` (per connection).
/// - Writing: `Envelopes.outgoing(message, compressible:)` → `OutgoingFrame`; set `compressible`
///   on a server only when the request listed `.zlib` (`Envelopes.acceptsZlib`). Payloads under
///   `WireLimits.compressionThreshold` (1024 B) always go plain.
/// - Errors: `WireError` (kind, gRPC `code`, message) for protocol violations; `StatusError`
///   for a call that ended with a non-OK status. A connection-level error is a Response with
///   id 0 (`Envelopes.connectionError`), after which the sender closes.
/// - Method names: `FolioMethod` (`.search.rawValue == "/folio.v1.Folio/Search"`).
/// - Without NIO channels: `FrameParser` (feed a ByteBuffer, take frames) and `FrameWriter` (the one
///   frame header writer; `okResponseFrame` splices bodies encoded ahead of time).
/// - Primitives, each written once: `ProtoWire` (varints, keys, lengths), `Zlib` (`Deflater`,
///   `Inflater`, raw and dictionary modes), `FolioSocketPath` (where foliod listens).
public enum FolioWire {
    public static let protocolVersion = FrameLayout.protocolVersion
}
