import FolioTestSupport
import FolioWire
import NIOCore

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
