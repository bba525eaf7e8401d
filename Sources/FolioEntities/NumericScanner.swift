import FolioText
import FolioModel

/// Dates and quantities: numbers (Arabic, full-width, Chinese) followed by 年/月/日 or by a
/// unit, and the relative years 今年 / 去年 / 明年 resolved against the page date.
struct NumericScanner {
    let units: ScalarTrie
    /// Bitset over BMP characters that may open a date or a figure (buildStarts): the main loop
    /// skips every other character with one load.
    let starts: [UInt64]
    let pageYear: Int?
    let pageMonth: Int?
    /// The page's day, when its date is a whole one: a date printed without its year (or month) is
    /// the one nearest to it.
    var pageDay: CalendarDay? = nil
    /// The text is in Traditional characters (`EntityRecognizer.isTraditional`): a year of two or
    /// three digits before a month (八十七年二月一日, 113年3月1日) is there a year of the Republic of
    /// China era, as Taiwan papers print it without 民國.
    var traditional = false

    static let yearWord: UInt32 = 0x5E74     // 年
    static let decadeWord: UInt32 = 0x4EE3   // 代
    static let monthWord: UInt32 = 0x6708    // 月
    static let dayWords: [UInt32] = [0x65E5, 0x53F7]   // 日 号
    static let approx: [UInt32] = [0x4F59, 0x591A]     // 余 多
    static let ordinal: UInt32 = 0x7B2C      // 第
    static let about: [[UInt32]] = ["约", "近", "逾", "超过", "约合"].map { $0.unicodeScalars.map(\.value) }
    static let belowZero: [UInt32] = "零下".unicodeScalars.map(\.value)
    static let after: [[UInt32]] = ["以上", "以下", "左右", "多", "余"].map { $0.unicodeScalars.map(\.value) }
    static let relativeYears: [([UInt32], Int)] = [("今年", 0), ("去年", -1), ("前年", -2), ("明年", 1), ("后年", 2)]
        .map { ($0.0.unicodeScalars.map(\.value), $0.1) }

    /// Units of measure and counters, longest wins (平方米 before 米). General knowledge.
    static let unitList = """
    平方公里 平方千米 平方米 立方米 公里 千米 米 厘米 毫米 公顷 亩 吨 千克 公斤 克 斤 升 千瓦时 千瓦 瓦 伏 度
    元 美元 港元 欧元 日元 英镑 马克 法郎 卢布 人民币 项 人 人次 名 位 家 个 条 件 部 类 种 次 批 座 所 台 辆
    套 倍 户 只 头 匹 张 本 册 篇 首 场 届 岁 年 个月 周年 周 天 小时 分钟 秒 % 个百分点 艘 架 列 轮 期 支 处 间 层 栋
    箱 桶 包 份 页 枚 颗 株 棵 块 口 所 片 节 门 辆次 架次 班 团 队 组 股 亿元 万元 千元 标准箱 ℃ 摄氏度 成
    """

    /// Units of measures that go below zero (temperatures, rates, money): only their figures take
    /// a minus sign (负3场 in a sports table is three losses, not minus three). 负 is a sign only
    /// before temperatures and rates: before money it is mostly a word's end (减负１·７８亿元).
    static let signedUnits: Set<String> = ["度", "℃", "摄氏度", "%", "个百分点", "元", "美元", "港元", "欧元", "日元",
                                           "英镑", "马克", "法郎", "卢布", "人民币", "亿元", "万元", "千元"]
    static let negativeWordUnits: Set<String> = ["度", "℃", "摄氏度", "%", "个百分点"]
    static let minusSigns: [UInt32] = [0x2D, 0x2212]   // - (and the folded －), −
    static let negativeWord: UInt32 = 0x8D1F   // 负

    /// Every unit as a String, in the order of unitList: a unit trie's payload is its index + 1,
    /// so a match needs no new String.
    static let unitNames: [String] = {
        var names: [String] = []
        for u in unitList.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            names.append(EntityRecognizer.string(u.unicodeScalars.map { CharacterFold.shared.fold(value: $0.value) }))
        }
        return names
    }()

    /// The trie payloads of 年 and 个 (a unit's first index in unitNames + 1, as `buildUnits` stores it).
    static let yearUnit = UInt32(unitNames.firstIndex(of: "年")! + 1)
    static let tenthUnit = UInt32(unitNames.firstIndex(of: "成")! + 1)

    static func buildUnits() -> ScalarTrie {
        var trie = ScalarTrie()
        for (k, name) in unitNames.enumerated() {
            let word = name.unicodeScalars.map(\.value)
            // A unit listed twice keeps its first index (payloads are OR-ed).
            let known = word.withUnsafeBufferPointer { trie.lookup($0, from: 0, to: word.count) }
            if known == 0 { trie.insert(word, payload: UInt32(k + 1)) }
        }
        return trie
    }

    static func buildStarts() -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for v in 0..<UInt32(0x10000) where Numerals.canStart(v) || [0x4ECA, 0x53BB, 0x524D, 0x660E, 0x540E, 0x6628].contains(v)
            || Self.fractionStarts.contains(v) || Self.vagueWords.contains(v) || v == Self.republic[0] || Self.monthShifts.contains(where: { $0.0[0] == v }) {
            bits[Int(v >> 6)] |= 1 << UInt64(v & 63)
        }
        return bits
    }

    func scan(_ s: UnsafeBufferPointer<UInt32>, into out: inout [Candidate]) {
        var i = 0
        let n = s.count
        let starts = self.starts
        // Where a date ended and its normalized form: 12月9日至14日 reads 14日 in its month. The
        // form is read back into a year and month only where a range mark follows the date.
        var lastDate: (end: Int, normalized: String?)? = nil
        func appendDate(_ c: Candidate) {
            out.append(c)
            lastDate = (c.end, c.normalized)
        }
        while i < n {
            let v = s[i]
            guard v < 0x10000, starts[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0 else { i += 1; continue }
            if v == 0x4ECA || v == 0x53BB || v == 0x524D || v == 0x660E || v == 0x540E || v == 0x6628,   // 今 去 前 明 后 昨
               let (c, next) = relativeDay(s, at: i) ?? relativeDate(s, at: i) {
                out.append(c)
                i = next
                // 今年１０月１２日: this year's month and day, however far from the page's day.
                if matches(s, Self.thisYear, at: c.start), c.end == c.start + Self.thisYear.count, i < n, Numerals.canStart(s[i]),
                   let number = Numerals.parse(s, at: i),
                   let (d, after) = date(s, number: number, start: i, year: pageYear, monthOnlyIfDay: false) {
                    appendDate(d)
                    i = after
                }
                continue
            }
            if v == Self.republic[0], let (c, next) = republicDate(s, at: i) {
                appendDate(c)
                i = next
                continue
            }
            if let (c, next) = shiftedMonthDate(s, at: i) ?? vagueFigure(s, at: i) {
                out.append(c)
                i = next
                continue
            }
            // 百分之…, 千分之…: 百 and 千 open a figure only there (百姓, 千万不要 are words).
            if Self.fractionStarts.contains(v), matches(s, Self.fractionWord, at: i + 1), let number = Numerals.parse(s, at: i),
               let (c, next) = fraction(s, denominator: number, start: i) {
                out.append(c)
                i = next
                continue
            }
            if Numerals.isArabicDigit(v), !(i > 0 && Numerals.isArabicDigit(s[i - 1])),
               let (c, next) = numericDate(s, at: i) ?? englishDate(s, at: i) {
                appendDate(c)
                i = next
                continue
            }
            // Never inside a figure: after a digit, a decimal point, or a digit and a grouping space (3 000).
            guard Numerals.canStart(v), !(i > 0 && (Numerals.isArabicDigit(s[i - 1]) || Numerals.isDecimalPoint(s[i - 1]))),
                  !(Numerals.isArabicDigit(v) && Numerals.groupsBefore(s, at: i)),
                  Numerals.isArabicDigit(v) || mayFollowChineseNumeral(s, at: i + 1),
                  let number = Numerals.parse(s, at: i) else {
                i += 1
                continue
            }
            if let (c, next) = fraction(s, denominator: number, start: i) {
                out.append(c)
                i = next
            } else if let (c, next) = date(s, number: number, start: i, year: nil, monthOnlyIfDay: !number.arabic,
                                           rangeStart: lastDate.flatMap { last in
                                               last.end + 1 == i && Self.rangeMarks.contains(s[last.end])
                                                   ? Self.yearAndMonth(of: last.normalized) : nil
                                           }) {
                appendDate(c)
                i = next
            } else if i > 0 && s[i - 1] == Self.ordinal {
                i = number.end
            } else if let (c, next) = quantity(s, number: number, start: i, signed: out.last?.end != i - 1)
                        ?? range(s, low: number, start: i) {
                out.append(c)
                i = next
            } else {
                i = max(number.end, i + 1)
            }
        }
    }

    /// 一 opens many ordinary words (一定, 统一): parse a Chinese numeral only when the next
    /// character could continue a figure (a numeral, a unit, 年/月/日, 余/多).
    @inline(__always)
    private func mayFollowChineseNumeral(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Bool {
        guard i < s.count else { return false }
        let v = s[i]
        if Numerals.chineseDigit(v) != nil || Numerals.multiplier(v) != nil { return true }
        if v == Numerals.trillion { return Numerals.isTrillion(s, at: i) }   // 兩兆元; not 一兆瓦
        if v == Numerals.circle { return Numerals.digit(s, at: i, from: i - 1) != nil }   // 二○○八
        if v == Numerals.several { return s[i - 1] == 0x5341 }   // 十几
        if v == Numerals.pointWord, i + 1 < s.count, Numerals.digit(s, at: i + 1, from: i - 1) != nil { return true }   // 二点三
        if Self.rangeMarks.contains(v), i + 1 < s.count, Numerals.canStart(s[i + 1]) { return true }   // 三至五个
        if v == Self.yearWord || v == Self.monthWord || Self.dayWords.contains(v) || Self.approx.contains(v) { return true }
        return units.child(0, v) != nil
    }

    // MARK: vague figures and ranges

    static let vagueWords: [UInt32] = [0x6570, 0x51E0]   // 数 几
    static let rangeMarks: [UInt32] = [0x81F3, 0x5230, 0x2014, 0x2013, 0xFF0D, 0x2D, 0xFF5E, 0x7E]   // 至 到 — – － - ～ ~

    /// 数十万人, 几十年, 数百名: several of the multiplier, the span 2 to 9 of it (数十 is 20-90).
    private func vagueFigure(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> (Candidate, Int)? {
        guard Self.vagueWords.contains(s[i]), i + 1 < s.count, Numerals.multiplier(s[i + 1]) != nil,
              let number = Numerals.parse(s, at: i + 1), number.upTo == nil,
              var c = quantityAt(s, number: number, start: i + 1) else { return nil }
        c.start = i
        let (low, high) = (2 * number.value, 9 * number.value)
        c.quantity?.value = Numerals.finite(low)
        c.quantity?.upTo = Numerals.finite(high)
        // 数亿亿亿: beyond a double, the multiplier's exact digits times 2 and 9.
        let figures = Numerals.fitsDouble(high) ? (Numerals.format(low), Numerals.format(high))
            : Numerals.exact(number, in: s).map { ($0.value.times(2).text, $0.value.times(9).text) }
        guard let figures, let q = c.quantity else { return nil }
        c.normalized = figures.0 + "-" + figures.1 + " " + q.unit
        return (c, c.end)
    }

    /// ３—５小时, 三至五个: a bare number, a range mark, then a figure with its unit: the span. The
    /// low end takes the high end's multiplier (３—５万元 is 30000-50000 元); without a known
    /// multiplier on the high end (五万 in Chinese numerals) the low end is left out, as before.
    private func range(_ s: UnsafeBufferPointer<UInt32>, low: ParsedNumber, start: Int) -> (Candidate, Int)? {
        let at = low.end + 1
        // Four plain digits on either end are years (1997—1998年度 is a span of dates, not of 年).
        guard low.upTo == nil, low.scale == 1, low.plainDigits != 4, low.end < s.count, Self.rangeMarks.contains(s[low.end]),
              at < s.count, Numerals.canStart(s[at]), let high = Numerals.parse(s, at: at), high.upTo == nil, high.plainDigits != 4,
              high.scale > 0, var c = quantityAt(s, number: high, start: at), c.start == at,
              low.value * high.scale < high.value else { return nil }
        c.start = start
        let lowValue = low.value * high.scale
        c.quantity?.value = Numerals.finite(lowValue)
        c.quantity?.upTo = Numerals.finite(high.value)
        guard let figures = Self.rangeFigures(low: low, lowValue: lowValue, high: high, in: s), let q = c.quantity else { return nil }
        c.normalized = figures.low + "-" + figures.high + " " + q.unit
        return (c, c.end)
    }

    /// A range's ends as printed, the low end scaled by the high end's multipliers: exact digits
    /// when either is beyond a double (`ExactNumerals`); nil when one is too long to read.
    private static func rangeFigures(low: ParsedNumber, lowValue: Double, high: ParsedNumber,
                                     in s: UnsafeBufferPointer<UInt32>) -> (low: String, high: String)? {
        if Numerals.fitsDouble(lowValue) && Numerals.fitsDouble(high.value) { return (Numerals.format(lowValue), Numerals.format(high.value)) }
        guard let l = Numerals.exact(low, in: s), let h = Numerals.exact(high, in: s) else { return nil }
        return (l.value.shifted(h.scale).text, h.value.text)
    }

    // MARK: fractions

    static let fractionWord: [UInt32] = "分之".unicodeScalars.map(\.value)
    static let fractionStarts: [UInt32] = [0x767E, 0x5343, 0x4E07]   // 百 千 万

    /// `百分之二十六点一` (26.1 %), `千分之三` (3 ‰), `三分之一` (0.333333): the denominator, 分之, the numerator.
    private func fraction(_ s: UnsafeBufferPointer<UInt32>, denominator: ParsedNumber, start: Int) -> (Candidate, Int)? {
        let at = denominator.end + Self.fractionWord.count
        guard denominator.upTo == nil, denominator.value > 0, matches(s, Self.fractionWord, at: denominator.end),
              at < s.count, Numerals.canStart(s[at]) || s[at] == 0x767E, let numerator = Numerals.parse(s, at: at)
        else { return nil }
        var q = Folio_V1_Quantity()
        var figure: String
        switch denominator.value {
        case 100, 1000:
            guard let printed = Numerals.text(of: numerator, in: s) else { return nil }
            (q.value, q.unit, figure) = (Numerals.finite(numerator.value), denominator.value == 100 ? "%" : "‰", printed.value)
            if let upTo = numerator.upTo {   // 百分之十几
                q.upTo = Numerals.finite(upTo)
                figure += "-" + (printed.upTo ?? Numerals.format(q.upTo))
            }
        default:
            q.value = numerator.value / denominator.value
            guard q.value.isFinite else { return nil }   // figures beyond a double on both sides: no share to state
            figure = Numerals.format(q.value)
        }
        var c = Candidate(type: .quantity, start: start, end: numerator.end, rank: Rank.numeric)
        c.quantity = q
        c.normalized = figure + (q.unit.isEmpty ? "" : " " + q.unit)
        return (c, numerator.end)
    }

    // MARK: dates

    static let thisYear: [UInt32] = "今年".unicodeScalars.map(\.value)
    static let relativeDays: [([UInt32], Int)] = [("今天", 0), ("昨天", -1), ("昨日", -1), ("前天", -2), ("明天", 1)]
        .map { ($0.0.unicodeScalars.map(\.value), $0.1) }

    /// 昨天, 明天…: the page's day moved by a day or two.
    private func relativeDay(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> (Candidate, Int)? {
        guard let (word, shift) = Self.relativeDays.first(where: { matches(s, $0.0, at: i) }) else { return nil }
        var c = Candidate(type: .date, start: i, end: i + word.count, rank: Rank.numeric)
        c.normalized = pageDay.flatMap { page in
            let (y, m, d) = Self.civil(Self.dayNumber(page.year, page.month, page.day) + shift)
            return Self.iso(year: y, month: m, day: d)
        }
        return (c, c.end)
    }

    /// Year and month of an ISO date or of "--MM-DD".
    static func yearAndMonth(of iso: String?) -> (year: Int?, month: Int?) {
        guard let iso else { return (nil, nil) }
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        if iso.hasPrefix("--") { return (nil, parts.count > 2 ? Int(parts[2]) : nil) }
        return (parts.first.flatMap { Int($0) }, parts.count > 1 ? Int(parts[1]) : nil)
    }

    static let monthShifts: [([UInt32], Int)] = [("上月", -1), ("本月", 0), ("下月", 1)].map { ($0.0.unicodeScalars.map(\.value), $0.1) }

    /// 上月１５日, 下月５日: a day of the month before or after the page's.
    private func shiftedMonthDate(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> (Candidate, Int)? {
        guard let (word, shift) = Self.monthShifts.first(where: { matches(s, $0.0, at: i) }),
              let (day, next) = dayAfter(s, at: i + word.count) else { return nil }
        var c = Candidate(type: .date, start: i, end: next, rank: Rank.numeric)
        if let page = pageDay {
            let month = page.month + shift
            let (year, shifted) = month < 1 ? (page.year - 1, 12) : month > 12 ? (page.year + 1, 1) : (page.year, month)
            c.normalized = Self.iso(year: year, month: shifted, day: day)
        }
        return (c, next)
    }

    private func relativeDate(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> (Candidate, Int)? {
        for (word, offset) in Self.relativeYears where matches(s, word, at: i) {
            let end = i + word.count
            let year = pageYear.map { $0 + offset }
            // 去年12月 reads as one date; 今年8月26日 is the page's year anyway, keep 8月26日 whole.
            if offset != 0, end < s.count, Numerals.canStart(s[end]), let number = Numerals.parse(s, at: end),
               let (c, next) = date(s, number: number, start: end, year: year, monthOnlyIfDay: false) {
                var whole = c
                whole.start = i
                if year == nil { whole.normalized = nil }
                return (whole, next)
            }
            var c = Candidate(type: .date, start: i, end: end, rank: Rank.numeric)
            c.normalized = year.map { String($0) }
            return (c, end)
        }
        return nil
    }

    /// `number` followed by 年 (a year), 月 (a month, then maybe a day) or 日 (a day of the page's month).
    private func date(_ s: UnsafeBufferPointer<UInt32>, number: ParsedNumber, start: Int, year knownYear: Int?,
                      monthOnlyIfDay: Bool, rangeStart: (year: Int?, month: Int?)? = nil) -> (Candidate, Int)? {
        let n = s.count
        var i = number.end
        guard i < n, number.upTo == nil else { return nil }   // 八九月: a span, not one date
        var year = knownYear, month: Int?, day: Int?
        if s[i] == Self.yearWord {
            guard !(i + 1 < n && s[i + 1] == Self.decadeWord) else { return nil }   // 1990年代: a decade
            if number.plainDigits == 4, let y = number.whole(in: 1000...2999) {
                year = y
                (month, day, i) = monthAndDay(s, after: i + 1)
            } else if knownYear == nil, let short = shortYear(s, number: number, start: start) {
                // 113年3月1日, 八十七年二月一日: a printed year that is no Gregorian one is the
                // date's, never the page's: a Republic year where that is plausible, else none.
                let (m, d, end) = monthAndDay(s, after: i + 1)
                guard let m else { return nil }   // 20年来, 五十年: years counted, not a date
                (month, day, i) = (m, d, end)
                var c = Candidate(type: .date, start: start, end: i, rank: Rank.numeric)
                c.normalized = republicYear(short, s, start: start, arabic: number.arabic,
                                            digitByDigit: !number.arabic && number.plainDigits > 1)
                    .flatMap { Self.iso(year: $0, month: month, day: day) }
                return (c, i)
            } else {
                return nil
            }
        } else if s[i] == Self.monthWord {
            // A month the calendar lacks is a date only with its day (13月5日): then it is one
            // mention without an ISO form (`iso`), so that no part of it (5日) is read as a date.
            guard let m = number.whole(in: 0...99) else { return nil }
            month = m
            i += 1
            if let (d, next) = dayAfter(s, at: i) {
                day = d
                i = next
            } else if monthOnlyIfDay || !(1...12).contains(m) {
                return nil   // 四月天: a Chinese-numeral month alone is too often a word
            }
            if year == nil { year = nearestToPage(month: month!, day: day, tense: tense(before: start, in: s))?.year ?? pageYear }
        } else if Self.dayWords.contains(s[i]) {
            guard number.arabic, number.plainDigits >= 1, number.plainDigits <= 2, let d = number.whole(in: 1...31),
                  !(i + 1 < n && s[i + 1] == 0x672C) else { return nil }   // not 日本
            day = d
            i += 1
            if let rangeStart, let month0 = rangeStart.month {
                (year, month) = (rangeStart.year ?? year, month0)   // 12月9日至14日: the 14th of that December
            } else if year == nil, let nearest = nearestToPage(month: nil, day: d, tense: tense(before: start, in: s)) {
                (year, month) = (nearest.year, nearest.month)
            } else {
                if year == nil { year = pageYear }
                month = pageMonth
            }
            if month == nil { return nil }
        } else {
            return nil
        }
        var c = Candidate(type: .date, start: start, end: i, rank: Rank.numeric)
        c.normalized = Self.iso(year: year, month: month, day: day)
        return (c, i)
    }

    /// The month and day that may follow a year's 年 at `i` (一九九八年一月五日, 2011年3月): each
    /// nil when absent, and where the date ends.
    /// 元月 is January (一九九八年元月). A month or day the calendar lacks (1998年13月1日) is
    /// returned as printed: `iso` gives the whole date no ISO form.
    private func monthAndDay(_ s: UnsafeBufferPointer<UInt32>, after i: Int) -> (month: Int?, day: Int?, end: Int) {
        var month: Int, monthEnd: Int
        if matches(s, Self.firstMonth, at: i) {
            (month, monthEnd) = (1, i + Self.firstMonth.count)
        } else if i < s.count, Numerals.canStart(s[i]), let m = Numerals.parse(s, at: i), m.end < s.count,
                  s[m.end] == Self.monthWord, let v = m.whole(in: 0...99) {
            (month, monthEnd) = (v, m.end + 1)
        } else {
            return (nil, nil, i)
        }
        if let (day, next) = dayAfter(s, at: monthEnd) { return (month, day, next) }
        return (month, nil, monthEnd)
    }

    static let firstMonth: [UInt32] = "元月".unicodeScalars.map(\.value)

    // MARK: Republic of China years

    static let republic: [UInt32] = "民国".unicodeScalars.map(\.value)      // folded 民國
    static let republicFull: [UInt32] = "中华民国".unicodeScalars.map(\.value)
    static let firstYearWord: UInt32 = 0x5143   // 元: 民国元年, the first year
    /// The Gregorian year before the Republic's first (民国元年 is 1912).
    static let republicEpoch = 1911
    /// Republic years read as dates: the era is still counted in Taiwan (民国113年 is 2024).
    static let republicYears = 1...300

    /// 民国100年3月5日, 中华民国八十七年一月一日, 民国元年: a year of the Republic of China era is
    /// that many years after 1911, in any numeral form; a month and day may follow as after any
    /// year. The era's name belongs to the date (中华 too, when it is there).
    private func republicDate(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> (Candidate, Int)? {
        guard matches(s, Self.republic, at: i) else { return nil }
        let at = i + Self.republic.count
        guard at < s.count else { return nil }
        var ordinal: Int?, yearEnd = at
        if s[at] == Self.firstYearWord {
            (ordinal, yearEnd) = (1, at + 1)
        } else if Numerals.canStart(s[at]), let number = Numerals.parse(s, at: at), number.upTo == nil,
                  let y = number.whole(in: Self.republicYears) {
            (ordinal, yearEnd) = (y, number.end)
        }
        guard let ordinal, yearEnd < s.count, s[yearEnd] == Self.yearWord,
              !(yearEnd + 1 < s.count && s[yearEnd + 1] == Self.decadeWord) else { return nil }   // 民国三十年代: a decade
        let (month, day, end) = monthAndDay(s, after: yearEnd + 1)
        let full = Self.republicFull.count - Self.republic.count
        let start = i >= full && matches(s, Self.republicFull, at: i - full) ? i - full : i
        var c = Candidate(type: .date, start: start, end: end, rank: Rank.numeric)
        c.normalized = Self.iso(year: ordinal + Self.republicEpoch, month: month, day: day)
        return (c, end)
    }

    /// Eras and calendars whose years are not the Republic's (公元113年 is AD 113, 昭和20年 is 1945),
    /// as folded text writes them.
    static let otherEras: [[UInt32]] = ["公元", "西元", "纪元", "公元前", "西元前", "佛历", "回历", "平成", "昭和", "令和", "大正", "明治",
                                        "光绪", "宣统", "同治", "咸丰", "道光", "嘉庆", "乾隆", "雍正", "康熙", "顺治"]
        .map { $0.unicodeScalars.map(\.value) }

    /// A year of two or three digits (113, 八十七, 一一三, ８７) before 年: not a Gregorian year as
    /// printed; nil for any other figure (五年, 2011年, 10万年).
    private func shortYear(_ s: UnsafeBufferPointer<UInt32>, number: ParsedNumber, start: Int) -> Int? {
        guard number.upTo == nil, let y = number.whole(in: 10...999) else { return nil }
        if number.arabic { return (2...3).contains(number.plainDigits) ? y : nil }
        return number.plainDigits == 0 || number.plainDigits == 2 || number.plainDigits == 3 ? y : nil
    }

    /// The Gregorian year of a Republic year printed without 民國, where that reading is safe;
    /// nil leaves the date without an ISO form (never the page's year):
    /// - after another era's name (公元, 昭和…), never;
    /// - digit by digit in two digits (九七年) it is a Gregorian year cut short, never;
    /// - on a Traditional page, where Taiwan prints Republic years, when it is not after the
    ///   page's year (a year later at most), but not two Arabic digits: Hong Kong writes 97年7月1日
    ///   for 1997;
    /// - elsewhere only three digits (113年: no Gregorian year is written so) within two years of
    ///   the page's year; two digits (87年) may be 1987 as well as 1998: no year.
    private func republicYear(_ n: Int, _ s: UnsafeBufferPointer<UInt32>, start: Int, arabic: Bool, digitByDigit: Bool) -> Int? {
        if (digitByDigit || (traditional && arabic)) && n < 100 { return nil }
        for era in Self.otherEras where matches(s, era, at: start - era.count) { return nil }
        let y = n + Self.republicEpoch
        if traditional { return pageYear.map { y <= $0 + 1 } ?? true ? y : nil }
        guard n >= 100, let pageYear, abs(y - pageYear) <= 2 else { return nil }
        return y
    }

    enum Tense { case future, past }

    /// Words just before a date that say it is still ahead (将于7月12日举行, 预计8月1日) or already
    /// past (曾于7月12日): the date is then looked for on that side of the page's day.
    static let futureMarks: [[UInt32]] = ["将于", "将在", "定于", "预定", "预计", "拟于", "计划于", "计划在", "将"]
        .map { $0.unicodeScalars.map(\.value) }
    static let pastMarks: [[UInt32]] = ["曾于", "曾在", "已于", "早在", "曾"].map { $0.unicodeScalars.map(\.value) }

    static let tenseSlackDays = 31

    private func tense(before start: Int, in s: UnsafeBufferPointer<UInt32>) -> Tense? {
        func endsAt(_ word: [UInt32]) -> Bool { start >= word.count && matches(s, word, at: start - word.count) }
        if Self.futureMarks.contains(where: endsAt) { return .future }
        if Self.pastMarks.contains(where: endsAt) { return .past }
        return nil
    }

    /// The year (and for a day alone, the month) nearest to the page's day: on a page of 1 January
    /// 1998, 12月27日 is 1997-12-27, and a 31日 after 12月29日到 the 31st of that December; 3月5日
    /// stays 1998-03-05. A month alone counts from its 15th. With a `tense`, only dates on that side
    /// of the page's day count when the nearest is more than a month on the other. Nil when the page has
    /// no whole date.
    func nearestToPage(month: Int?, day: Int?, tense: Tense? = nil) -> (year: Int, month: Int)? {
        guard let page = pageDay else { return nil }
        let pageOrdinal = Self.dayNumber(page.year, page.month, page.day)
        var candidates: [(year: Int, month: Int)] = []
        if let month {
            candidates = [(page.year - 1, month), (page.year, month), (page.year + 1, month)]
        } else {
            candidates = [-1, 0, 1].map { step in
                let m = page.month + step
                return m < 1 ? (page.year - 1, 12) : m > 12 ? (page.year + 1, 1) : (page.year, m)
            }
        }
        let dayInMonth = day ?? 15
        candidates = candidates.filter { CalendarDay.days(inMonth: $0.month, of: $0.year) >= dayInMonth }
        func distance(_ c: (year: Int, month: Int)) -> Int { Self.dayNumber(c.year, c.month, dayInMonth) - pageOrdinal }
        // A date a few weeks off on the other side stays (a late report of what was to be held).
        if let tense, let nearest = candidates.min(by: { abs(distance($0)) < abs(distance($1)) }),
           tense == .future ? distance(nearest) < -Self.tenseSlackDays : distance(nearest) > Self.tenseSlackDays {
            let onThatSide = candidates.filter { tense == .future ? distance($0) >= 0 : distance($0) <= 0 }
            if !onThatSide.isEmpty { candidates = onThatSide }
        }
        return candidates
            .min { abs(Self.dayNumber($0.year, $0.month, dayInMonth) - pageOrdinal) < abs(Self.dayNumber($1.year, $1.month, dayInMonth) - pageOrdinal) }
    }

    /// The day `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's days_from_civil).
    static func dayNumber(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day after a month, as printed (0 to 99: `iso` rejects the ones no month has).
    private func dayAfter(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> (Int, Int)? {
        guard i < s.count, Numerals.canStart(s[i]), let d = Numerals.parse(s, at: i), d.end < s.count,
              Self.dayWords.contains(s[d.end]), let day = d.whole(in: 0...99) else { return nil }
        return (day, d.end + 1)
    }

    /// A leap year: a date printed without its year may be the 29th of February.
    static let anyLeapYear = 2000

    /// The ISO form of a date, nil for a day its month does not have (2月30日; 2月29日 outside a leap
    /// year): an ISO string names a real day; the mention stays a date, with its printed form.
    static func iso(year: Int?, month: Int?, day: Int?) -> String? {
        if let month, !(1...12).contains(month) { return nil }   // 13月5日, 0月5日
        if let day, day < 1 { return nil }                        // 1月0日
        if let month, let day, day > CalendarDay.days(inMonth: month, of: year ?? Self.anyLeapYear) { return nil }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        switch (year, month, day) {
        case let (y?, m?, d?): return "\(y)-\(two(m))-\(two(d))"
        case let (y?, m?, nil): return "\(y)-\(two(m))"
        case let (y?, nil, _): return "\(y)"
        case let (nil, m?, d?): return "--\(two(m))-\(two(d))"
        case let (nil, m?, nil): return "--\(two(m))"
        default: return ""
        }
    }

    // MARK: quantities

    private func quantity(_ s: UnsafeBufferPointer<UInt32>, number: ParsedNumber, start: Int, signed: Bool) -> (Candidate, Int)? {
        var first = quantityAt(s, number: number, start: start, signed: signed)
        guard var c = first else { return nil }
        // 5类75人: a count directly followed by another count reads as one figure.
        while c.end < s.count, Numerals.isArabicDigit(s[c.end]), let next = Numerals.parse(s, at: c.end),
              let more = quantityAt(s, number: next, start: c.end) {
            c.end = more.end
            c.setNumeric(normalized: (c.normalized ?? "") + " " + (more.normalized ?? ""), quantity: more.quantity)
        }
        first = c
        return (c, c.end)
    }

    /// `signed`: a minus sign or 负 right before the figure may be its sign (not when it is the
    /// range mark after another figure: 5度-8度).
    private func quantityAt(_ s: UnsafeBufferPointer<UInt32>, number: ParsedNumber, start: Int, signed: Bool = false) -> Candidate? {
        var i = number.end
        let n = s.count
        if i < n, Self.approx.contains(s[i]) { i += 1 }                    // 79亿余元
        let (unitEnd, unitIndex) = units.longestMatch(s, from: i)
        guard unitEnd > i else { return number.arabic ? money(s, number: number, start: start) : nil }
        // A bare 一 before a counter is usually idiom (一次, 一批), not a figure; Chinese numerals
        // written digit by digit are a name or a code (八一队), not a count (81 is 八十一).
        if !number.arabic && number.value == 1 && number.end - start == 1 { return nil }
        if !number.arabic && number.plainDigits >= 2 { return nil }
        let unit = Self.unitNames[Int(unitIndex) - 1]
        i = unitEnd
        // (Units compared by their trie payload: comparing CJK Strings costs more.)
        if unitIndex == Self.yearUnit, i < n, s[i] == Self.decadeWord { return nil }   // 九十年代: a decade, not 90 years
        // Tenths are one to ten (三成); 三五成群 is an idiom, 50余万成人 adults.
        if unitIndex == Self.tenthUnit, number.upTo != nil || number.value > 10 { return nil }
        // (三个百亿级: the count is 三个; 百亿级 describes what is counted, it is no unit.)
        for word in Self.after where matches(s, word, at: i) { i += word.count; break }
        var begin = start
        var sign: Double = 1
        if signed, begin > 0, !(begin > 1 && Self.isLatinOrDigit(s[begin - 2])),   // -5℃, 负五度; not F-16
           Self.minusSigns.contains(s[begin - 1]) ? Self.signedUnits.contains(unit)
               : s[begin - 1] == Self.negativeWord && Self.negativeWordUnits.contains(unit) {
            begin -= 1
            sign = -1
        }
        for word in Self.about where begin >= word.count && matches(s, word, at: begin - word.count) {
            begin -= word.count
            break
        }
        if sign > 0, matches(s, Self.belowZero, at: begin - Self.belowZero.count) {   // 零下５度: −5 度
            begin -= Self.belowZero.count
            sign = -1
        }
        // The printed figure, exact however long (`ExactNumerals`); no quantity when too long to read.
        guard let printed = Numerals.text(of: number, in: s, sign: sign) else { return nil }
        var c = Candidate(type: .quantity, start: begin, end: i, rank: Rank.numeric)
        var q = Folio_V1_Quantity()
        q.value = Numerals.finite(sign * number.value)
        q.unit = unit
        var figure = printed.value
        if let upTo = number.upTo {
            q.upTo = Numerals.finite(sign * upTo)
            var upper = printed.upTo ?? Numerals.format(q.upTo)
            if sign < 0 {   // 零下七八度: -8 to -7, the lower end first
                (q.value, q.upTo) = (q.upTo, q.value)
                (figure, upper) = (upper, figure)
            }
            figure += "-" + upper
        }
        c.setNumeric(normalized: figure + " " + unit, quantity: q)
        return c
    }

    @inline(__always)
    static func isLatinOrDigit(_ v: UInt32) -> Bool {
        Numerals.isArabicDigit(v) || (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A)
    }

    @inline(__always)
    func matches(_ s: UnsafeBufferPointer<UInt32>, _ word: [UInt32], at i: Int) -> Bool {
        guard i >= 0, i + word.count <= s.count else { return false }
        for k in 0..<word.count where s[i + k] != word[k] { return false }
        return true
    }
}
