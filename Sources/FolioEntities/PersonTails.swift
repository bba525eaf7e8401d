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
                                lexicon: EntityLexicon, article: UnsafeBufferPointer<UInt32>) {
        for k in first..<out.count where out[k].type == .person && out[k].end - out[k].start >= 3 {
            let c = out[k]
            let tail = s[c.end - 1]
            guard tail < 0x10000, isHan(tail), lexicon.given[Int(tail)] < tailGivenShare,
                  lexicon.foreign[Int(tail)] < foreignShare else { continue }
            let name = UnsafeBufferPointer(rebasing: s[c.start..<c.end])
            guard name.allSatisfy({ isHan($0) || middleDots.contains($0) }) else { continue }
            let shorter = count(UnsafeBufferPointer(rebasing: name[0..<(name.count - 1)]), in: article)
            if shorter >= count(name, in: article) + tailMoreOften { out[k].end -= 1 }
        }
    }

    static let middleDots: [UInt32] = [0xB7, 0x30FB, 0x2022, 0x2027]

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
