/// Size limits of the protocol, shared by both ends. All configurable; defaults per the spec.
public struct WireLimits: Equatable, Sendable {
    /// Largest payload accepted on the wire (compressed or not), in bytes. Default 4 MiB.
    public var maxFrameBytes: Int
    /// Largest payload after inflation, in bytes. Default 16 MiB. A zlib stream that would
    /// inflate past this is refused while inflating (never fully inflated).
    public var maxInflatedBytes: Int
    /// Payloads shorter than this are always sent plain. Default 1024.
    public var compressionThreshold: Int
    /// zlib level used when compressing. Default 1 (fast; the spec's choice).
    public var compressionLevel: Int32

    public init(maxFrameBytes: Int = 4 << 20, maxInflatedBytes: Int = 16 << 20,
                compressionThreshold: Int = 1024, compressionLevel: Int32 = 1) {
        self.maxFrameBytes = maxFrameBytes
        self.maxInflatedBytes = maxInflatedBytes
        self.compressionThreshold = compressionThreshold
        self.compressionLevel = compressionLevel
    }

    public static let `default` = WireLimits()
}

/// Constants of the frame layout: `flags: u8 | length: u32 BE | payload`.
public enum FrameLayout {
    public static let headerBytes = 5
    /// Flag bit 0: the payload is a zlib (RFC 1950) stream.
    public static let compressedFlag: UInt8 = 0x01
    /// Bits 1–7 are reserved and must be zero.
    public static let reservedMask: UInt8 = 0xFE
    /// Version of the envelope protocol (ServerInfoResponse.protocol_version).
    public static let protocolVersion: UInt32 = 1
}
