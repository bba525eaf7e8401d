/// English sentences quoted on Chinese pages end with an ASCII full stop (`…the 21st century."`).
/// The scalar alone is no sentence end (decimals `3.5`, a figure cut at its point `增长3.`, `U.S.`,
/// `Mr.`): the word before it decides.
extension CharacterClass {
    /// Abbreviations a name or a figure follows (`Mr. Smith`, `Jan. 5`, `No. 1`): no sentence ends on them.
    @usableFromInline
    static let latinAbbreviations: Set<String> = [
        "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Mt", "Gen", "Gov", "Sen", "Rep", "Lt", "Col", "Capt", "Sgt", "Rev",
        "No", "Nos", "Vol", "vs", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    ]

    @inlinable @inline(__always)
    static func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
        (0x41...0x5A).contains(s.value) || (0x61...0x7A).contains(s.value)
    }

    @inlinable @inline(__always)
    static func isASCIIDigit(_ s: Unicode.Scalar) -> Bool { (0x30...0x39).contains(s.value) }

    /// Past trailing spaces and closing quotes or brackets, `scalars` ends with an ASCII full stop
    /// closing a Latin word of two letters or more that is no abbreviation (`future.`, `WTO.`), or a
    /// figure written in Latin text (`in 1998.`; `增长3.` is a figure of the Chinese prose).
    @inlinable
    public static func endsLatinSentence<S: BidirectionalCollection>(_ scalars: S) -> Bool where S.Element == Unicode.Scalar {
        var i = scalars.endIndex
        while i != scalars.startIndex {
            let j = scalars.index(before: i)
            let s = scalars[j]
            if isSpace(s) || isClosing(s) { i = j; continue }
            guard s == "." else { return false }
            return latinWordBefore(scalars[..<j])
        }
        return false
    }

    /// The text before a full stop ends a Latin word that can end a sentence (`endsLatinSentence`).
    @inlinable
    static func latinWordBefore<S: BidirectionalCollection>(_ before: S) -> Bool where S.Element == Unicode.Scalar {
        var word = String.UnicodeScalarView()
        var k = before.endIndex
        while k != before.startIndex {
            let p = before.index(before: k)
            guard isASCIILetter(before[p]) else { break }
            word.append(before[p])
            k = p
            if word.count > 40 { return true }  // no abbreviation is that long
        }
        if !word.isEmpty {
            // `U.S.`, `e.g.`: one letter between stops is an abbreviation's.
            guard word.count >= 2 else { return false }
            return !latinAbbreviations.contains(String(String.UnicodeScalarView(word.reversed())))
        }
        // Digits: a figure after a Latin word and a space (`in 1998.`), not one in Chinese prose.
        var digits = 0
        while k != before.startIndex {
            let p = before.index(before: k)
            guard isASCIIDigit(before[p]) || (digits > 0 && before[p] == ",") else { break }
            digits += 1
            k = p
            if digits > 20 { return false }
        }
        guard digits > 0, k != before.startIndex else { return false }
        let space = before.index(before: k)
        guard before[space] == " ", space != before.startIndex else { return false }
        let word2 = before[before.index(before: space)]
        return isASCIILetter(word2) || word2 == ","
    }
}
