/// A bare surname addressed by a title (叶省长, 江主席, “彭司令): PFR tags the surname alone as the
/// person. The tagger rarely learns it (a one-character name before a common word); the rules'
/// reading is kept where the tagger's names leave the surname uncovered.
extension NameScanner {
    /// First characters of the address titles, as a bit set over the BMP: a cheap gate before the
    /// surname and title look-ups.
    static let titleStarts: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for w in addressTitleWords {
            let v = Int(w.unicodeScalars.first!.value)
            bits[v >> 6] |= 1 << UInt64(v & 63)
        }
        return bits
    }()

    /// The surname share the tagger's reading asks (the rules' is lower): country abbreviations
    /// before a title (哈总统, 阿总理) open few names. Chosen on the dev split.
    static let taggerAddressedSurname: Float = 0.25

    /// Appends a one-character person for each addressed surname at a boundary (start, non-Han,
    /// a function character before it) that no candidate in `out[taggerFrom...]` covers.
    func addressedSurnames(_ s: UnsafeBufferPointer<UInt32>, taggerFrom first: Int, into out: inout [Candidate]) {
        let n = s.count
        guard n >= 3 else { return }
        let end = out.count
        // The bit set read through a buffer: a lazy global read per character costs.
        Self.titleStarts.withUnsafeBufferPointer { starts in
            for i in 0..<(n - 2) {
                let t = s[i + 1]
                guard t < 0x10000, starts[Int(t) >> 6] & (1 << UInt64(t & 63)) != 0 else { continue }
                let v = s[i]
                guard v < 0x10000, lex.surname[Int(v)] >= Self.taggerAddressedSurname else { continue }
                if i > 0 {
                    let p = s[i - 1]
                    guard !isHan(p) || (p < 0x10000 && lex.stopper[Int(p)]) else { continue }
                }
                guard Self.addressTitles.hasMatch(s, from: i + 1) else { continue }
                if out[first..<end].contains(where: { $0.start <= i && i < $0.end }) { continue }
                out.append(Candidate(type: .person, start: i, end: i + 1, rank: Rank.context))
            }
        }
    }
}
