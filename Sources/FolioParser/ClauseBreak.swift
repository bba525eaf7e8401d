import FolioText

extension Reflow {
    /// The line goes on with a clause begun on the line above: it opens with a mark that closes
    /// something (`”的…`), or with one glyph and a comma, a closing quote or a colon and a quote
    /// (`说，“…`, `王”的…`, `说：“…`). No title and no paragraph starts so, so the short line
    /// above (a paragraph's first line, shortened when the line breaker moved a glyph and its
    /// quote down) is prose running on, not a title.
    static func continuesClause(_ b: [Unicode.Scalar]) -> Bool {
        guard b.count >= 3 else { return false }
        if CharacterClass.cannotStartSentence(b[0]) { return true }
        guard CharacterClass.isHan(b[0]) else { return false }
        switch b[1].mark {
        case "，", "、", ",": return true
        case "：", ":": return CharacterClass.isOpening(b[2])
        default: return CharacterClass.isClosing(b[1])
        }
    }
}

extension Reflow {
    /// The line stops after a comma or an enumeration comma: the sentence goes on below.
    static func endsWithClauseMark(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 2, let last = s.last else { return false }
        return last.mark == "、" || last.mark == "，" || last == ","
    }
}

extension Reflow {
    /// `的` opens no sentence and no title's second line: a line starting with it (but `的确`,
    /// indeed) goes on the phrase of the line above (`某某资助贫困学生读书` / `的“爱心行动”发起于…`).
    static func continuesPhrase(_ b: [Unicode.Scalar]) -> Bool {
        guard b.count >= 2, b[0] == "的" else { return false }
        return b[1] != "确" && b[1] != "確"
    }
}

extension Reflow {
    /// An English sentence wrapped over lines (`Markets (in Asia)` / `are stabilizing.`): a line
    /// ending in a Latin word or mark, not a sentence end, over one opening with a lower-case word.
    /// No English sentence and no title starts lower-case.
    static func continuesLatinSentence(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        guard b.count >= 2, (0x61...0x7A).contains(b[0].value), (0x61...0x7A).contains(b[1].value) || b[1] == " ",
              let last = a.last(where: { !CharacterClass.isClosing($0) }), last.value < 0x80,
              CharacterClass.isLatin(last) || CharacterClass.isDigit(last) || last == "," || last == ";" else { return false }
        return !CharacterClass.endsSentence(a)
    }
}
