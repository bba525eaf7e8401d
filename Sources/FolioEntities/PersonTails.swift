/// A name run into the word after it (梁军 + 有, 梁军 + 最, 波尔 + 排, 贝内特 + 冲): the tagger reads
/// one character more as the person when that character is one that given names seldom hold. Such
/// a person of three characters or more is cut back by its last character when the article shows
/// the shorter name: it occurs at least twice more often than the whole (梁军 eight times, 梁军有
/// twice), so a full name repeated as such (徐鹏航 twice) is left alone. (Seventh round: three
/// characters opening with a surname; ninth: any name of Han characters and middle dots.)
extension EntityRecognizer {
    /// Share of a character's occurrences inside Chinese given names under which the tail is looked
    /// at (the article decides). Chosen on the dev split.
    static let tailGivenShare: Float = 0.01
    /// How many more times the shorter name must occur in the article than the whole.
    static let tailMoreOften = 2

    /// Cuts the tagger's people in `out[first...]` (over `s`, a field of `article`) that end so.
    static func trimPersonTails(_ s: UnsafeBufferPointer<UInt32>, _ out: inout [Candidate], from first: Int,
                                lexicon: EntityLexicon, article: UnsafeBufferPointer<UInt32>, counts: WordCounts = WordCounts()) {
        for k in first..<out.count where out[k].type == .person && out[k].end - out[k].start >= 3 {
            let c = out[k]
            let tail = s[c.end - 1]
            guard tail < 0x10000, isHan(tail), lexicon.given[Int(tail)] < tailGivenShare,
                  lexicon.foreign[Int(tail)] < foreignShare else { continue }
            let name = UnsafeBufferPointer(rebasing: s[c.start..<c.end])
            guard name.allSatisfy({ isHan($0) || NameScanner.isMiddleDot($0) }) else { continue }
            let (shorter, whole) = counts.countWithPrefix(name, in: article)
            if shorter >= whole + tailMoreOften { out[k].end -= 1 }
        }
    }

    /// How often `word` occurs in `text`.
    static func count(_ word: UnsafeBufferPointer<UInt32>, in text: UnsafeBufferPointer<UInt32>) -> Int {
        guard let w0 = word.first, word.count <= text.count else { return 0 }
        var found = 0
        for i in 0...(text.count - word.count) where text[i] == w0 {
            var j = 1
            while j < word.count && text[i + j] == word[j] { j += 1 }
            if j == word.count { found += 1 }
        }
        return found
    }

    @inline(__always)
    static func isHan(_ v: UInt32) -> Bool { (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) }
}

/// How often words occur in one article (`trimPersonTails`): a scan of the article per word, except
/// in an article far longer than any printed one (a page dumped as one line), where a scan per name
/// would make recognition quadratic. There the article's character pairs are grouped by a hash,
/// once (flat arrays: no table entry per pair), and a word is looked for only where a pair of it
/// hashes to its emptiest group; a word asked again is not counted again.
final class WordCounts {
    /// Four times the longest PFR article: printed articles are always scanned.
    static let indexFrom = 1 << 16
    /// Per group, its first slot in `positions` (and the next group's first slot after its last).
    private var starts: [Int32] = []
    private var positions: [Int32] = []
    private var shift: UInt64 = 64
    private var known: [[UInt32]: Int] = [:]

    /// How often `word` less its last scalar occurs in `text`, and `word` itself: in a printed
    /// article one scan for both (each occurrence of the word is one of the shorter that goes on
    /// with its last scalar). `word` has two scalars or more.
    func countWithPrefix(_ word: UnsafeBufferPointer<UInt32>, in text: UnsafeBufferPointer<UInt32>) -> (Int, Int) {
        let prefix = UnsafeBufferPointer(rebasing: word[0..<(word.count - 1)])
        guard text.count < Self.indexFrom, prefix.count <= text.count else {
            return (count(prefix, in: text), count(word, in: text))
        }
        let w0 = word[0], last = word[word.count - 1], p = prefix.count
        var shorter = 0, whole = 0
        for i in 0...(text.count - p) where text[i] == w0 {
            var j = 1
            while j < p && text[i + j] == word[j] { j += 1 }
            guard j == p else { continue }
            shorter += 1
            if i + p < text.count && text[i + p] == last { whole += 1 }
        }
        return (shorter, whole)
    }

    func count(_ word: UnsafeBufferPointer<UInt32>, in text: UnsafeBufferPointer<UInt32>) -> Int {
        guard text.count >= Self.indexFrom, word.count >= 2, word.count <= text.count else {
            return EntityRecognizer.count(word, in: text)
        }
        let asked = Array(word)
        if let n = known[asked] { return n }
        if starts.isEmpty { index(text) }
        var offset = 0, group = group(word[0], word[1])
        for j in 1..<(word.count - 1) {
            let g = self.group(word[j], word[j + 1])
            if starts[g + 1] - starts[g] < starts[group + 1] - starts[group] { offset = j; group = g }
        }
        var found = 0
        for p in positions[Int(starts[group])..<Int(starts[group + 1])] {
            let i = Int(p) - offset
            guard i >= 0, i + word.count <= text.count else { continue }
            var j = 0
            while j < word.count && text[i + j] == word[j] { j += 1 }
            if j == word.count { found += 1 }
        }
        known[asked] = found
        return found
    }

    @inline(__always)
    private func group(_ a: UInt32, _ b: UInt32) -> Int {
        Int(truncatingIfNeeded: ((UInt64(a) << 32 | UInt64(b)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Every pair's position, by group (counted, then placed): about four pairs' places per group.
    private func index(_ text: UnsafeBufferPointer<UInt32>) {
        let n = text.count - 1
        var bits = 1
        while 1 << bits < n / 4 { bits += 1 }
        shift = UInt64(64 - bits)
        var groups = [Int32](repeating: 0, count: n)
        starts = [Int32](repeating: 0, count: (1 << bits) + 1)
        for i in 0..<n {
            let g = group(text[i], text[i + 1])
            groups[i] = Int32(g)
            starts[g + 1] += 1
        }
        for g in 0..<(1 << bits) { starts[g + 1] += starts[g] }
        var next = starts
        positions = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let g = Int(groups[i])
            positions[Int(next[g])] = Int32(i)
            next[g] += 1
        }
    }
}

extension EntityRecognizer {
    /// Kinship and familiar forms of address the tagger reads as people (蔡 + 大姐, 孙子).
    static let kinWords: ScalarTrie = {
        var trie = ScalarTrie()
        for w in "大姐 大哥 大嫂 大娘 大妈 大爷 大伯 大叔 大婶 孙子 孙女 儿子 女儿 老伴 老汉 奶奶 爷爷 姥姥 阿姨 叔叔 伯伯 姐姐 哥哥 妹妹 弟弟 妈妈 爸爸 师傅".split(separator: " ") {
            trie.insert(w.unicodeScalars.map(\.value), payload: 1)
        }
        return trie
    }()

    /// Drops the tagger's people that are a kinship word, and cuts a surname + address title
    /// (曹大夫) to the surname.
    static func dropKinWords(_ s: UnsafeBufferPointer<UInt32>, _ out: inout [Candidate], from first: Int, lexicon: EntityLexicon) {
        var k = first
        while k < out.count {
            let c = out[k]
            if c.type == .person {
                if kinWords.lookup(s, from: c.start, to: c.end) != 0 { out.remove(at: k); continue }
                if c.end - c.start >= 3, s[c.start] < 0x10000, lexicon.surname[Int(s[c.start])] >= NameScanner.taggerAddressedSurname,
                   NameScanner.addressTitles.lookup(s, from: c.start + 1, to: c.end) != 0 {
                    out[k].end = c.start + 1
                }
            }
            k += 1
        }
    }
}
