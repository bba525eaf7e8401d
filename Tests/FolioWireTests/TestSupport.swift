import FolioWire
import NIOCore

/// Deterministic generator so random splits are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Text-like bytes that compress well but are not trivial.
func samplePayload(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    let words: [[UInt8]] = ["錦州", "港口", "新通道", "建設", " ", "，", "。"].map { Array($0.utf8) }
    var out: [UInt8] = []
    while out.count < count { out += words[Int(rng.next() % UInt64(words.count))] }
    return Array(out.prefix(count))
}

func header(flags: UInt8, length: UInt32) -> [UInt8] {
    [flags, UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}
