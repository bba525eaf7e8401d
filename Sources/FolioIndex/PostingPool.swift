import CFolioPrefetch

/// Where one term's posting bytes are in a `PostingPool`. Kept by the caller beside the term's
/// other building state, so that writing a posting touches one record per term.
struct PostingChain {
    var first: Int32 = -1
    var last: Int32 = -1
    var length: UInt32 = 0
}

/// The posting bytes of every term while a segment is built. Each term's bytes live in a chain of
/// small fixed-size slices cut from large blocks (Lucene's byte-block pool), instead of one growable
/// array per term: no per-term allocation, header or slack, and a block is never copied to grow.
final class PostingPool {
    static let sliceSize = 32
    static let slicesPerBlock = 1 << 15   // 1 MiB blocks

    private var blocks: [UnsafeMutablePointer<UInt8>] = []
    private var sliceCount = 0
    /// Per slice: the next slice of its chain, -1 at the end.
    private var nextSlice: [Int32] = []
    private(set) var totalBytes = 0

    deinit {
        for block in blocks { block.deallocate() }
    }

    private func address(ofSlice slice: Int) -> UnsafeMutablePointer<UInt8> {
        blocks[slice / Self.slicesPerBlock] + (slice % Self.slicesPerBlock) * Self.sliceSize
    }

    private func newSlice() -> Int {
        if sliceCount == blocks.count * Self.slicesPerBlock {
            blocks.append(.allocate(capacity: Self.slicesPerBlock * Self.sliceSize))
        }
        nextSlice.append(-1)
        sliceCount += 1
        return sliceCount - 1
    }

    func append(_ data: UnsafeBufferPointer<UInt8>, to chain: inout PostingChain) {
        // A term's postings in one segment stay far below 4 GiB; the check keeps a wrap impossible.
        precondition(Int(chain.length) + data.count < Int(UInt32.max), "posting list too long")
        var length = Int(chain.length)
        var slice = Int(chain.last)
        var written = 0
        while written < data.count {
            let used = length % Self.sliceSize
            if slice < 0 || (used == 0 && length > 0) {
                let fresh = newSlice()
                if slice < 0 { chain.first = Int32(fresh) } else { nextSlice[slice] = Int32(fresh) }
                slice = fresh
                chain.last = Int32(fresh)
            }
            let count = min(data.count - written, Self.sliceSize - used)
            // A posting is a few bytes: a plain loop beats a call to memmove.
            let target = address(ofSlice: slice) + used
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
        folio_prefetch(address(ofSlice: Int(chain.last)) + Int(chain.length) % Self.sliceSize)
    }

    /// Appends a chain's bytes, in the order they were written, to `out`.
    func copy(_ chain: PostingChain, into out: inout [UInt8]) {
        var remaining = Int(chain.length)
        var slice = Int(chain.first)
        while remaining > 0 {
            let count = min(remaining, Self.sliceSize)
            out.append(contentsOf: UnsafeBufferPointer(start: address(ofSlice: slice), count: count))
            remaining -= count
            slice = Int(nextSlice[slice])
        }
    }
}
