import FolioModel
import FolioText

/// Names in Latin script on a Chinese page: a foreign correspondent or a stringer after a
/// reporter's role (`本报记者 Michael Smith`, `（记者 John Smith）`, `特约记者 Anna-Maria Schmidt 王 刚`).
/// The words of one name stand apart by single spaces, which in Han names part two people.
enum LatinNames {
    /// Most words in one name (`Maria de la Cruz Lopez`) and letters in one word.
    static let wordsMax = 5
    static let letters = 2...24
    /// Lower-case words inside a name (`Ludwig van Beethoven`), never its first or last.
    static let particles: Set<String> = ["van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "bin", "al", "el", "dos", "del"]

    /// A capitalised word of letters (inner `-` and `'` allowed: `Anna-Maria`, `O'Brien`) or an
    /// initial (`J.`).
    static func isWord(_ w: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = w.first, isUpper(first) else { return false }
        if w.count == 2, w.last == "." { return true }
        guard letters.contains(w.count), let last = w.last, isLetter(last) else { return false }
        return w.allSatisfy { isLetter($0) || $0 == "-" || $0 == "'" || $0 == "’" }
    }

    /// Where the Latin name starting at `i` ends (exclusive): its words up to a space followed by
    /// anything else. Nil when no name starts there.
    static func end(in s: [Unicode.Scalar], from i: Int) -> Int? {
        guard i >= 0, i < s.count, isUpper(s[i]) else { return nil }
        var words = 0
        var end = i
        var k = i
        while k < s.count, words < wordsMax {
            var j = k
            while j < s.count, !CharacterClass.isSpace(s[j]), s[j].mark != "、", s[j].mark != "，", s[j] != "," { j += 1 }
            let w = s[k..<j]
            let particle = words > 0 && particles.contains(String(String.UnicodeScalarView(w)))
            guard isWord(w) || particle else { break }
            words += 1
            if !particle { end = j }
            // One ASCII space, then the next word of the same name.
            guard j + 1 < s.count, s[j] == " ", !CharacterClass.isSpace(s[j + 1]) else { break }
            k = j + 1
        }
        return end > i ? end : nil
    }

    /// A whole piece is one Latin name (`John Smith`).
    static func isName(_ s: ArraySlice<Unicode.Scalar>) -> Bool {
        let piece = Array(s)
        return end(in: piece, from: 0) == piece.count
    }

    /// A reporter's role, then Latin names only, parted by 、 or a comma (`记者 David Lee `): spaces
    /// in a dateline's reporter list that stand inside names.
    static func afterRole(_ s: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let start = s.firstIndex(where: isUpper) else { return false }
        let role = s[..<start].filter { !CharacterClass.isSpace($0) }
        guard !role.isEmpty, role.allSatisfy(CharacterClass.isHan), PeopleLines.roleLength(Folded.of(role), at: 0) == role.count else { return false }
        let names = s[start...].split { $0.mark == "、" || $0.mark == "，" || $0 == "," }
        return !names.isEmpty && names.allSatisfy { isName(SourceLines.trim(Array($0))[...]) }
    }

    /// Words that make the last comma-parted piece of an English byline the writer's role or paper
    /// (`By Wang Lei, Staff Reporter`, `By Li Ming, China Daily`), not one more name.
    static let bylineRoleWords: Set<String> = ["reporter", "correspondent", "writer", "staff", "editor", "daily",
                                               "news", "agency", "times", "post", "xinhua", "columnist", "contributor"]

    /// An English byline line: `By Wang Lei`, `By Wang Lei and Li Ming`, `BY JOHN SMITH, Staff Reporter`.
    static func byline(_ block: SourceBlock) -> [Folio_V1_Byline]? {
        let s = block.scalars
        guard s.count >= 5, s.count <= 100, s[0] == "B", s[1] == "y" || s[1] == "Y", s[2] == " " else { return nil }
        var pieces = String(String.UnicodeScalarView(s[3...])).components(separatedBy: ", ")
            .flatMap { $0.components(separatedBy: " and ") }.flatMap { $0.components(separatedBy: " & ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var role = ""
        if pieces.count > 1, let last = pieces.last,
           last.split(separator: " ").contains(where: { bylineRoleWords.contains($0.lowercased()) }) {
            role = last
            pieces.removeLast()
        }
        guard !pieces.isEmpty, pieces.allSatisfy({ isName(Array($0.unicodeScalars)[...]) }) else { return nil }
        return pieces.map { name in
            var b = Folio_V1_Byline()
            b.name = name
            b.role = role
            b.line = block.line
            return b
        }
    }

    @inline(__always)
    static func isUpper(_ c: Unicode.Scalar) -> Bool { (0x41...0x5A).contains(c.value) }

    @inline(__always)
    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        (0x41...0x5A).contains(c.value) || (0x61...0x7A).contains(c.value) || (0xC0...0x24F).contains(c.value) && c.value != 0xD7 && c.value != 0xF7
    }
}
