@testable import FolioParser
import FolioTestSupport
import Testing

/// The word-at-a-time scan finds what a byte-at-a-time scan finds, for every limit the parser uses
/// and others, at every start, in buffers whose bytes sit on both sides of the limit.
@Suite struct ByteScanTests {
    static func firstByteOneByOne(below limit: UInt8, in bytes: [UInt8], from start: Int) -> Int {
        var i = start
        while i < bytes.count && bytes[i] >= limit { i += 1 }
        return i
    }

    @Test(arguments: [UInt8(0x01), 0x0A, 0x20, 0x41, 0x7F, 0x80])
    func findsWhatAByteByByteScanFinds(limit: UInt8) {
        var random = SplitMix64(seed: UInt64(limit))
        for _ in 0..<400 {
            let count = Int(random.next() % 40)
            // Mostly bytes at or above the limit (long runs, as Chinese text is), a few below it,
            // and bytes just around it, where a borrow could mislead the word test.
            let bytes: [UInt8] = (0..<count).map { _ in
                switch random.next() % 10 {
                case 0: return UInt8(random.next() % UInt64(limit))
                case 1: return limit &- 1
                case 2: return limit
                default: return UInt8(truncatingIfNeeded: UInt64(limit) + random.next() % UInt64(256 - Int(limit)))
                }
            }
            for start in 0...count {
                let found = bytes.withUnsafeBufferPointer { ByteScan.firstByte(below: limit, in: $0, from: start) }
                #expect(found == Self.firstByteOneByOne(below: limit, in: bytes, from: start), "\(bytes) from \(start)")
            }
        }
    }
}
