import FolioTestSupport
import Testing
@testable import FolioIndex

/// Chains written in interleaved pieces of every size read back exactly, across slice levels,
/// slice ends and block ends.
@Suite struct PostingPoolTests {
    @Test func interleavedChainsReadBackInOrder() throws {
        var random = SplitMix64(seed: 7)
        let pool = PostingPool()
        var chains = [PostingChain](repeating: PostingChain(), count: 600)
        var expected = [[UInt8]](repeating: [], count: chains.count)
        // Enough bytes for several 1 MiB blocks, some chains far past the largest slice size.
        for step in 0..<120_000 {
            let term = step % 7 == 0 ? Int(random.next() % 5) : Int(random.next() % UInt64(chains.count))
            let piece = (0..<Int(1 + random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            try piece.withUnsafeBufferPointer { try pool.append($0, to: &chains[term]) }
            expected[term] += piece
        }
        #expect(pool.totalBytes == expected.reduce(0) { $0 + $1.count })
        for term in chains.indices {
            var out: [UInt8] = []
            pool.copy(chains[term], into: &out)
            #expect(out == expected[term], "term \(term)")
            #expect(Int(chains[term].length) == expected[term].count)
        }
    }

    @Test func everyLengthUpToSeveralSlices() throws {
        for length in 0..<700 {
            let pool = PostingPool()
            var chain = PostingChain()
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            for byte in bytes { try [byte].withUnsafeBufferPointer { try pool.append($0, to: &chain) } }
            var out: [UInt8] = []
            pool.copy(chain, into: &out)
            #expect(out == bytes, "length \(length)")
        }
    }
}
