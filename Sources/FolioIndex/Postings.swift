/// A term's postings in one segment, decoded: documents in ascending order with their weighted term
/// frequencies and, for positional terms, where each document's positions lie in the byte stream.
struct DecodedPostings {
    var docs: [UInt32] = []
    var frequencies: [UInt32] = []
    var positionStarts: [Int] = []
    var positionEnds: [Int] = []
}

/// Documents that matched, ascending, with the score each earned.
struct MatchList {
    var docs: [UInt32] = []
    var scores: [Double] = []

    mutating func append(_ doc: UInt32, _ score: Double) {
        docs.append(doc)
        scores.append(score)
    }

    /// Documents in both lists; scores add up.
    func intersection(_ other: MatchList) -> MatchList {
        var result = MatchList()
        var left = 0, right = 0
        while left < docs.count && right < other.docs.count {
            let a = docs[left], b = other.docs[right]
            if a == b {
                result.append(a, scores[left] + other.scores[right])
                left += 1
                right += 1
            } else if a < b {
                left += 1
            } else {
                right += 1
            }
        }
        return result
    }

    /// Documents in either list; scores add up where both match.
    func union(_ other: MatchList) -> MatchList {
        var result = MatchList()
        result.docs.reserveCapacity(docs.count + other.docs.count)
        result.scores.reserveCapacity(docs.count + other.docs.count)
        var left = 0, right = 0
        while left < docs.count || right < other.docs.count {
            if right == other.docs.count || (left < docs.count && docs[left] < other.docs[right]) {
                result.append(docs[left], scores[left])
                left += 1
            } else if left == docs.count || other.docs[right] < docs[left] {
                result.append(other.docs[right], other.scores[right])
                right += 1
            } else {
                result.append(docs[left], scores[left] + other.scores[right])
                left += 1
                right += 1
            }
        }
        return result
    }

    /// Documents of this list that are not in `excluded` (sorted).
    func subtracting(_ excluded: [UInt32]) -> MatchList {
        guard !excluded.isEmpty else { return self }
        var result = MatchList()
        var other = 0
        for (index, doc) in docs.enumerated() {
            while other < excluded.count && excluded[other] < doc { other += 1 }
            if other < excluded.count && excluded[other] == doc { continue }
            result.append(doc, scores[index])
        }
        return result
    }
}

extension Segment {
    func isPositional(_ term: QueryTerm) -> Bool { term.kind != .unigram }

    /// `positional` says whether the term stores positions (bigrams do); `keepPositions`
    /// whether the caller wants where they lie.
    func decode(termID: UInt32, positional: Bool, keepPositions: Bool = true) -> DecodedPostings {
        var result = DecodedPostings()
        let count = Int(termDocFrequency[Int(termID)])
        result.docs.reserveCapacity(count)
        result.frequencies.reserveCapacity(count)
        let keep = positional && keepPositions
        if keep {
            result.positionStarts.reserveCapacity(count)
            result.positionEnds.reserveCapacity(count)
        }
        postings.withUnsafeBufferPointer { bytes in
            var position = termStarts[Int(termID)]
            let end = termStarts[Int(termID) + 1]
            var doc: UInt32 = 0
            var first = true
            while position < end {
                let head = PostingCoding.read(bytes, &position)
                doc = first ? head.gap : doc + head.gap + 1
                first = false
                result.docs.append(doc)
                result.frequencies.append(head.weighted)
                if positional {
                    let start = position
                    PostingCoding.skip(bytes, &position, count: head.count)
                    if keep {
                        result.positionStarts.append(start)
                        result.positionEnds.append(position)
                    }
                }
            }
        }
        return result
    }

    /// Unit positions stored at `start..<end` of the postings stream.
    func positions(_ start: Int, _ end: Int, into output: inout [UInt32]) {
        output.removeAll(keepingCapacity: true)
        postings.withUnsafeBufferPointer { bytes in
            var position = start
            var unit: UInt32 = 0
            while position < end {
                unit += VarInt.read(bytes, &position)
                output.append(unit)
            }
        }
    }
}

/// Walks one term's postings forward, jumping over blocks with the skip entries.
struct PostingCursor {
    let positional: Bool
    private let bytes: UnsafeBufferPointer<UInt8>
    private let skips: UnsafeBufferPointer<UInt32>
    private let termStart: Int
    private let end: Int
    private var position: Int
    private var skipIndex: Int
    private let skipEnd: Int
    private(set) var doc = -1
    private(set) var frequency: UInt32 = 0
    /// Occurrences in the headline: the first `headlineCount` positions.
    private(set) var headlineCount: UInt32 = 0
    private(set) var positionStart = 0
    private(set) var positionEnd = 0

    init(segment: Segment, termID: UInt32, positional: Bool) {
        self.positional = positional
        bytes = segment.postingBytes
        skips = segment.skipEntries
        termStart = segment.termStarts[Int(termID)]
        end = segment.termStarts[Int(termID) + 1]
        position = termStart
        skipIndex = Int(segment.skipStarts[Int(termID)])
        skipEnd = Int(segment.skipStarts[Int(termID) + 1])
    }

    /// Moves to the first posting with doc >= target; false when the postings are exhausted.
    @inline(__always)
    mutating func advance(to target: Int) -> Bool {
        if doc >= target { return true }
        // Jump over whole blocks whose preceding doc is still before the target.
        while skipIndex < skipEnd && Int(skips[skipIndex]) < target {
            let blockStart = termStart + Int(skips[skipIndex + 1])
            if blockStart > position {
                doc = Int(skips[skipIndex])
                position = blockStart
            }
            skipIndex += 2
        }
        while doc < target {
            guard position < end else { return false }
            readPosting()
        }
        return true
    }

    @inline(__always)
    private mutating func readPosting() {
        let head = PostingCoding.read(bytes, &position)
        doc += Int(head.gap) + 1
        frequency = head.weighted
        headlineCount = (head.weighted - head.count) / (SegmentBuilder.headlineWeight - 1)
        if positional {
            positionStart = position
            PostingCoding.skip(bytes, &position, count: head.count)
            positionEnd = position
        }
    }
}

/// Counts where a unit position of stream `first` (minus `firstOffset`) plus `secondOffset` is a
/// position of stream `second`: a two-term phrase check straight on the varint streams. An
/// occurrence starting before `headlineEnd` counts `headlineWeight` times; when `firstOffset` is 0
/// that is the same as being among the first `firstHeadlineCount` positions, which the caller may
/// pass instead (`headlineEnd` nil) to spare a random read of the document's headline length.
@inline(__always)
func countPairOccurrences(_ bytes: UnsafeBufferPointer<UInt8>, first: Range<Int>, firstOffset: UInt32,
                          second: Range<Int>, secondOffset: UInt32, headlineEnd: UInt32?,
                          firstHeadlineCount: UInt32) -> UInt32 {
    var weighted: UInt32 = 0
    var index: UInt32 = 0
    var a = first.lowerBound, b = second.lowerBound
    var unitA: UInt32 = 0, unitB: UInt32 = 0
    var haveB = false
    while a < first.upperBound {
        unitA &+= VarInt.read(bytes, &a)
        let inHeadline = index < firstHeadlineCount
        index += 1
        guard unitA >= firstOffset else { continue }
        let start = unitA - firstOffset
        let wanted = start + secondOffset
        while !haveB || unitB < wanted {
            guard b < second.upperBound else { return weighted }
            unitB &+= VarInt.read(bytes, &b)
            haveB = true
        }
        if unitB == wanted {
            weighted += (headlineEnd.map { start < $0 } ?? inHeadline) ? SegmentBuilder.headlineWeight : 1
        }
    }
    return weighted
}
