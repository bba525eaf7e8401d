import FolioModel
import FolioText

/// Figures and dates as international copy prints them: money with its currency sign before the
/// figure, dates with English month names or in figures (1998-01-20).
extension NumericScanner {
    /// Currency signs before a figure (folded text: letters lower case), longest first, and the unit
    /// the figure is then in: ￥3,000 is 3000 元, HK$2,800 2800 港元, US$57 billion 57000000000 美元.
    static let currencySigns: [([UInt32], String)] = [
        ("us$", "美元"), ("hk$", "港元"), ("nt$", "新台币"), ("$", "美元"), ("¥", "元"), ("￥", "元"), ("€", "欧元"), ("£", "英镑"),
    ].map { ($0.0.unicodeScalars.map(\.value), $0.1) }
    static let englishScales: [([UInt32], Double)] = [(" billion", 1e9), (" million", 1e6), (" thousand", 1e3)]
        .map { ($0.0.unicodeScalars.map(\.value), $0.1) }

    /// A figure with a currency sign before it and no unit after it, as money.
    func money(_ s: UnsafeBufferPointer<UInt32>, number: ParsedNumber, start: Int) -> Candidate? {
        guard let (sign, unit) = Self.currencySigns.first(where: { start >= $0.0.count && matches(s, $0.0, at: start - $0.0.count) }),
              !(start > sign.count && Self.isLatinOrDigit(s[start - sign.count - 1]) && sign.count == 1),   // not a$5
              Numerals.fitsDouble(number.value) else { return nil }
        var value = number.value, end = number.end
        if let (word, scale) = Self.englishScales.first(where: { matches(s, $0.0, at: end) }),
           !(end + word.count < s.count && Self.isLatinOrDigit(s[end + word.count])) {
            value *= scale
            end += word.count
        }
        guard Numerals.fitsDouble(value) else { return nil }
        var c = Candidate(type: .quantity, start: start - sign.count, end: end, rank: Rank.numeric)
        var q = Folio_V1_Quantity()
        q.value = value
        q.unit = unit
        c.setNumeric(normalized: Numerals.format(value) + " " + unit, quantity: q)
        return c
    }

    /// English month names and their abbreviations (folded: lower case), month number by index / 2 + 1.
    static let englishMonths: [[UInt32]] = EnglishMonths.names.flatMap { [$0, String($0.prefix(3))] }
        .map { $0.unicodeScalars.map(\.value) }

    /// A date with an English month name, read from its day's figure: January 10, 1998, Jan. 10
    /// (month before the day, the name just before `start`) or 10 January 1998 (after it). Without
    /// a year, the day nearest the page's, as for 1月10日.
    func englishDate(_ s: UnsafeBufferPointer<UInt32>, at start: Int) -> (Candidate, Int)? {
        func isLetter(_ i: Int) -> Bool { i >= 0 && i < s.count && LatinFragments.isLetter(s[i]) }
        func month(endingAt end: Int) -> (month: Int, start: Int)? {
            for (k, name) in Self.englishMonths.enumerated() where end >= name.count && matches(s, name, at: end - name.count)
                && !isLetter(end - name.count - 1) { return (k / 2 + 1, end - name.count) }
            return nil
        }
        func month(startingAt i: Int) -> (month: Int, end: Int)? {
            for (k, name) in Self.englishMonths.enumerated() where matches(s, name, at: i) && !isLetter(i + name.count) {
                return (k / 2 + 1, i + name.count + (i + name.count < s.count && s[i + name.count] == 0x2E ? 1 : 0))
            }
            return nil
        }
        var day = 0, j = start
        while j < s.count, j - start < 2, Numerals.isArabicDigit(s[j]) { day = day * 10 + Int(s[j] - 0x30); j += 1 }
        guard j < s.count ? !Numerals.isArabicDigit(s[j]) : true else { return nil }
        var m: Int, begin: Int, end = j
        // Month first: "january 10", "jan. 10".
        var k = start - 1
        if k >= 0, s[k] == 0x20 { k -= 1 }
        if k >= 0, s[k] == 0x2E { k -= 1 }
        if k < start - 1, let found = month(endingAt: k + 1) {
            (m, begin) = (found.month, found.start)
        } else if j + 1 < s.count, s[j] == 0x20, let found = month(startingAt: j + 1) {
            (m, begin, end) = (found.month, start, found.end)   // day first: "10 january"
        } else {
            return nil
        }
        // A year after it: ", 1998" or " 1998".
        var year: Int? = nil
        var y = end
        if y < s.count, s[y] == 0x2C { y += 1 }
        if y < s.count, s[y] == 0x20 { y += 1 }
        if y + 4 <= s.count, (y..<(y + 4)).allSatisfy({ Numerals.isArabicDigit(s[$0]) }), !(y + 4 < s.count && Numerals.isArabicDigit(s[y + 4])) {
            let value = (y..<(y + 4)).reduce(0) { $0 * 10 + Int(s[$1] - 0x30) }
            if (1000...2999).contains(value) { (year, end) = (value, y + 4) }
        }
        if year == nil { year = nearestToPage(month: m, day: day)?.year ?? pageYear }
        guard let normalized = Self.iso(year: year, month: m, day: day) else { return nil }
        var c = Candidate(type: .date, start: begin, end: end, rank: Rank.numeric)
        c.normalized = normalized
        return (c, end)
    }

    /// A date in figures as international copy and data print it: 1998-01-20, 1998.1.15, 1998/1/5
    /// (year, month and day; one separator throughout, no figure glued to either end).
    func numericDate(_ s: UnsafeBufferPointer<UInt32>, at start: Int) -> (Candidate, Int)? {
        func digits(_ from: Int, _ most: Int) -> (value: Int, end: Int)? {
            var j = from, value = 0
            while j < s.count, j - from < most, Numerals.isArabicDigit(s[j]) { value = value * 10 + Int(s[j] - 0x30); j += 1 }
            return j > from ? (value, j) : nil
        }
        guard let year = digits(start, 4), year.end - start == 4, (1000...2999).contains(year.value),
              year.end < s.count, [0x2D, 0x2E, 0x2F].contains(s[year.end]) else { return nil }
        let separator = s[year.end]
        guard let month = digits(year.end + 1, 2), month.end < s.count, s[month.end] == separator,
              let day = digits(month.end + 1, 2) else { return nil }
        // Another figure glued on (1998.1.15.3, 2024-01-155) makes it no date.
        if day.end < s.count, Numerals.isArabicDigit(s[day.end]) || (s[day.end] == separator && day.end + 1 < s.count
            && Numerals.isArabicDigit(s[day.end + 1])) { return nil }
        guard let normalized = Self.iso(year: year.value, month: month.value, day: day.value) else { return nil }
        var c = Candidate(type: .date, start: start, end: day.end, rank: Rank.numeric)
        c.normalized = normalized
        return (c, day.end)
    }
}
