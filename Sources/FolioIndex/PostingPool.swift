/// The posting bytes of every term while a segment is built. Each term's bytes live in a chain of
/// small fixed-size slices cut from large blocks (Lucene's byte-block pool), instead of one growable
/// array per term: no per-term allocation, header or slack, and a block is never copied to grow.
final class PostingPool {
    static let sliceSize = 32
    static let slicesPerBlock = 1 << 15   // 1 MiB blocks

    private var blocks: [UnsafeMutablePointer<UInt8>] = []
    private var sliceCount = 0
    /// Per slice: the term's next slice, -1 at the end of its chain.
    private var nextSlice: [Int32] = []
    /// Per term.
    private var firstSlice: [Int32] = []
    private var lastSlice: [Int32] = []
    private(set) var lengths: [Int] = []

    deinit {
        for block in blocks { block.deallocate() }
    }

    var termCount: Int { lengths.count }
    var totalBytes: Int { lengths.reduce(0, +) }

    func addTerm() {
        firstSlice.append(-1)
        lastSlice.append(-1)
        lengths.append(0)
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

    func append(_ data: UnsafeBufferPointer<UInt8>, term: Int) {
        var length = lengths[term]
        var slice = Int(lastSlice[term])
        var written = 0
        while written < data.count {
            let used = length % Self.sliceSize
            if slice < 0 || (used == 0 && length > 0) {
                let fresh = newSlice()
                if slice < 0 { firstSlice[term] = Int32(fresh) } else { nextSlice[slice] = Int32(fresh) }
                slice = fresh
                lastSlice[term] = Int32(fresh)
            }
            let count = min(data.count - written, Self.sliceSize - used)
            (address(ofSlice: slice) + used).update(from: data.baseAddress! + written, count: count)
            written += count
            length += count
        }
        lengths[term] = length
    }

    /// Appends a term's bytes, in the order they were written, to `out`.
    func copy(term: Int, into out: inout [UInt8]) {
        var remaining = lengths[term]
        var slice = Int(firstSlice[term])
        while remaining > 0 {
            let count = min(remaining, Self.sliceSize)
            out.append(contentsOf: UnsafeBufferPointer(start: address(ofSlice: slice), count: count))
            remaining -= count
            slice = Int(nextSlice[slice])
        }
    }
}
