import FolioWire

/// Builds an `ArticleDictionary` from sample articles of the archive itself: the segments of the
/// samples whose short byte strings occur in the most different articles, greedily, each string
/// counted once (the same idea as zstd's "cover" dictionary builder, sized for zlib's window).
///
/// Memory is bounded whatever the sample: string frequencies are counted in a fixed table of
/// hashed buckets (a collision only blurs a count), so a build takes a few MB beside the samples.
struct ArticleDictionaryBuilder {
    /// Length of the strings counted: two CJK characters in UTF-8 (the best of the lengths tried on
    /// held-out pfr1998; Benchmarks/RESULTS.md, "Store dictionary").
    static let stringLength = 6
    /// Length of a dictionary piece, and the step between the pieces considered.
    static let segmentLength = 48
    static let segmentStep = 24
    /// Samples fed to a build, at most (about 700 articles of 3 KB).
    static let sampleBudgetBytes = 2 << 20
    private static let tableBits = 20

    /// The dictionary of `corpus`: built from evenly spaced articles in page order (deterministic),
    /// about `sampleBudgetBytes` of them.
    static func build(from corpus: Corpus, order: [String], limits: WireLimits) -> ArticleDictionary? {
        let plainBytes = corpus.bodyBytes.plain
        let every = max(1, (plainBytes + sampleBudgetBytes - 1) / sampleBudgetBytes)
        var builder = ArticleDictionaryBuilder()
        var number = 0
        for pageID in order {
            for articleID in corpus.pages[pageID]?.articleIDs ?? [] {
                defer { number += 1 }
                guard number % every == 0, let article = corpus.articles[articleID],
                      let plain = try? article.body.serialized(limits: limits) else { continue }
                builder.add(plain)
            }
        }
        return builder.build()
    }

    // 16 bits suffice: samples are fewer than `sampleBudgetBytes / segmentLength` (and the build
    // runs beside the whole corpus, at the cold start's peak).
    private var counts = [UInt16](repeating: 0, count: 1 << tableBits)
    private var lastSample = [UInt16](repeating: .max, count: 1 << tableBits)
    private var samples: [[UInt8]] = []

    /// Adds one sample (ignored when shorter than a segment, or past 65,534 samples).
    mutating func add(_ sample: [UInt8]) {
        guard sample.count >= Self.segmentLength, samples.count < Int(UInt16.max) else { return }
        let number = UInt16(samples.count)
        sample.withUnsafeBytes { bytes in
            for position in 0...(bytes.count - Self.stringLength) {
                let bucket = Self.bucket(bytes, at: position)
                if lastSample[bucket] != number {
                    lastSample[bucket] = number
                    counts[bucket] &+= 1
                }
            }
        }
        samples.append(sample)
    }

    private static func bucket(_ bytes: UnsafeRawBufferPointer, at position: Int) -> Int {
        var key: UInt64 = 0
        for offset in 0..<stringLength { key = key << 8 | UInt64(bytes[position + offset]) }
        return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - tableBits))
    }

    /// The distinct buckets of one segment.
    private func buckets(sample: Int, start: Int) -> [Int] {
        samples[sample].withUnsafeBytes { bytes in
            var found: [Int] = []
            found.reserveCapacity(Self.segmentLength)
            for position in start...(start + Self.segmentLength - Self.stringLength) {
                let bucket = Self.bucket(bytes, at: position)
                if !found.contains(bucket) { found.append(bucket) }
            }
            return found
        }
    }

    /// What a segment adds: each of its strings once, weighted by the other articles that contain it.
    private func score(sample: Int, start: Int) -> UInt64 {
        buckets(sample: sample, start: start).reduce(0) { $0 + UInt64(counts[$1] > 1 ? counts[$1] - 1 : 0) }
    }

    /// The dictionary (at most `size` bytes, the most useful pieces last, nearest to the text
    /// deflate compresses), or nil when the samples share nothing worth keeping.
    mutating func build(size: Int = ArticleDictionary.maximumSize) -> ArticleDictionary? {
        var heap = SegmentHeap()
        for sample in samples.indices {
            for start in stride(from: 0, through: samples[sample].count - Self.segmentLength, by: Self.segmentStep) {
                heap.push(.init(score: score(sample: sample, start: start), sample: sample, start: start))
            }
        }
        var chosen: [ArraySlice<UInt8>] = []
        var total = 0
        while total < size, let best = heap.pop() {
            // Scores only fall as strings are taken: re-score, and take it if it still leads.
            let now = score(sample: best.sample, start: best.start)
            guard now > 0 else { continue }
            if now < best.score, let next = heap.top, now < next.score {
                heap.push(.init(score: now, sample: best.sample, start: best.start))
                continue
            }
            chosen.append(samples[best.sample][best.start..<(best.start + Self.segmentLength)])
            total += Self.segmentLength
            for bucket in buckets(sample: best.sample, start: best.start) { counts[bucket] = 0 }
        }
        guard total > 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        for piece in chosen.reversed() { bytes += piece }
        return ArticleDictionary(bytes: Array(bytes.suffix(size)))
    }
}

/// A max-heap of candidate segments by score (ties: the earlier sample and position first, so a
/// build is deterministic).
private struct SegmentHeap {
    struct Entry {
        var score: UInt64
        var sample: Int
        var start: Int

        func precedes(_ other: Entry) -> Bool {
            (score, -sample, -start) > (other.score, -other.sample, -other.start)
        }
    }

    private var entries: [Entry] = []

    var top: Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let best = entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < entries.count, entries[left].precedes(entries[first]) { first = left }
            if right < entries.count, entries[right].precedes(entries[first]) { first = right }
            guard first != parent else { break }
            entries.swapAt(parent, first)
            parent = first
        }
        return best
    }
}
