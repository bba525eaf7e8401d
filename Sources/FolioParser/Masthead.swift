import FolioModel
import FolioText

/// The page header printed above the stories (`人民日报　1998年1月4日　星期日　第4版　要闻`,
/// `某某日报/2024 年/4 月/1 日/第 A02 版综合新闻`), on one line or, as `pdftotext` splits it,
/// one piece per line. It is page metadata, never an article.
public struct Masthead {
    var publication = ""
    var date = ""        // YYYY-MM-DD
    var pageLabel = ""   // "2", "A02"
    var section = ""
    /// Staff credits printed in the header (`责任编辑：王小明`), with the line they stood on (an index
    /// into the lines given to `find(lines:)`; a source line from `find(in:)`).
    var credits: [(text: String, line: Int)] = []
    /// Leading source blocks the header takes.
    var blockCount = 0

    /// Header lines are looked for among the first few blocks only.
    static let searchLimit = 8
    /// Text left over on a header line after its fields (the section name) is at most this long.
    static let sectionMax = 6

    /// The header at the top of `blocks`, or nil: at least two different header fields
    /// (page label, date, weekday, publication) in lines that hold little else.
    static func find(in blocks: [SourceBlock]) -> Masthead? {
        guard var m = find(lines: blocks.prefix(searchLimit + 1).map(\.scalars)) else { return nil }
        m.credits = m.credits.map { ($0.text, Int(blocks[$0.line].line)) }
        return m
    }

    /// The header's staff credits as the page's credits (`line`: 1-based source lines, as `find(in:)` gives them).
    var pageCredits: [Folio_V1_Credit] {
        credits.map { credit in
            var c = Folio_V1_Credit()
            c.text = credit.text
            c.line = UInt32(clamping: credit.line)
            return c
        }
    }

    static func find(lines blocks: [[Unicode.Scalar]]) -> Masthead? {
        var m = Masthead()
        var kinds = 0
        var leftoverSeen = false
        var k = 0
        while k < min(blocks.count, searchLimit) {
            let (line, credits) = StaffCredits.split(blocks[k])
            var fields = HeaderFields(line)
            let found = fields.extract()
            // A line of staff credits alone goes with the header lines above it.
            if found == 0, !credits.isEmpty, fields.rest.isEmpty, kinds > 0 {
                m.credits += credits.map { ($0, k) }
                k += 1
                continue
            }
            guard found > 0, sectionLength(fields.rest) <= sectionMax else { break }
            m.credits += credits.map { ($0, k) }
            if !fields.publication.isEmpty, m.publication.isEmpty { m.publication = fields.publication; kinds += 1 }
            if !fields.date.isEmpty, m.date.isEmpty { m.date = fields.date; kinds += 1 }
            if !fields.pageLabel.isEmpty, m.pageLabel.isEmpty { m.pageLabel = fields.pageLabel; kinds += 1 }
            if fields.weekday { kinds += 1 }
            if !fields.rest.isEmpty {
                leftoverSeen = true
                if m.section.isEmpty { m.section = sectionName(fields.rest) }
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

    /// How long a section name is: a word of Latin letters (`Science 科学`, a bilingual rubric)
    /// counts as one character.
    static func sectionLength(_ rest: [Unicode.Scalar]) -> Int {
        var length = 0
        for (k, c) in rest.enumerated() where !(isLatin(c) && k > 0 && isLatin(rest[k - 1])) { length += 1 }
        return length
    }

    /// The section name, with a space where a Latin word meets Chinese (`Science 科学`).
    static func sectionName(_ rest: [Unicode.Scalar]) -> String {
        var out = String.UnicodeScalarView()
        for (k, c) in rest.enumerated() {
            if k > 0, isLatin(c) != isLatin(rest[k - 1]) { out.append(" ") }
            out.append(c)
        }
        return Folded.string(Array(out))
    }

    private static func isLatin(_ c: Unicode.Scalar) -> Bool { HeaderFields.upperLatin(c) != nil }

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
        // The Latin name of the paper (`China Daily`, the Latin half of `PEOPLE'S DAILY 人民日报`).
        if let (r, name) = latinPublicationRange() {
            if publication.isEmpty { publication = name; found += 1 }
            remove(r)
        }
        return found
    }

    /// Last words of a paper's Latin name (general knowledge of mastheads), upper-cased.
    static let paperWords: Set<String> = ["DAILY", "TIMES", "NEWS", "POST", "HERALD", "JOURNAL", "TRIBUNE", "EXPRESS",
                                          "GAZETTE", "STANDARD", "WEEKLY", "EVENING", "TELEGRAPH", "CHRONICLE", "REVIEW"]
    /// Most words in a paper's Latin name (`South China Morning Post`).
    static let paperNameWords = 5

    /// Latin words ending in a paper word (`paperWords`), read from where a word starts; the
    /// name as printed, its words parted by one space.
    private func latinPublicationRange() -> (Range<Int>, String)? {
        let s = rest
        var words: [Range<Int>] = []   // the run of Latin words so far
        var i = 0
        while i < s.count {
            guard Self.upperLatin(s[i]) != nil, i == 0 || startsWord[i] || Self.upperLatin(s[i - 1]) == nil else {
                if Self.upperLatin(s[i]) == nil { words.removeAll() }
                i += 1
                continue
            }
            var j = i + 1
            while j < s.count, !startsWord[j], Self.upperLatin(s[j]) != nil || s[j] == "'" || s[j] == "’" || s[j] == "." || s[j] == "&" { j += 1 }
            words.append(i..<j)
            if words.count > Self.paperNameWords { words.removeFirst() }
            let word = String(String.UnicodeScalarView(s[i..<j].compactMap(Self.upperLatin)))
            // A paper word alone (`NEWS`) may be a section's Latin name.
            if Self.paperWords.contains(word), words.count >= 2 {
                let name = words.map { String(String.UnicodeScalarView(s[$0])) }.joined(separator: " ")
                return (words[0].lowerBound..<j, name)
            }
            i = j
        }
        return nil
    }

    private mutating func remove(_ r: Range<Int>) {
        rest.removeSubrange(r)
        startsWord.removeSubrange(r)
        // A field taken out parts the words around it (`China Daily/…/第 A3 版Business`).
        if r.lowerBound < startsWord.count { startsWord[r.lowerBound] = true }
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
        // Without 第: a word of Latin letters and digits, with a digit, right before 版 (`A2版`, `B12 版`).
        for i in s.indices where i == 0 || startsWord[i] {
            var j = i
            var label: [Unicode.Scalar] = []
            while j < s.count, j - i < 4 {
                if let d = CharacterClass.digitValue(s[j]) { label.append(Unicode.Scalar(UInt8(48 + d))) } else if let letter = Self.upperLatin(s[j]) {
                    label.append(letter)
                } else { break }
                j += 1
            }
            guard j < s.count, s[j] == "版", label.contains(where: { $0.value >= 0x30 && $0.value <= 0x39 }) else { continue }
            pageLabel = String(String.UnicodeScalarView(label))
            return i..<(j + 1)
        }
        // Hong Kong and Taiwan headers: a word of its own, one letter and one or two digits (`A2`, `B12`).
        for i in s.indices where (i == 0 || startsWord[i]) && i + 2 <= s.count {
            guard let letter = Self.upperLatin(s[i]) else { continue }
            var j = i + 1
            var label = [letter]
            while j < s.count, j - i <= 2, let d = CharacterClass.digitValue(s[j]) {
                label.append(Unicode.Scalar(UInt8(48 + d)))
                j += 1
            }
            guard label.count >= 2, j == s.count || startsWord[j] else { continue }
            pageLabel = String(String.UnicodeScalarView(label))
            return i..<j
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

    /// The header's date: year, 年, month, 月, day, 日 (or 号), each number in Arabic digits (full
    /// or half width) or in Chinese numerals (`1998年1月4日`, `二〇二四年四月一日` → "1998-01-04",
    /// "2024-04-01"). The year is four digits written one by one, or a year of the Republic of
    /// China era after 民国 / 中华民国 (either script; `中華民國113年4月1日`, `民國一百一十三年…`,
    /// 元年 for the first), which is that many years after 1911. The era's name is part of the field.
    private mutating func dateRange() -> Range<Int>? {
        let s = rest
        var i = 0
        while i < s.count {
            var yearStart = i
            var republic = false
            if let era = Self.republicEra(s, at: i) { yearStart = i + era; republic = true }
            var year: Int?, a = yearStart
            if republic, yearStart < s.count, s[yearStart] == "元" {
                (year, a) = (1 + Self.republicEpoch, yearStart + 1)
            } else if let (y, end, plain) = Self.numeral(s, at: yearStart) {
                if republic, (1...300).contains(y) {
                    (year, a) = (y + Self.republicEpoch, end)
                } else if !republic, plain, end - yearStart == 4 {
                    (year, a) = (y, end)
                }
            }
            // ISO form, digits and hyphens (`1998-01-06`).
            if !republic, let (y, e1, plain) = Self.numeral(s, at: i), plain, e1 - i == 4, e1 < s.count, s[e1] == "-",
               let (m, e2, _) = Self.numeral(s, at: e1 + 1), e2 - e1 <= 3, e2 < s.count, s[e2] == "-",
               let (d, e3, _) = Self.numeral(s, at: e2 + 1), e3 - e2 <= 3, e3 - e2 >= 2,
               e3 == s.count || CharacterClass.digitValue(s[e3]) == nil, (1...12).contains(m), (1...31).contains(d) {
                let day = "\(y)-" + (m < 10 ? "0\(m)" : "\(m)") + "-" + (d < 10 ? "0\(d)" : "\(d)")
                if CalendarDay.isValid(day) { date = day }
                return i..<e3
            }
            if let y = year, a < s.count, s[a] == "年",
               let (m, b, _) = Self.numeral(s, at: a + 1), b < s.count, s[b] == "月",
               let (d, c, _) = Self.numeral(s, at: b + 1), c < s.count, s[c] == "日" || s[c] == "号" || s[c] == "號",
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

    /// The Gregorian year before the Republic of China's first (民国元年 is 1912).
    static let republicEpoch = 1911
    static let republicNames: [[Unicode.Scalar]] = ["中华民国", "中華民國", "民国", "民國"].map { Array($0.unicodeScalars) }

    /// The length of the era name 民国 / 中华民国 (either script) at `i`, nil when none.
    static func republicEra(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        republicNames.first { Folded.has(s, $0, at: i) }?.count
    }

    /// A number at `i` and where it ends: Arabic digits (full or half width), or Chinese numerals
    /// with 十 and 百 (四, 十二, 三十一, 一百一十三) or written digit by digit (二〇二四). `plain`:
    /// digits one by one, with no 十 or 百.
    static func numeral(_ s: [Unicode.Scalar], at from: Int) -> (value: Int, end: Int, plain: Bool)? {
        var v = 0, j = from
        while j < s.count, j - from < 4, let d = CharacterClass.digitValue(s[j]) { v = v * 10 + d; j += 1 }
        if j > from { return (v, j, true) }
        var total = 0, current = 0, sawUnit = false
        while j < s.count, j - from < 6, let d = chineseDigits[s[j]] ?? (s[j] == "百" ? 100 : nil) {
            if d >= 10 {
                total += (current == 0 ? 1 : current) * d
                current = 0
                sawUnit = true
            } else {
                current = sawUnit ? d : current * 10 + d
            }
            j += 1
        }
        return j > from ? (total + current, j, !sawUnit) : nil
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
        // One character before 報 only as a word of its own (`明報`, `成報`).
        let least = j + 1 == s.count || (j + 1 < s.count && startsWord[j + 1]) ? 1 : 2
        if j >= least, j <= 5, j < s.count, s[j] == "报" || s[j] == "報" {
            publication = String(String.UnicodeScalarView(s[0...j]))
            return 0..<(j + 1)
        }
        return nil
    }
}
