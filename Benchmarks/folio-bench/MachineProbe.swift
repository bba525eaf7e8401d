import FolioTestSupport
import FolioWire

/// How fast this machine is at the moment a benchmark runs. Its speed moves by 20–40% within an
/// hour here (other guests share the host), so figures taken hours apart only compare through a
/// peer measured in the same go: SPEC §6 names one, zlib level 1 at "about 50 MB/s", and a random
/// memory read shows what the caches and the memory bus give at the time (the parse and the index
/// build wait mostly on memory, zlib mostly on the core).
struct MachineProbe {
    /// zlib level 1 on the benchmark's own text in article-sized pieces (4 KB, as the store
    /// compresses), MB per CPU-second (best of three).
    var zlibMBPerSecond: Double
    /// One dependent read at a random place of 64 MiB, in nanoseconds (best of three).
    var memoryReadNanoseconds: Double

    /// SPEC §6: "zlib level 1 compresses at about 50 MB/s".
    static let specZlibMBPerSecond = 50.0

    static func measure(text sample: [UInt8]) -> MachineProbe {
        let input = Array(sample.prefix(8 << 20))
        var zlib = 0.0
        for _ in 0..<3 {
            var produced = 0
            let cpu0 = threadCPUSeconds()
            input.withUnsafeBytes { all in
                for start in stride(from: 0, to: all.count, by: 4096) {
                    produced += Zlib.compress(UnsafeRawBufferPointer(rebasing: all[start..<min(start + 4096, all.count)]), level: 1).count
                }
            }
            let seconds = threadCPUSeconds() - cpu0
            precondition(produced > 0)
            zlib = max(zlib, Double(input.count) / 1e6 / seconds)
        }
        return MachineProbe(zlibMBPerSecond: zlib, memoryReadNanoseconds: chaseNanoseconds())
    }

    /// Follows one random cycle through 64 MiB of indices, each read waiting for the one before
    /// (best of three walks over one cycle).
    private static func chaseNanoseconds() -> Double {
        let count = 8 << 20
        var next = [Int](repeating: 0, count: count)
        var generator = SplitMix64(seed: 0x5EED)   // the same pattern in every run
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        for i in 0..<count { next[order[i]] = order[(i + 1) % count] }
        let steps = 2_000_000
        var best = Double.infinity
        for _ in 0..<3 {
            var at = 0
            let cpu0 = threadCPUSeconds()
            for _ in 0..<steps { at = next[at] }
            let seconds = threadCPUSeconds() - cpu0
            precondition(at >= 0)
            best = min(best, seconds * 1e9 / Double(steps))
        }
        return best
    }

    var line: String {
        String(format: "machine now: zlib level 1 %.1f MB/s per CPU-second (SPEC §6: about %.0f), a random memory read %.0f ns",
               zlibMBPerSecond, Self.specZlibMBPerSecond, memoryReadNanoseconds)
    }

    /// `figure` (MB/s) as a share of zlib level 1's speed in the same go, beside the share the target asks.
    func ratioLine(_ label: String, megabytesPerSecond figure: Double, target: Double) -> String {
        String(format: "%@ ÷ zlib level 1 in the same go: %.3f (the %.0f MB/s target against SPEC's zlib figure: %.3f)",
               label, figure / zlibMBPerSecond, target, target / Self.specZlibMBPerSecond)
    }
}
