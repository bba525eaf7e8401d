/// FNV-1a over bytes, eight at a time: for text no adversary picks to collide (the string table in
/// memory, a page file's checksum), where SipHash would cost more than it guards.
package enum WordHash {
    package static func fnv1a(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        var index = 0
        while index + 8 <= raw.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x100_0000_01B3
            index += 8
        }
        while index < raw.count {
            h = (h ^ UInt64(raw[index])) &* 0x100_0000_01B3
            index += 1
        }
        return h
    }
}
