import FolioModel
import Foundation
import FolioText

/// Datelines at the head of an article's first paragraph:
/// `本報訊 記者崔治報道`, `報訊` (first glyph lost), `本报北京１月４日讯记者江世杰报道：`,
/// `新华社贵阳１２月３１日电（记者刘子富）`, `据新华社华盛顿１月５日电`.
enum DatelineParser {
    struct Match {
        var dateline: Folio_V1_Dateline
        var length: Int  // scalars consumed from the paragraph (dateline and following spaces)
    }

    static let agencies: [[Unicode.Scalar]] = ["据新华社", "新华社", "中新社", "据本报", "本报", "据中新社"]
        .map { Array($0.unicodeScalars) }
    static let news: Unicode.Scalar = "讯"
    static let wire: Unicode.Scalar = "电"
    static let lostGlyphForm = Folded.scalars("报讯")
    static let reported = Folded.scalars("报道")
    static let reportedTaiwan = Folded.scalars("报导")  // 報導
    static let ownReporter = Folded.scalars("本报记者")
    static let ownCorrespondent = Folded.scalars("本报通讯员")
    /// The folded first glyphs a dateline can start with.
    static let openers = Set(agencies.map { $0[0] } + [lostGlyphForm[0]])
    /// `openers` as a list: asked of every line, a few comparisons cost less than a hash.
    private static let openerList = Array(openers)

    /// Recognises a dateline at the start of `s`; `pageDate` (YYYY-MM-DD) resolves the printed date.
    static func parse(_ s: [Unicode.Scalar], line: UInt32, pageDate: String?) -> Match? {
        // Most lines are not datelines: decided by the first glyph before anything is copied.
        if let first = s.first, opensBracketed(first) { return bracketed(s, line: line, pageDate: pageDate) }
        if let first = s.first, LatinNames.isUpper(first) { return LatinDateline.parse(s, line: line, pageDate: pageDate) }
        guard s.count >= lostGlyphForm.count, let first = s.first else { return nil }
        let known = openerList.contains(Folded.fold.fold(first))
            && (opensWith(s, lostGlyphForm) || agencies.contains(where: { opensWith(s, $0) }))
        let other = known ? nil : OtherAgencies.nameLength(s)
        guard known || other != nil else { return nil }
        let f = Folded.of(Array(s.prefix(80)))
        var d = Folio_V1_Dateline()
        d.line = line
        var i: Int
        if Folded.has(f, lostGlyphForm) {
            // 報訊 / 报讯 at the very start: the 本 was lost in extraction.
            d.agency = "本" + Folded.string(s[0..<2])
            d.repaired = true
            i = 2
        } else {
            if let other {
                i = other
            } else {
                guard let agency = agencies.first(where: { Folded.has(f, $0) }) else { return nil }
                i = agency.count
            }
            // Place and date up to 讯/电, no punctuation, at most 14 glyphs.
            var j = i
            while j < f.count, j - i <= 14, f[j] != news, f[j] != wire {
                if CharacterClass.isPunctuation(f[j]) || CharacterClass.isSpace(f[j]) { return nil }
                j += 1
            }
            guard j < f.count, f[j] == news || f[j] == wire else { return nil }
            if other != nil, !OtherAgencies.placeAndDate(f, i, j) { return nil }
            d.agency = Folded.string(s[0..<i])
            if j == i {
                d.agency = Folded.string(s[0...j])  // 本报讯 / 新华社电
            } else {
                splitPlaceAndDate(s[i..<j], into: &d, pageDate: pageDate)
            }
            i = j + 1
        }
        // Reporters: （记者刘子富） or [本报]记者崔治报道[：]. A list that opens with another
        // organisation (新华社记者胡晓梦、本报记者吴…报道) is read for names but left in the text.
        var k = i
        while k < f.count, CharacterClass.isSpace(f[k]) { k += 1 }
        if k < f.count, f[k].mark == "（" || f[k] == "(" {
            if let close = f[k...].firstIndex(where: { $0.mark == "）" || $0 == ")" }), close - k <= 31 {
                d.reporters = PeopleLines.reporterNames(s[(k + 1)..<close])
                k = close + 1
            }
        } else if let rep = Folded.find(f, reported, from: k) ?? Folded.find(f, reportedTaiwan, from: k), rep - k <= 30 {
            let span = f[k..<rep]
            let plain = !span.contains(where: { $0.mark == "，" || $0 == "," || $0.mark == "。" || $0.mark == "：" || $0 == ":" })
            if plain && (Folded.has(f, ownReporter, at: k) || Folded.has(f, PeopleLines.reporterWord, at: k)
                         || Folded.has(f, ownCorrespondent, at: k) || Folded.has(f, PeopleLines.correspondentWord, at: k))
                && (!span.contains(where: { CharacterClass.isSpace($0) }) || LatinNames.afterRole(s[k..<rep])) {
                d.reporters = PeopleLines.reporterNames(s[k..<rep])
                k = rep + reported.count
            } else if plain && startsWithReporterList(f, k) {
                d.reporters = PeopleLines.reporterNames(s[k..<rep])
            }
        }
        while k < f.count, CharacterClass.isSpace(f[k]) || f[k].mark == "：" || f[k] == ":" { k += 1 }
        d.text = Folded.string(SourceLines.trim(Array(s[0..<k])))
        return Match(dateline: d, length: k)
    }

    /// Whether `s` folded starts with `prefix` (folded), no folded copy made: most lines that open
    /// with 本, 中, 新 or 据 open no dateline.
    private static func opensWith(_ s: [Unicode.Scalar], _ prefix: [Unicode.Scalar]) -> Bool {
        guard s.count >= prefix.count else { return false }
        for k in prefix.indices where Folded.fold.fold(s[k]) != prefix[k] { return false }
        return true
    }

    /// An organisation name followed by 记者 (中央人民广播电台记者刘振英) also opens a reporter list.
    private static func startsWithReporterList(_ f: [Unicode.Scalar], _ k: Int) -> Bool {
        guard let r = Folded.find(f, PeopleLines.reporterWord, from: k) else { return false }
        return r - k <= 12 && !f[k..<r].contains(where: { CharacterClass.isPunctuation($0) })
    }

    static let chineseDigits: [Unicode.Scalar: Int] = [
        "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
        "元": 1,
    ]

    static func isDateStart(_ c: Unicode.Scalar) -> Bool {
        CharacterClass.isDigit(c) || (chineseDigits[c] != nil && c != "元")
    }

    /// Numerals at `k` that run up to 年, 月 or 日: a date's start (四川, 三峡, 十三陵 are places).
    static func opensDate(_ s: [Unicode.Scalar], at k: Int) -> Bool {
        guard isDateStart(s[k]) else { return false }
        var j = k
        while j < s.count && isDateStart(s[j]) { j += 1 }
        return j < s.count && (s[j] == "年" || s[j] == "月" || s[j] == "日")
    }

    /// `北京１月４日` → place 北京, date １月４日 (normalized against the page date).
    static func splitPlaceAndDate(_ s: ArraySlice<Unicode.Scalar>, into d: inout Folio_V1_Dateline, pageDate: String?) {
        let arr = Array(s)
        let hasDay = arr.contains("日") || arr.contains("月")
        var cut = arr.count
        if hasDay, let first = arr.indices.first(where: { opensDate(arr, at: $0) }) { cut = first }
        d.place = Folded.string(arr[0..<cut])
        d.date = Folded.string(arr[cut...])
        if let iso = normalize(date: Array(arr[cut...]), pageDate: pageDate) { d.normalizedDate = iso }
    }

    /// Month and day written in digits or Chinese numerals; the year comes from the page date
    /// (a December dateline on a January page is the previous year).
    static func normalize(date: [Unicode.Scalar], pageDate: String?) -> String? {
        guard let m = date.firstIndex(of: "月"), let dEnd = date.firstIndex(of: "日"), m < dEnd else { return nil }
        guard let month = number(date[0..<m]), let day = number(date[(m + 1)..<dEnd]) else { return nil }
        return resolve(month: month, day: day, pageDate: pageDate)
    }

    /// The ISO day of a month and day printed without a year, in the page's year (a December
    /// dateline on a January page is the previous year's).
    static func resolve(month: Int, day: Int, pageDate: String?) -> String? {
        guard let pageDate, pageDate.count == 10, (1...12).contains(month), (1...31).contains(day),
              let year = Int(pageDate.prefix(4)), let pageMonth = Int(pageDate.dropFirst(5).prefix(2)) else { return nil }
        let iso = isoDate(month > pageMonth + 1 ? year - 1 : year, month, day)
        return CalendarDay.isValid(iso) ? iso : nil   // ２月３０日: printed, but no day to resolve to
    }

    /// `String(format: "%04d-%02d-%02d")` without Foundation's formatter (a dateline a story).
    static func isoDate(_ y: Int, _ m: Int, _ d: Int) -> String {
        guard (0...9999).contains(y), (0...99).contains(m), (0...99).contains(d) else {
            return String(format: "%04d-%02d-%02d", y, m, d)
        }
        func digits(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: n - s.count) + s
        }
        return digits(y, 4) + "-" + digits(m, 2) + "-" + digits(d, 2)
    }

    static func number(_ s: ArraySlice<Unicode.Scalar>) -> Int? {
        guard !s.isEmpty else { return nil }
        if s.allSatisfy(CharacterClass.isDigit) {
            return s.reduce(0) { $0 * 10 + (CharacterClass.digitValue($1) ?? 0) }
        }
        // 十二, 三十一, 二十, 十
        var total = 0, current = 0
        for c in s {
            guard let v = chineseDigits[c] else { return nil }
            if v == 10 { total += (current == 0 ? 1 : current) * 10; current = 0 } else { current = v }
        }
        return total + current
    }
}
