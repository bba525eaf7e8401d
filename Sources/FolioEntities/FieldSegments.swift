extension EntityRecognizer {
    /// The longest stretch of a field recognized at once: four times the longest paragraph of the
    /// PFR corpus (981 scalars), so that only text no paper prints (a page dumped as one line) is cut.
    static let segmentLength = 4096

    /// Where a field is cut for recognition: 0, the cuts, `s.count`. Each cut follows the last
    /// sentence end (else clause end, else nothing) in the second half of a stretch, so that a
    /// name is seldom cut; a field up to `segmentLength` is not cut at all.
    static func segments(_ s: UnsafeBufferPointer<UInt32>, length: Int = segmentLength) -> [Int] {
        var cuts = [0]
        var start = 0
        while s.count - start > length {
            let window = (start + length / 2)..<(start + length)
            let cut = window.last { sentenceEnds.contains(s[$0 - 1]) }
                ?? window.last { clauseEnds.contains(s[$0 - 1]) }
                ?? start + length
            cuts.append(cut)
            start = cut
        }
        cuts.append(s.count)
        return cuts
    }

    /// 。！？； (and their half-width forms, as folded) and a line break.
    static let sentenceEnds: Set<UInt32> = Set("。！？；!?;\n".unicodeScalars.map(\.value))
    /// ，、：, and :.
    static let clauseEnds: Set<UInt32> = Set("，、：,:".unicodeScalars.map(\.value))
}
