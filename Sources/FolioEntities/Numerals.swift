import Foundation

/// Numbers as printed in Chinese news text: Arabic digits (after width folding), decimals,
/// Chinese numerals (一百二十三, 三万五千, 两), digit-by-digit years (一九九八) and Arabic numbers
/// scaled by Chinese multipliers (17.2万, 79亿).
struct ParsedNumber {
    var value: Double
    var end: Int
    /// Digits written one by one with no unit characters (1998, 一九九八): a possible year.
    var plainDigits: Int
    var arabic: Bool
    /// The upper end of a span read as one figure (两三天: 2 up to 3), nil for a single number.
    var upTo: Double? = nil
    /// What the multipliers after the digits scale them by (５万: 10000), 1 for none; 0 when not
    /// known (Chinese numerals with 十 百 千 万 inside).
    var scale: Double = 1
    /// Where the numeral begins: a figure too long for a double is read again from there (`exact`).
    var start = 0

    /// The value as a whole number when it is one and lies in `range`; nil otherwise. Text can
    /// hold numerals of any magnitude (1亿亿亿, twenty digits): never convert with a bare Int(_:).
    func whole(in range: ClosedRange<Int>) -> Int? {
        guard value.isFinite, value == value.rounded(),
              value >= Double(range.lowerBound), value <= Double(range.upperBound) else { return nil }
        return Int(value)
    }
}

enum Numerals {
    @inline(__always)
    static func chineseDigit(_ v: UInt32) -> Int? {
        switch v {
        case 0x96F6, 0x3007: return 0          // 零 〇
        case 0x4E00: return 1                  // 一
        case 0x4E8C, 0x4E24: return 2          // 二 两
        case 0x4E09: return 3                  // 三
        case 0x56DB: return 4                  // 四
        case 0x4E94: return 5                  // 五
        case 0x516D: return 6                  // 六
        case 0x4E03: return 7                  // 七
        case 0x516B: return 8                  // 八
        case 0x4E5D: return 9                  // 九
        default: return nil
        }
    }

    @inline(__always)
    static func multiplier(_ v: UInt32) -> Double? {
        multiplierExponent(v).map { powersOfTen[$0] }
    }

    /// 十 百 千 万 亿 as powers of ten.
    @inline(__always)
    static func multiplierExponent(_ v: UInt32) -> Int? {
        switch v {
        case 0x5341: return 1   // 十
        case 0x767E: return 2   // 百
        case 0x5343: return 3   // 千
        case 0x4E07: return 4   // 万
        case 0x4EBF: return 8   // 亿
        default: return nil
        }
    }

    private static let powersOfTen: [Double] = [1, 10, 100, 1000, 10_000, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12]

    static let trillion: UInt32 = 0x5146   // 兆
    static let trillionExponent = 12
    /// What may follow 兆 when it is a number (10^12, as Taiwan and Hong Kong use it): money
    /// (新台幣2兆元, 兩兆美元, 1.5兆日圓). Elsewhere 兆 is a unit prefix (兆瓦 megawatt, 兆赫, 兆帕,
    /// 兆字节) and no figure.
    static let trillionMoney: [[UInt32]] = ["元", "美元", "港元", "日元", "日圆", "欧元", "英镑", "人民币", "新台币", "台币", "韩元", "圆"]
        .map { $0.unicodeScalars.map(\.value) }

    /// 兆 at `i` read as 10^12: only where it is a number, that is before 亿 or 万 (一兆亿 as 万亿),
    /// before a figure that closes on 亿 or 万 (2兆1000亿, 两兆五千亿), or before money
    /// (3兆元, 兩兆多元); never before another unit (兆瓦, 兆赫).
    static func isTrillion(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Bool {
        guard i < s.count, s[i] == trillion, i + 1 < s.count else { return false }
        var j = i + 1
        if isApproximate(s[j]) { j += 1 }   // 兩兆多元
        guard j < s.count else { return false }
        let v = s[j]
        if v == 0x4EBF || v == 0x4E07 { return true }   // 亿 万
        if isArabicDigit(v) || chineseDigit(v) != nil {
            // The figure after 兆 must close on a multiplier of its own (2兆1000亿): 3兆5 is no number.
            var k = j, steps = 0
            while k < s.count, steps < 64, isArabicDigit(s[k]) || chineseDigit(s[k]) != nil || isDecimalPoint(s[k])
                    || s[k] == 0x2C || s[k] == 0x5341 || s[k] == 0x767E || s[k] == 0x5343 { k += 1; steps += 1 }
            return k < s.count && (s[k] == 0x4EBF || s[k] == 0x4E07)
        }
        for word in trillionMoney where j + word.count <= s.count {
            var same = true
            for (k, w) in word.enumerated() where s[j + k] != w { same = false; break }
            if same { return true }
        }
        return false
    }

    /// The multiplier at `i`: 十 百 千 万 亿, and 兆 where it is a number (`isTrillion`).
    @inline(__always)
    static func multiplier(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Double? {
        let v = s[i]
        if let k = multiplierExponent(v) { return powersOfTen[k] }
        return v == trillion && isTrillion(s, at: i) ? powersOfTen[trillionExponent] : nil
    }

    /// The exponent of a multiplier inside a figure already read (`exact`): 兆 there was one.
    @inline(__always)
    static func spanExponent(_ v: UInt32) -> Int? {
        multiplierExponent(v) ?? (v == trillion ? trillionExponent : nil)
    }

    @inline(__always)
    static func isArabicDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

    /// A space that may group digits by three (3 000): space, no-break, thin and narrow no-break.
    @inline(__always)
    static func isGroupSpace(_ v: UInt32) -> Bool { v == 0x20 || v == 0xA0 || v == 0x2009 || v == 0x202F }

    /// Whether `i` follows a grouping space after one to three digits (the 000 of 3 000): a
    /// figure read there would be the tail of another. After four digits (1998 300) it is none.
    static func groupsBefore(_ s: UnsafeBufferPointer<UInt32>, at i: Int) -> Bool {
        guard i > 1, isGroupSpace(s[i - 1]), isArabicDigit(s[i - 2]) else { return false }
        var j = i - 2, digits = 0
        while j >= 0, digits < 4, isArabicDigit(s[j]) { digits += 1; j -= 1 }
        return digits <= 3
    }

    /// Whether a number can start at `i` (cheap test for the scanner's main loop).
    @inline(__always)
    static func canStart(_ v: UInt32) -> Bool {
        isArabicDigit(v) || chineseDigit(v) != nil || v == 0x5341 || tens(v) != nil
    }

    /// 廿 and 卅, the literary twenty and thirty (七月廿五日).
    @inline(__always)
    static func tens(_ v: UInt32) -> Double? {
        v == 0x5EFF ? 20 : v == 0x5345 ? 30 : nil
    }

    static let circle: UInt32 = 0x25CB   // ○
    static let several: UInt32 = 0x51E0   // 几

    /// The digit at `i` of a Chinese numeral that began at `start`. ○, which People's Daily prints
    /// for 〇 (二○○八年), is a zero only inside the numeral: right after a digit, another ○ or 点,
    /// or before a digit (一百○五); elsewhere it is a bullet or a withheld name (○○同志).
    @inline(__always)
    static func digit(_ s: UnsafeBufferPointer<UInt32>, at i: Int, from start: Int) -> Int? {
        let v = s[i]
        if let d = chineseDigit(v) { return d }
        guard v == circle, i > start else { return nil }
        let before = s[i - 1]
        if before == circle || before == pointWord || chineseDigit(before) != nil { return 0 }
        var j = i + 1
        while j < s.count, s[j] == circle { j += 1 }
        return j < s.count && chineseDigit(s[j]) != nil ? 0 : nil
    }

    static func parse(_ s: UnsafeBufferPointer<UInt32>, at start: Int) -> ParsedNumber? {
        guard start < s.count else { return nil }
        var parsed = isArabicDigit(s[start]) ? parseArabic(s, at: start) : parseChinese(s, at: start)
        parsed?.start = start
        return parsed
    }

    private static func parseArabic(_ s: UnsafeBufferPointer<UInt32>, at start: Int) -> ParsedNumber {
        var i = start
        var intPart: Double = 0
        var digits = 0, spaceGroups = 0
        while i < s.count {
            let v = s[i]
            if isArabicDigit(v) {
                intPart = intPart * 10 + Double(v - 0x30)
                digits += 1
                i += 1
            } else if v == 0x2C, i + 3 < s.count, isArabicDigit(s[i + 1]), isArabicDigit(s[i + 2]),
                      isArabicDigit(s[i + 3]), !(i + 4 < s.count && isArabicDigit(s[i + 4])) {
                i += 1   // thousands separator: 1,000
                digits = 99
            } else if isGroupSpace(v), digits <= 3 || spaceGroups > 0, i + 3 < s.count, isArabicDigit(s[i + 1]),
                      isArabicDigit(s[i + 2]), isArabicDigit(s[i + 3]), !(i + 4 < s.count && isArabicDigit(s[i + 4])) {
                i += 1   // groups of three after a space, as international copy prints them: 3 000, 1 200 000
                spaceGroups += 1
                digits = 99
            } else {
                break
            }
        }
        var value = intPart
        var plain = digits
        if i + 1 < s.count, isDecimalPoint(s[i]), isArabicDigit(s[i + 1]) {
            i += 1
            var scale = 0.1
            while i < s.count, isArabicDigit(s[i]) {
                value += Double(s[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            plain = 0
        }
        // 1500多万: the approximation's 多 (or 余) before a 万 or 亿 stays inside the figure.
        if i + 1 < s.count, isApproximate(s[i]), let m = multiplier(s, at: i + 1), m >= 10_000 { i += 1 }
        // Chinese multipliers after Arabic digits: 17.2万, 79亿, 3千万; a smaller one after another
        // opens the unit (30万千瓦), as after Chinese numerals.
        var last: Double = 0, scale: Double = 1
        while i < s.count, let m = multiplier(s, at: i), !(last > 0 && m < last && m < 10_000) {
            last = m
            scale *= m
            value *= m
            plain = 0
            i += 1
        }
        // 3万5千, 2亿3000万: digits after 万 or 亿 with a multiplier of their own that keeps them
        // below it go on the figure (one loop, no recursion: 1万1万1万… stays linear).
        while last >= 10_000, i < s.count, isArabicDigit(s[i]) {
            var j = i, tail: Double = 0, tailLast: Double = 0
            while j < s.count, isArabicDigit(s[j]) { tail = tail * 10 + Double(s[j] - 0x30); j += 1 }
            while j < s.count, let m = multiplier(s, at: j), !(tailLast > 0 && m < tailLast && m < 10_000) {
                tailLast = m
                tail *= m
                j += 1
            }
            guard tailLast > 0, tail < last else { break }
            value += tail
            last = tailLast
            scale = 0   // no longer one multiplier over the digits
            i = j
        }
        var parsed = ParsedNumber(value: value, end: i, plainDigits: plain, arabic: true)
        parsed.scale = scale
        return parsed
    }

    /// `.` (full-width ． folds to it), and the middle dot People's Daily prints decimals with (１３·４亿).
    @inline(__always)
    static func isDecimalPoint(_ v: UInt32) -> Bool { v == 0x2E || v == 0xB7 || v == 0x30FB }

    static let pointWord: UInt32 = 0x70B9   // 点

    /// 多 and 余: "more than", inside a figure before its 万 or 亿 (１５００多万元) or after it.
    @inline(__always)
    static func isApproximate(_ v: UInt32) -> Bool { v == 0x591A || v == 0x4F59 }

    /// Two numerals in a row that name a span, not a two-digit number (两三天 is two or three days,
    /// a 23 is written 二十三): each one more than the other, or 三五 ("a few"). 零 holds a place
    /// (一千零一 is 1001), it opens no span.
    static func isApproximatePair(_ first: Double, _ second: Double) -> Bool {
        first > 0 && (second == first + 1 || (first == 3 && second == 5))
    }

    private static func parseChinese(_ s: UnsafeBufferPointer<UInt32>, at start: Int) -> ParsedNumber? {
        var i = start
        // total: the part at 亿 and above; tenThousands: the 万 part under it (二十七亿三千万 is
        // 27亿 + 3000万: a 万 scales only what follows the last 亿).
        var total: Double = 0, tenThousands: Double = 0, section: Double = 0, number: Double = 0
        var sequence: Double = 0
        var sequenceDigits = 0
        var sawUnit = false
        var lastWasDigit = false, lastWasBig = false
        while i < s.count {
            let v = s[i]
            if let d = digit(s, at: i, from: start) {
                // 两 only opens a number, but for 零两 inside one (八万零两百) and 一两 (one or two).
                if v == 0x4E24 && lastWasDigit && !(number == 0 && sawUnit) && !(i == start + 1 && s[start] == 0x4E00) { break }
                // 十五六岁: after a unit, a second numeral one more than the first closes a span.
                if lastWasDigit && sawUnit && isApproximatePair(number, Double(d)) {
                    let base = total + tenThousands + section
                    var parsed = ParsedNumber(value: base + number, end: i + 1, plainDigits: 0, arabic: false)
                    parsed.upTo = base + Double(d)
                    return parsed
                }
                if lastWasDigit && !sawUnit {
                    sequence = sequence * 10 + Double(d)
                    sequenceDigits += 1
                } else {
                    sequence = Double(d)
                    sequenceDigits = 1
                }
                number = Double(d)
                lastWasDigit = true
                lastWasBig = false
            } else if let m = multiplier(s, at: i) {
                if lastWasDigit && sequenceDigits > 1 && !sawUnit { break }   // 一九九八万, 二三十: not one number
                if i == start { number = 1 }   // 万 opening a figure (数万, 万分之三) is one 万, as 十 is one ten
                // 六万千瓦, 五十千克: a small multiplier right after another opens the unit (千瓦), not the number.
                if !lastWasDigit && sawUnit && m < 10_000 { break }
                sawUnit = true
                lastWasDigit = false
                if m >= 10_000 {
                    if lastWasBig {                    // 亿亿, 万亿: the multipliers multiply
                        total = (total + tenThousands) * m
                        tenThousands = 0
                    } else if m < 1e8 {
                        tenThousands += (section + number) * m
                    } else {
                        total += (tenThousands + section + number) * m
                        tenThousands = 0
                    }
                    section = 0
                    lastWasBig = true
                } else {
                    section += (number == 0 ? 1 : number) * m
                    lastWasBig = false
                }
                number = 0
            } else if let t = tens(v), i == start {   // 廿五: twenty-five, as 二十五
                section = t
                sawUnit = true
            } else if v == several, i > start, s[i - 1] == 0x5341 {
                // 十几个, 三十几万: a few more than the tens, 2 to 9 as 几 is in 几十 (`vagueFigure`).
                var scale: Double = 1, j = i + 1
                while j < s.count, let m = multiplier(s, at: j), m >= 10_000 { scale *= m; j += 1 }
                let base = total + tenThousands
                var parsed = ParsedNumber(value: base + (section + 2) * scale, end: j, plainDigits: 0, arabic: false)
                parsed.upTo = base + (section + 9) * scale
                return parsed
            } else if isApproximate(v), i > start, i + 1 < s.count, let m = multiplier(s, at: i + 1), m >= 10_000 {
                i += 1   // 三十余万: the 余 of an approximation inside the figure
                continue
            } else if v == Self.pointWord, i > start, i + 1 < s.count, digit(s, at: i + 1, from: start) != nil {
                // 二点三万吨, 十四点八万元: the decimals, then only 万 and 亿 (八点三十分 is a time).
                let whole = !sawUnit && sequenceDigits > 1 ? sequence : total + tenThousands + section + number
                var fraction: Double = 0, scale = 0.1
                var j = i + 1
                while j < s.count, let d = digit(s, at: j, from: start) {
                    fraction += Double(d) * scale
                    scale /= 10
                    j += 1
                }
                var value = whole + fraction
                while j < s.count {
                    if let m = multiplier(s, at: j), m >= 10_000 {
                        value *= m
                    } else if !(isApproximate(s[j]) && j + 1 < s.count && (multiplier(s, at: j + 1) ?? 0) >= 10_000) {
                        break
                    }
                    j += 1
                }
                var parsed = ParsedNumber(value: value, end: j, plainDigits: 0, arabic: false)
                parsed.scale = sawUnit || value != whole + fraction ? 0 : 1
                return parsed
            } else {
                break
            }
            i += 1
        }
        guard i > start else { return nil }
        if !sawUnit && sequenceDigits == 2, let first = chineseDigit(s[start]), let second = chineseDigit(s[start + 1]),
           isApproximatePair(Double(first), Double(second)) {
            // 两三天, 八九岁, 一两个; with the multipliers after them, 二三十人 and 三五万元.
            var scale: Double = 1
            var end = start + 2
            while end < s.count, let m = multiplier(s, at: end) { scale *= m; end += 1 }
            var parsed = ParsedNumber(value: Double(first) * scale, end: end, plainDigits: 0, arabic: false)
            parsed.upTo = Double(second) * scale
            return parsed
        }
        if !sawUnit && sequenceDigits > 1 {
            return ParsedNumber(value: sequence, end: i, plainDigits: sequenceDigits, arabic: false)
        }
        var parsed = ParsedNumber(value: total + tenThousands + section + number, end: i, plainDigits: sawUnit ? 0 : 1, arabic: false)
        parsed.scale = sawUnit ? 0 : 1
        return parsed
    }

    /// "172000", "2.2", "0.05": shortest decimal form without a trailing ".0".
    static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        // The shortest form that reads back as `value`, when it has at most six decimals, is what
        // "%.6f" rounds to: below 1e9 a double is far closer to it than half a millionth.
        if abs(value) < 1e9 {
            let shortest = value.description
            if let dot = shortest.utf8.firstIndex(of: UInt8(ascii: ".")), !shortest.utf8.contains(UInt8(ascii: "e")),
               shortest.utf8.distance(from: dot, to: shortest.utf8.endIndex) <= 7 {
                return shortest
            }
        }
        var text = sixDecimals(value) ?? String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `String(format: "%.6f", value)` for |value| below 1e12 (nil beyond, and for NaN), without
    /// Foundation's formatter (a tenth of the numeric scanner's time: 3.3万 is 32999.999999999996):
    /// the exact binary value times 10⁶, rounded half to even as printf rounds it.
    static func sixDecimals(_ value: Double) -> String? {
        let magnitude = abs(value)
        guard magnitude < 1e12 else { return nil }
        var units: UInt64 = 0   // |value| × 10⁶, rounded; zero below 2⁻³⁰
        if magnitude >= 0x1p-30 {
            // |value| = m × 2^(exponent − 52), so |value| × 10⁶ = m × 15625 × 2^(exponent − 46).
            let m = UInt64(1) << 52 | magnitude.significandBitPattern
            let (hi, lo) = m.multipliedFullWidth(by: 15625)
            let k = 46 - Int(magnitude.exponent)   // bits to drop (to add when negative); at most 76
            if k <= 0 {
                units = lo << UInt64(-k)   // a whole number below 1e18: no bit is lost
            } else if k < 64 {
                units = lo >> UInt64(k) | hi << UInt64(64 - k)
                let rest = lo & (UInt64.max >> UInt64(64 - k)), half = UInt64(1) << UInt64(k - 1)
                if rest > half || (rest == half && units & 1 == 1) { units += 1 }
            } else if k < 128 {
                let j = k - 64
                units = j == 0 ? hi : hi >> UInt64(j)
                let restHi = j == 0 ? 0 : hi & (UInt64.max >> UInt64(64 - j))
                let (halfHi, halfLo): (UInt64, UInt64) = j == 0 ? (0, UInt64(1) << 63) : (UInt64(1) << UInt64(j - 1), 0)
                let above = restHi > halfHi || (restHi == halfHi && lo > halfLo)
                let equal = restHi == halfHi && lo == halfLo
                if above || (equal && units & 1 == 1) { units += 1 }
            }
        }
        let fraction = String(units % 1_000_000)
        return (value.sign == .minus ? "-" : "") + String(units / 1_000_000) + "."
            + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
