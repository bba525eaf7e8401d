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

    func decode(termID: UInt32, positional: Bool) -> DecodedPostings {
        var result = DecodedPostings()
        let count = Int(termDocFrequency[Int(termID)])
        result.docs.reserveCapacity(count)
        result.frequencies.reserveCapacity(count)
        if positional {
            result.positionStarts.reserveCapacity(count)
            result.positionEnds.reserveCapacity(count)
        }
        postings.withUnsafeBufferPointer { bytes in
            var position = termStarts[Int(termID)]
            let end = termStarts[Int(termID) + 1]
            var doc: UInt32 = 0
            var first = true
            while position < end {
                let gap = VarInt.read(bytes, &position)
                doc = first ? gap : doc + gap + 1
                first = false
                result.docs.append(doc)
                result.frequencies.append(VarInt.read(bytes, &position))
                if positional {
                    let length = Int(VarInt.read(bytes, &position))
                    result.positionStarts.append(position)
                    result.positionEnds.append(position + length)
                    position += length
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
