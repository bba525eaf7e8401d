import FolioText

/// People: a surname with one or two likely given-name characters, scored by how often each
/// character plays that part in the training text and by the words around it (记者, 局长 before;
/// 说, 同志 after); and transliterated foreign names (叶利钦, 弗雷德里克·史密斯) after a title.
extension NameScanner {
    static let minimumScore: Float = 0.02
    static let quoteOpeners: [UInt32] = [0x201C, 0x2018, 0x300A, 0x300C, 0x300E, 0x22, 0x27]   // “ ‘ 《 「 『 " '
    static let framedSurname: Float = 0.05
    /// Lower bar for a full surname + two given characters between punctuation (see `bounded`).
    static let boundedScore: Float = 0.003
    /// The dots of transliterated names, every form a source prints (`CharacterClass.isNameDot`).
    @inline(__always)
    static func isMiddleDot(_ v: UInt32) -> Bool { CharacterClass.isNameDot(value: v) }
    static let listOpeners: [UInt32] = [0x3001, 0xFF08, 0x28, 0x201C, 0xFF0F, 0x2F]          // 、 （ ( “ ／ /
    static let listClosers: [UInt32] = [0x3001, 0xFF0C, 0xFF08, 0xFF09, 0x28, 0x29, 0x3002, 0x201D, 0xFF0F, 0x2F]   // 、 ， （ ） ( ) 。 ” ／ /
    /// Titles that follow a bare surname as a form of address (江主席, 王大夫, 李教授). General knowledge.
    static let addressTitleWords = "主席 总书记 大夫 先生 市长 教授 院长 老师 小姐 女士 总领事 司令 总理 师傅 医生 厂长 局长 县长 省长 校长 主任 队长 书记 部长 委员长 总统 首相"
        .split(separator: " ")
    static let addressTitles: ScalarTrie = {
        var trie = ScalarTrie()
        for w in addressTitleWords { trie.insert(w.unicodeScalars.map(\.value), payload: 1) }
        return trie
    }()

    func persons(_ s: UnsafeBufferPointer<UInt32>, into out: inout [Candidate]) {
        let n = s.count
        var i = 0
        while i + 1 < n {
            let v = s[i]
            guard v < 0x10000 else { i += 1; continue }
            let flags = lex.charFlags[Int(v)]
            guard flags & (CharFlag.surname | CharFlag.foreign) != 0 else { i += 1; continue }
            // 老侯, 小贾: a familiar form, 老/小 and a surname.
            if (v == 0x8001 || v == 0x5C0F), i + 1 < n, s[i + 1] < 0x10000, lex.surname[Int(s[i + 1])] >= 0.3,
               nameMayEnd(s, at: i + 2), i == 0 || !isHan(s[i - 1]) || lex.stopper[Int(s[i - 1])] {
                out.append(Candidate(type: .person, start: i, end: i + 2, rank: Rank.context))
            }
            if i + 2 < n && Self.isMiddleDot(s[i + 1]), let c = dottedName(s, dot: i + 1) {
                out.append(c)
            }
            if flags & CharFlag.foreign != 0, let c = foreignPerson(s, at: i) {
                out.append(c)
            }
            var surnameLength = 0
            var surnameScore: Float = 0
            if flags & CharFlag.compoundSurname != 0 && i + 2 < n && lex.surnames2.lookup(s, from: i, to: i + 2) != 0 {
                surnameLength = 2
                surnameScore = 0.5
            } else if lex.surname[Int(v)] >= 0.005 {
                surnameLength = 1
                surnameScore = lex.surname[Int(v)]
            }
            // A bare surname addressed by a title, after a boundary: 江主席, “彭司令.
            if surnameLength == 1, surnameScore >= 0.1, i + 2 < n, Self.addressTitles.hasMatch(s, from: i + 1),
               i == 0 || !isHan(s[i - 1]) || lex.stopper[Int(s[i - 1])] {
                out.append(Candidate(type: .person, start: i, end: i + 1, rank: Rank.context))
            }
            if surnameLength > 0, let c = chinesePerson(s, at: i, surnameLength: surnameLength, surnameScore: surnameScore) {
                out.append(c)
            }
            i += 1
        }
    }

    /// A person's name may end at `i`: end of text, punctuation, a function word or a context word.
    @inline(__always)
    func nameMayEnd(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Bool {
        if i >= s.count { return true }
        let v = s[i]
        if !isHan(v) || v >= 0x10000 || lex.stopper[Int(v)] { return true }
        return hasRightContext(s, at: i)
    }

    private func chinesePerson(_ s: UnsafeBufferPointer<UInt32>, at i: Int, surnameLength: Int, surnameScore: Float) -> Candidate? {
        let n = s.count
        let g1 = i + surnameLength
        guard g1 < n else { return nil }
        // A byline: a name opening the text and followed by a space (趙一 本报记者 崔治).
        let byline = i == 0 && (g1 + 1 < n && s[g1 + 1] == 0x20 || g1 + 2 < n && s[g1 + 2] == 0x20)
        // A field that is nothing but a name (an author line: （李少奇）, 赵如广).
        let alone = isAloneInField(s, start: i)
        // The bound below, before the context words are looked up, as if they had all been found
        // (they only ever help): most surname characters end here.
        if !alone && surnameScore < Self.framedSurname {
            guard isHan(s[g1]) && s[g1] < 0x10000 else { return nil }
            let bonus: Float = g1 + 1 < n && isHan(s[g1 + 1]) && s[g1 + 1] < 0x10000 ? max(1, lex.given[Int(s[g1 + 1])].squareRoot() * 2) : 1
            let boundedLeft = i == 0 || !isHan(s[i - 1]) && !Self.quoteOpeners.contains(s[i - 1])
            let least = boundedLeft ? min(Self.boundedScore, Self.minimumScore) : Self.minimumScore
            if surnameScore * lex.given[Int(s[g1])] * bonus * 128 * (byline ? 8 : 1) < least { return nil }
        }
        let titled = hasLeftContext(s, at: i)
        // Not a nested function: a closure capturing `self` copies the whole lexicon into a box.
        let anyChar = byline || titled || alone
        @inline(__always) func givenChar(_ k: Int) -> Bool {
            k < n && isHan(s[k]) && s[k] < 0x10000 && (anyChar || !lex.stopper[Int(s[k])])
        }
        guard givenChar(g1) else { return nil }
        // 王大夫, 李局长: a surname and a title of address, not a three-character name.
        if surnameLength == 1 && Self.addressTitles.hasMatch(s, from: g1) { return nil }
        // Cheap bound first: even with every context bonus, can this reach the threshold?
        let g2Bonus: Float = givenChar(g1 + 1) ? max(1, lex.given[Int(s[g1 + 1])].squareRoot() * 2) : 1
        // 记者王能标摄: a title before and a context word after name whoever stands between.
        let framed = titled && surnameScore >= Self.framedSurname
        // One of a list or a credit: 、蔡述明、 （吴国响摄） — delimiters on both sides frame the name.
        let listedLeft = surnameScore >= 0.05 && (i == 0 || Self.listOpeners.contains(s[i - 1]))
        // Punctuation or the text start right before the surname (a function word is too
        // ambiguous: 对于春天, 一张光盘).
        // Nor an opening quote or title mark: a quoted three-character string is mostly a term (“老字号”).
        let boundedLeft = i == 0 || !isHan(s[i - 1]) && !Self.quoteOpeners.contains(s[i - 1])
        // （吴国响摄）, 、何少存、: between boundaries a rarer character (not a function word) still ends
        // a three-character name.
        let closedThree = boundedLeft && g1 + 1 < n && isHan(s[g1 + 1]) && s[g1 + 1] < 0x10000
            && !lex.functionWord[Int(s[g1 + 1])] && !hasRightContext(s, at: g1 + 1) && nameMayEnd(s, at: g1 + 2)
        let minimum = boundedLeft && (closedThree || givenChar(g1 + 1)) ? min(Self.boundedScore, Self.minimumScore) : Self.minimumScore
        if !alone && !framed && !listedLeft && surnameScore * lex.given[Int(s[g1])] * g2Bonus * 128 * (byline ? 8 : 1) < minimum { return nil }
        // Two given characters unless the name clearly ends after one.
        var end = g1 + 1
        if givenChar(g1 + 1) {
            let endsAfterOne = nameMayEnd(s, at: g1 + 1), endsAfterTwo = nameMayEnd(s, at: g1 + 2)
            if endsAfterTwo && !endsAfterOne || endsAfterTwo == endsAfterOne && lex.given[Int(s[g1 + 1])] >= 0.01 {
                end = g1 + 2
            }
        }
        if closedThree { end = g1 + 2 }
        // 李鹏强调: a known two-character name inside running text is not the start of a longer one.
        if end == g1 + 2 && end < n && isHan(s[end]) && !hasRightContext(s, at: end) && lex.names.lookup(s, from: i, to: g1 + 1) & LexiconFlag.person != 0
            && lex.names.lookup(s, from: i, to: end) == 0 {
            end = g1 + 1
        }
        // 邓小平理论, 毛泽东思想: a doctrine named after a person, not a mention of one.
        if startsDoctrine(s, at: end) { return nil }
        var score = surnameScore * lex.given[Int(s[g1])]
        if end == g1 + 2 { score *= lex.given[Int(s[g1 + 1])].squareRoot() * 2 }
        if titled { score *= 8 }
        // One of a list of names: 、楼继伟、
        if i > 0 && s[i - 1] == 0x3001 && end < n && (s[end] == 0x3001 || s[end] == 0xFF0C || s[end] == 0xFF08) { score *= 4 }
        // 江山, 高度: a frequent string that is almost never a person in training (looked up once
        // the name is otherwise taken: few candidates get so far).
        if alone && isAloneInField(s, start: i, end: end) {
            return !titled && lex.notNames.lookup(s, from: i, to: end) != 0 ? nil : Candidate(type: .person, start: i, end: end, rank: Rank.context)
        }
        if byline && end < n && s[end] == 0x20 { score *= 8 }
        if hasRightContext(s, at: end) { score *= 4 }
        let listed = listedLeft && (end >= n || Self.listClosers.contains(s[end]))
        // A full three-character name between boundaries needs less evidence than one inside running text.
        // 塞纳河, 沈泉庄: not when it ends on a place or organization suffix.
        let bounded = boundedLeft && end == g1 + 2 && nameMayEnd(s, at: end) && !lex.suffixEnd[Int(s[end - 1])]
        guard score >= Self.minimumScore || bounded && score >= Self.boundedScore || framed && hasRightContext(s, at: end) || listed,
              titled || lex.notNames.lookup(s, from: i, to: end) == 0 else { return nil }
        return Candidate(type: .person, start: i, end: end, rank: Rank.context)
    }

    /// A run of transliteration characters (·-joined parts allowed) after a title or before a
    /// context word: 总统叶利钦, 外长伊马纳利耶夫, 弗雷德里克·史密斯说.
    private func foreignPerson(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Candidate? {
        let n = s.count
        guard lex.foreign[Int(s[i])] >= 0.1, i == 0 || !isHan(s[i - 1]) || hasLeftContext(s, at: i) else { return nil }
        var end = i
        var dots = 0
        while end < n {
            let v = s[end]
            if Self.isMiddleDot(v), end > i, end + 1 < n, isHan(s[end + 1]) { dots += 1; end += 1; continue }
            guard isHan(v), v < 0x10000, lex.foreign[Int(v)] >= 0.1 || (end > i && !lex.stopper[Int(v)] && lex.foreign[Int(v)] >= 0.03)
            else { break }
            if end > i + 1 && hasRightContext(s, at: end) { break }
            end += 1
        }
        guard end - i >= 2 else { return nil }
        if lex.names.lookup(s, from: i, to: end) & (LexiconFlag.place | LexiconFlag.organization) != 0 { return nil }
        let context = hasLeftContext(s, at: i)
        // Or three characters or more right before a speech verb or title word (图季曼说).
        let spoken = end - i >= 3 && end < n && isHan(s[end]) && hasRightContext(s, at: end)
        guard dots > 0 || (context && end - i >= 2 && nameMayEnd(s, at: end)) || spoken else { return nil }
        return Candidate(type: .person, start: i, end: end, rank: Rank.context)
    }

    /// A name written with a middle dot (马蒂厄·克雷库, 玉素甫·艾沙): the parts on both sides, up to
    /// function words, context words and punctuation.
    private func dottedName(_ s: UnsafeBufferPointer<UInt32>, dot: Int) -> Candidate? {
        let n = s.count
        func part(_ k: Int) -> Bool { k >= 0 && k < n && isHan(s[k]) && s[k] < 0x10000 && !lex.stopper[Int(s[k])] }
        var start = dot
        while start > 0, dot - start < 6, part(start - 1) {
            start -= 1
            if hasLeftContext(s, at: start) { break }
        }
        var end = dot + 1
        while end < n, end - dot <= 8 {
            if part(end) && !(end > dot + 2 && hasRightContext(s, at: end)) { end += 1; continue }
            if Self.isMiddleDot(s[end]) && part(end + 1) { end += 1; continue }
            break
        }
        guard dot - start >= 1, end - dot >= 3 || end - dot >= 2 && dot - start >= 2 else { return nil }
        if lex.names.lookup(s, from: start, to: end) & (LexiconFlag.place | LexiconFlag.organization) != 0 { return nil }
        return Candidate(type: .person, start: start, end: end, rank: Rank.context)
    }

    /// Only brackets and spaces around [start, end) (end nil: any 2–4 characters from start).
    func isAloneInField(_ s: UnsafeBufferPointer<UInt32>, start: Int, end: Int? = nil) -> Bool {
        func filler(_ v: UInt32) -> Bool { v == 0x20 || v == 0x3000 || v == 0xFF08 || v == 0xFF09 || v == 0x28 || v == 0x29 }
        var a = 0
        while a < start { guard filler(s[a]) else { return false }; a += 1 }
        var e = s.count
        while e > start && filler(s[e - 1]) { e -= 1 }
        if let end { return e == end }
        return (2...4).contains(e - start) && (start..<e).allSatisfy { isHan(s[$0]) }
    }

    static let doctrineWords: [[UInt32]] = ["理论", "思想"].map { $0.unicodeScalars.map(\.value) }

    func startsDoctrine(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Bool {
        Self.doctrineWords.contains { w in i + w.count <= s.count && zip(w.indices, w).allSatisfy { s[i + $0.0] == $0.1 } }
    }

    func hasLeftContext(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Bool {
        lex.personLeft.hasMatchBackward(s, endingAt: i)
    }

    func hasRightContext(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Bool {
        if i >= s.count { return true }
        let v = s[i]
        if v == 0x3001 || v == 0xFF0C || v == 0x2C || v == 0x20 || v == 0xFF08 || v == 0x28 { return true }   // 、，, space (
        return lex.personRight.hasMatch(s, from: i)
    }
}
