import FolioModel
import FolioText

/// The page header printed above the stories (`人民日报　1998年1月4日　星期日　第4版　要闻`,
/// `某某日报/2024 年/4 月/1 日/第 A02 版综合新闻`), on one line or, as `pdftotext` splits it,
/// one piece per line. It is page metadata, never an article.
public struct Masthead: Equatable {
    var publication = ""
    var date = ""        // YYYY-MM-DD
    var pageLabel = ""   // "2", "A02"
    var section = ""
    /// Leading source blocks the header takes.
    var blockCount = 0

    /// Header lines are looked for among the first few blocks only.
    static let searchLimit = 8
    /// Text left over on a header line after its fields (the section name) is at most this long.
    static let sectionMax = 6

    /// The header at the top of `blocks`, or nil: at least two different header fields
    /// (page label, date, weekday, publication) in lines that hold little else.
    static func find(in blocks: [SourceBlock]) -> Masthead? {
        find(lines: blocks.prefix(searchLimit + 1).map(\.scalars))
    }

    static func find(lines blocks: [[Unicode.Scalar]]) -> Masthead? {
        var m = Masthead()
        var kinds = 0
        var leftoverSeen = false
        var k = 0
        while k < min(blocks.count, searchLimit) {
            var fields = HeaderFields(blocks[k])
            let found = fields.extract()
            guard found > 0, fields.rest.count <= sectionMax else { break }
            if !fields.publication.isEmpty, m.publication.isEmpty { m.publication = fields.publication; kinds += 1 }
            if !fields.date.isEmpty, m.date.isEmpty { m.date = fields.date; kinds += 1 }
            if !fields.pageLabel.isEmpty, m.pageLabel.isEmpty { m.pageLabel = fields.pageLabel; kinds += 1 }
            if fields.weekday { kinds += 1 }
            if !fields.rest.isEmpty {
                leftoverSeen = true
                if m.section.isEmpty { m.section = Folded.string(fields.rest) }
            }
            k += 1
        }
        guard kinds >= 2 else { return nil }
        // Split into one piece per line, the section name stands alone after the fields.
        if !leftoverSeen, k < blocks.count {
            let s = blocks[k]
            if s.count <= sectionMax, s.allSatisfy({ CharacterClass.isHan($0) || $0 == "·" }) {
                m.section = Folded.string(s)
                k += 1
            }
        }
        m.blockCount = k
        return m
    }

    /// The page label a page header line gives (`第八版`, `第 A02 版` → `8`, `A02`), empty when none:
    /// for a PDF without page labels of its own, whose pages poppler numbers 1, 2, 3….
    public static func pageLabel(inHeader line: String) -> String {
        find(lines: [Array(line.unicodeScalars)])?.pageLabel ?? ""
    }

    /// Fills the fields `info` does not have yet.
    func fill(_ info: inout Folio_V1_PageInfo) {
        if info.publication.isEmpty { info.publication = publication }
        if info.date.isEmpty { info.date = date }
        if info.pageLabel.isEmpty { info.pageLabel = pageLabel }
        if info.section.isEmpty { info.section = section }
    }
}

/// Header fields found in one line; what is left is `rest` (spaces and slashes dropped).
struct HeaderFields {
    var rest: [Unicode.Scalar]
    var publication = ""
    var date = ""
    var pageLabel = ""
    var weekday = false

    /// Per scalar of `rest`: a separator stood right before it in the line (a word starts there).
    private var startsWord: [Bool] = []

    init(_ s: [Unicode.Scalar]) {
        var separated = false
        rest = []
        for c in s {
            if CharacterClass.isSpace(c) || c == "/" || c == "／" || c == "|" || c == "｜" {
                separated = true
                continue
            }
            rest.append(c)
            startsWord.append(separated)
            separated = false
        }
    }

    /// Takes the fields out of `rest`; returns how many were found.
    mutating func extract() -> Int {
        var found = 0
        if let r = pageLabelRange() { found += 1; remove(r) }
        if let r = dateRange() { found += 1; remove(r) }
        if let r = weekdayRange() { weekday = true; found += 1; remove(r) }
        if let r = publicationRange() { found += 1; remove(r) }
        return found
    }

    private mutating func remove(_ r: Range<Int>) {
        rest.removeSubrange(r)
        startsWord.removeSubrange(r)
    }

    static let chineseDigits: [Unicode.Scalar: Int] = ["〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
                                                       "六": 6, "七": 7, "八": 8, "九": 9, "十": 10]

    /// `第4版`, `第 A04 版`, `第十二版` → "4", "A04", "12".
    private mutating func pageLabelRange() -> Range<Int>? {
        let s = rest
        for i in s.indices where s[i] == "第" {
            var j = i + 1
            var label: [Unicode.Scalar] = []
            var chinese: [Int] = []
            while j < s.count, j - i <= 6 {
                let c = s[j]
                if let d = CharacterClass.digitValue(c) { label.append(Unicode.Scalar(UInt8(48 + d))) } else if let letter = Self.upperLatin(c) {
                    label.append(letter)
                } else if let v = Self.chineseDigits[c] { chinese.append(v) } else { break }
                j += 1
            }
            guard j < s.count, s[j] == "版", !(label.isEmpty && chinese.isEmpty) else { continue }
            if label.isEmpty { pageLabel = String(Self.chineseNumber(chinese)) } else { pageLabel = String(String.UnicodeScalarView(label)) }
            return i..<(j + 1)
        }
        return nil
    }

    /// A Latin letter (half or full width) as upper-case ASCII.
    static func upperLatin(_ c: Unicode.Scalar) -> Unicode.Scalar? {
        var v = c.value
        if (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v) { v -= 0xFEE0 }
        if (0x61...0x7A).contains(v) { v -= 0x20 }
        return (0x41...0x5A).contains(v) ? Unicode.Scalar(v) : nil
    }

    /// 十二 → 12, 二十 → 20, 三 → 3.
    static func chineseNumber(_ d: [Int]) -> Int {
        var total = 0, cur = 0
        for v in d {
            if v == 10 { total += (cur == 0 ? 1 : cur) * 10; cur = 0 } else { cur = cur * 10 + v }
        }
        return total + cur
    }

    /// `1998年1月4日` (digits full or half width) → "1998-01-04".
    private mutating func dateRange() -> Range<Int>? {
        let s = rest
        func number(_ from: Int, max: Int) -> (Int, Int)? {
            var v = 0, j = from
            while j < s.count, j - from < max, let d = CharacterClass.digitValue(s[j]) { v = v * 10 + d; j += 1 }
            return j > from ? (v, j) : nil
        }
        var i = 0
        while i < s.count {
            if let (y, a) = number(i, max: 4), a - i == 4, a < s.count, s[a] == "年",
               let (m, b) = number(a + 1, max: 2), b < s.count, s[b] == "月",
               let (d, c) = number(b + 1, max: 2), c < s.count, s[c] == "日",
               (1...12).contains(m), (1...31).contains(d) {
                // Still the header's date field, but only a day the calendar has dates the page (2月31日 is a typo).
                let day = "\(y)-" + (m < 10 ? "0\(m)" : "\(m)") + "-" + (d < 10 ? "0\(d)" : "\(d)")
                if CalendarDay.isValid(day) { date = day }
                return i..<(c + 1)
            }
            i += 1
        }
        return nil
    }

    private func weekdayRange() -> Range<Int>? {
        let s = rest
        for i in s.indices.dropLast(2) where s[i] == "星" && s[i + 1] == "期" && "一二三四五六日天".unicodeScalars.contains(s[i + 2]) {
            return i..<(i + 3)
        }
        return nil
    }

    /// A paper's name: two to four characters then 日报 / 晚报 (either script); else, at the
    /// head of the line, two to five characters then 报 (`某某都市报`, `某某商报`).
    private mutating func publicationRange() -> Range<Int>? {
        let s = rest
        for j in s.indices.dropFirst() where (s[j] == "报" || s[j] == "報") && (s[j - 1] == "日" || s[j - 1] == "晚") {
            var i = j - 1
            // The name does not reach over a space (`理论　人民日报`: a section, then the paper).
            while i > 0, j - 1 - i < 4, CharacterClass.isHan(s[i - 1]), !startsWord[i] { i -= 1 }
            guard j - 1 - i >= 2 else { continue }
            publication = String(String.UnicodeScalarView(s[i...j]))
            return i..<(j + 1)
        }
        var j = 0
        while j < s.count, j <= 5, CharacterClass.isHan(s[j]), s[j] != "报", s[j] != "報" { j += 1 }
        if j >= 2, j <= 5, j < s.count, s[j] == "报" || s[j] == "報" {
            publication = String(String.UnicodeScalarView(s[0...j]))
            return 0..<(j + 1)
        }
        return nil
    }
}
