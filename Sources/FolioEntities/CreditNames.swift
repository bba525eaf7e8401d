/// People named in credits (記者崔治報道, 本报记者崔治攝, 新华社记者兰红光摄): a surname right after
/// 记者 and one or two characters up to the credit's end (报道, 摄, a space, a comma, the end of the
/// text), and a name opening a short credit line before a space (趙一 本报记者 崔治). The tagger
/// learnt running news text and misses some of these out of domain (a 2022 page's reporters);
/// these forms are sure enough to win an overlap with a tagger span.
extension NameScanner {
    static let reporterWord: (UInt32, UInt32) = (0x8BB0, 0x8005)        // 记者 (folded)
    /// Characters that end a credit's name: 报(道), 摄, 文, a space, 、 ， , ） ) : ：
    static let creditEnds: Set<UInt32> = Set("报摄文 、，,）):：".unicodeScalars.map(\.value))
    /// The surname share a credit's first character needs (a reporter's name, not 记者从, 记者了解).
    static let creditSurname: Float = 0.25

    /// Appends a person for each credit's name, ranked above the tagger's spans.
    func creditNames(_ s: UnsafeBufferPointer<UInt32>, into out: inout [Candidate]) {
        let n = s.count
        guard n >= 4 else { return }
        var reporter = false
        var i = 0
        while i + 3 < n {
            defer { i += 1 }
            guard s[i] == Self.reporterWord.0, s[i + 1] == Self.reporterWord.1 else { continue }
            reporter = true
            let start = i + 2
            let v = s[start]
            guard v < 0x10000, lex.surname[Int(v)] >= Self.creditSurname else { continue }
            // The name's end: two or three characters, then a credit's end (or the text's).
            for length in [2, 3] {
                let end = start + length
                guard end <= n, (start + 1..<end).allSatisfy({ isHan(s[$0]) && !Self.creditEnds.contains(s[$0]) }) else { break }
                if end == n || Self.creditEnds.contains(s[end]) {
                    out.append(Candidate(type: .person, start: start, end: end, rank: Rank.gazetteer))
                    break
                }
            }
        }
        // 趙一 本报记者 崔治: the line's first name, two or three characters before a space.
        guard reporter, n <= Self.creditLineLimit, s[0] < 0x10000, lex.surname[Int(s[0])] >= Self.creditSurname else { return }
        for end in [2, 3] where end < n && s[end] == 0x20 {
            if (1..<end).allSatisfy({ isHan(s[$0]) }) {
                out.append(Candidate(type: .person, start: 0, end: end, rank: Rank.gazetteer))
            }
            break
        }
    }

    /// Longest credit line whose opening name is read as a person.
    static let creditLineLimit = 24
}
