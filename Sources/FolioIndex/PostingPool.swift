import FolioMemory
import CFolioPrefetch

/// Where one term's posting bytes are in a `PostingPool`. Kept by the caller beside the term's
/// other building state, so that writing a posting touches one record per term.
struct PostingChain {
    /// First and last slice, in the pool's 8-byte units; -1 while the chain is empty.
    var first: Int32 = -1
    var last: Int32 = -1
    var length: UInt32 = 0
}

/// The posting bytes of every term while a segment is built. Each term's bytes live in a chain of
/// slices cut from large blocks (Lucene's byte-block pool), instead of one growable array per term:
/// no per-term allocation or header, and a block is never copied to grow. Slices grow with the
/// chain (16, 32, … 256 bytes) as in Lucene: most terms are rare and their postings a few bytes, so
/// a first slice of fixed larger size would be mostly empty. A slice's last four bytes link to the
/// next slice; which slice a byte falls in follows from the chain's length alone.
final class PostingPool {
    /// Slices are 16 << level bytes (16 … 256); chains stay at the last level once they reach it.
    /// Computed, not tables: a static array costs a lazy-initialization check and a retain per use.
    private static let lastLevel = 4
    private static let linkBytes = 4
    private static let unitBytes = 8
    private static let blockUnits = 1 << 18   // 2 MiB blocks: one huge page each (see HugePages)

    @inline(__always)
    private static func sliceSize(_ level: Int) -> Int { 16 << level }

    /// Payload bytes before the first slice of `level`.
    @inline(__always)
    private static func payloadBefore(_ level: Int) -> Int { 16 * ((1 << level) - 1) - linkBytes * level }

    private static var lastLevelStart: Int { payloadBefore(lastLevel) }
    private static var lastLevelPayload: Int { sliceSize(lastLevel) - linkBytes }

    private var blocks: [UnsafeMutablePointer<UInt8>] = []
    /// The next free unit (8 bytes) of the last block (a slice never crosses a block's end).
    private var nextUnit = 0
    private(set) var totalBytes = 0

    deinit {
        for block in blocks { HugePages.unmap(block, Self.blockBytes) }
    }

    @inline(__always)
    private func address(ofUnit unit: Int) -> UnsafeMutablePointer<UInt8> {
        blocks[unit / Self.blockUnits] + (unit % Self.blockUnits) * Self.unitBytes
    }

    /// The level of the slice holding byte `offset` of a chain, and where it sits in that slice.
    @inline(__always)
    private static func position(of offset: Int) -> (level: Int, offset: Int) {
        if offset >= lastLevelStart { return (lastLevel, (offset - lastLevelStart) % lastLevelPayload) }
        var level = 0
        while offset >= payloadBefore(level + 1) { level += 1 }
        return (level, offset - payloadBefore(level))
    }

    private func newSlice(level: Int) throws(IndexMemoryError) -> Int {
        let units = Self.sliceSize(level) / Self.unitBytes
        if nextUnit + units > blocks.count * Self.blockUnits {
            blocks.append(try HugePages.mapOrThrow(Self.blockBytes).bindMemory(to: UInt8.self, capacity: Self.blockBytes))
            nextUnit = (blocks.count - 1) * Self.blockUnits
        }
        defer { nextUnit += units }
        return nextUnit
    }

    private static let blockBytes = blockUnits * unitBytes

    private func link(of slice: Int, level: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(address(ofUnit: slice) + Self.sliceSize(level) - Self.linkBytes)
    }

    func append(_ data: UnsafeBufferPointer<UInt8>, to chain: inout PostingChain) throws(IndexMemoryError) {
        // A term's postings in one segment stay far below 4 GiB; the check keeps a wrap impossible.
        precondition(Int(chain.length) + data.count < Int(UInt32.max), "posting list too long")
        var length = Int(chain.length)
        var slice = Int(chain.last)
        var written = 0
        while written < data.count {
            let (level, used) = Self.position(of: length)
            let payload = Self.sliceSize(level) - Self.linkBytes
            if slice < 0 {
                slice = try newSlice(level: 0)
                chain.first = Int32(slice)
                chain.last = Int32(slice)
            } else if used == 0 && length > 0 {
                let fresh = try newSlice(level: level)
                let previousLevel = Self.position(of: length - 1).level
                link(of: slice, level: previousLevel).storeBytes(of: UInt32(fresh), as: UInt32.self)
                slice = fresh
                chain.last = Int32(fresh)
            }
            let count = min(data.count - written, payload - used)
            // A posting is a few bytes: a plain loop beats a call to memmove.
            let target = address(ofUnit: slice) + used
            for offset in 0..<count { target[offset] = data[written + offset] }
            written += count
            length += count
        }
        chain.length = UInt32(length)
        totalBytes += data.count
    }

    /// Starts loading the place where the chain's next byte goes (see folio_prefetch).
    @inline(__always)
    func prefetchEnd(of chain: PostingChain) {
        guard chain.last >= 0 else { return }
        folio_prefetch(address(ofUnit: Int(chain.last)) + Self.position(of: Int(chain.length)).offset)
    }

    /// Appends a chain's bytes, in the order they were written, to `out`.
    func copy(_ chain: PostingChain, into out: inout [UInt8]) {
        var remaining = Int(chain.length)
        var slice = Int(chain.first)
        var level = 0
        while remaining > 0 {
            let payload = Self.sliceSize(level) - Self.linkBytes
            let count = min(remaining, payload)
            out.append(contentsOf: UnsafeBufferPointer(start: address(ofUnit: slice), count: count))
            remaining -= count
            if remaining > 0 {
                slice = Int(link(of: slice, level: level).load(as: UInt32.self))
                level = min(level + 1, Self.lastLevel)
            }
        }
    }
}
