import FolioText

/// Lines that open an item of a list: a bullet (`●`), an enumerator (`３·`, `２．`, `一、`,
/// `十二、`, `（三）`). After a line that ends a sentence or a colon such a line starts a new
/// paragraph, whatever its width (numbered clauses and bullet points are paragraphs in PFR).
enum ListItems {
    static let bullets: Set<Unicode.Scalar> = ["●", "◆", "▲", "★"]
    static let numerals: Set<Unicode.Scalar> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    /// Marks after an Arabic number: the dot must not start a decimal (`３．５万`).
    static let numberMarks: Set<Unicode.Scalar> = ["·", "、", "．", "."]

    /// A row of a table set in text: three cells or more, each gap two spaces or more
    /// (`北京　　１２５　　总悬浮颗粒物`). Never a title, and never joined to the rows around it.
    static func isTableRow(_ s: [Unicode.Scalar]) -> Bool { rowGaps(s) >= tableRowGaps }

    /// Runs of two spaces or more before text: a table's cells apart. Lines trimmed of spaces
    /// joined by at most one space add up their counts.
    static func rowGaps(_ s: [Unicode.Scalar]) -> Int {
        s.withUnsafeBufferPointer { s in
            // Asked of every paragraph, which seldom has two spaces: they are counted first.
            guard spaceCount(s) >= 2 else { return 0 }
            var gaps = 0, run = 0
            for c in s {
                if CharacterClass.isSpace(c) { run += 1; continue }
                if run >= 2 { gaps += 1 }
                run = 0
            }
            return gaps
        }
    }
    static let tableRowGaps = 2

    /// How many scalars `CharacterClass.isSpace` takes, without a branch (the compiler runs the
    /// loop on vectors): 0x09 and 0x0B–0x0D, U+0020, U+00A0, U+3000, U+FEFF.
    private static func spaceCount(_ s: UnsafeBufferPointer<Unicode.Scalar>) -> Int {
        guard let p = s.baseAddress else { return 0 }
        var count: UInt32 = 0
        for i in 0..<s.count {
            let v = p[i].value
            let control: UInt32 = (v &- 0x09 < 5 ? 1 : 0) & (v != 0x0A ? 1 : 0)
            count &+= control | (v == 0x20 ? 1 : 0) | (v == 0xA0 ? 1 : 0) | (v == 0x3000 ? 1 : 0) | (v == 0xFEFF ? 1 : 0)
        }
        return Int(count)
    }

    /// Labels that open a turn of an interview (`问：`, `记者：`): the line is a quoted turn, not a title.
    static let speakerLabels: [[Unicode.Scalar]] = ["问", "答", "记者", "本报记者", "主持人"].map { Folded.scalars($0) }

    static func opensSpeakerTurn(_ s: [Unicode.Scalar]) -> Bool {
        speakerLabels.contains { label in
            s.count > label.count + 1 && Folded.has(s, label) && (s[label.count].mark == "：" || s[label.count] == ":")
        }
    }

    /// An item that another item ended with a clause mark goes on from: an enumerator, a numbered
    /// article of a law (`第二条`), a dash (`——`).
    static func opensNextItem(_ s: [Unicode.Scalar]) -> Bool {
        if opensItem(s) { return true }
        if s.count >= 3, s[0].mark == "—", s[1].mark == "—", s[2].mark != "—" { return true }
        guard s.first == "第" else { return false }
        var k = 1
        while k < s.count, k <= 4, numerals.contains(s[k]) || s[k] == "百" || CharacterClass.isDigit(s[k]) { k += 1 }
        return k > 1 && k < s.count && (s[k] == "条" || s[k] == "條" || s[k] == "款" || s[k] == "章")
    }

    static func opensItem(_ s: [Unicode.Scalar]) -> Bool {
        guard let first = s.first else { return false }
        if bullets.contains(first) { return true }
        if first.mark == "（" || first == "(" {
            var k = 1
            while k < s.count, k <= 3, numerals.contains(s[k]) || CharacterClass.isDigit(s[k]) { k += 1 }
            return k > 1 && k < s.count && (s[k].mark == "）" || s[k] == ")")
        }
        var k = 0
        if CharacterClass.isDigit(first) {
            while k < s.count, k < 3, CharacterClass.isDigit(s[k]) { k += 1 }
            guard k <= 2, k + 1 < s.count, numberMarks.contains(s[k]) else { return false }
            return !CharacterClass.isDigit(s[k + 1])
        }
        while k < s.count, k < 4, numerals.contains(s[k]) { k += 1 }
        return k >= 1 && k <= 3 && k + 1 < s.count && s[k].mark == "、"
    }
}
