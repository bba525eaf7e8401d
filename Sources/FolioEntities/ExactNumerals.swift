/// Figures a double cannot hold exactly (more than about 15 digits, or beyond its range): read
/// again from the text, digit by digit, so that a normalized form states the figure printed and
/// never "inf" or a double's rounding of it (12345678901234567890 is not 12345678901234569216).
extension Numerals {
    /// A double below this holds every whole number exactly, and `format` prints it digit for digit.
    static let exactBelow: Double = 1e15

    /// Longest Chinese numeral read exactly, in scalars: each 万 or 亿 rewrites the figure so far,
    /// and parse time must stay linear in the page (一亿亿…亿 over a page is no figure anyway).
    static let longestExactChinese = 512

    /// Whether `format` prints `value` exactly as the text wrote it.
    @inline(__always)
    static func fitsDouble(_ value: Double) -> Bool { abs(value) < exactBelow }

    /// A quantity's value (a proto double) that is a number: the largest finite double stands for
    /// a figure beyond the range, whose exact digits are in the normalized form.
    static func finite(_ value: Double) -> Double {
        if value.isNaN { return 0 }
        return min(max(value, -Double.greatestFiniteMagnitude), Double.greatestFiniteMagnitude)
    }

    /// `number` and its span's upper end as normalized forms print them (times `sign`): `format`
    /// while a double holds them, the digits read exactly otherwise; nil when the figure is too
    /// long to read exactly.
    static func text(of number: ParsedNumber, in s: UnsafeBufferPointer<UInt32>, sign: Double = 1) -> (value: String, upTo: String?)? {
        if fitsDouble(number.value) && (number.upTo.map(fitsDouble) ?? true) {
            return (format(sign * number.value), number.upTo.map { format(sign * $0) })
        }
        guard let exact = exact(number, in: s) else { return nil }
        let minus = sign < 0 ? "-" : ""
        return (minus + exact.value.text, exact.upTo.map { minus + $0.text } ?? number.upTo.map { format(finite(sign * $0)) })
    }

    /// The exact value of `number` (its upper end for a span), and the power of ten its trailing
    /// multipliers scale it by (５万: 4); nil for a Chinese numeral longer than `longestExactChinese`.
    static func exact(_ number: ParsedNumber, in s: UnsafeBufferPointer<UInt32>) -> (value: DecimalFigure, upTo: DecimalFigure?, scale: Int)? {
        let start = number.start, end = min(number.end, s.count)
        guard start >= 0, start < end else { return (.zero, nil, 0) }
        if isArabicDigit(s[start]) { return exactArabic(s, from: start, to: end) }
        guard end - start <= longestExactChinese else { return nil }
        let (value, upTo) = exactChinese(s, from: start, to: end)
        return (value, upTo, 0)
    }

    /// The span `parseArabic` read: digits (thousands separators skipped), decimals, then the
    /// multipliers (an approximation's 多 or 余 among them skipped); digits after a multiplier
    /// (3万5千) are a further part, added.
    private static func exactArabic(_ s: UnsafeBufferPointer<UInt32>, from start: Int, to end: Int) -> (value: DecimalFigure, upTo: DecimalFigure?, scale: Int) {
        var total = DecimalFigure.zero, parts = 0
        var digits: [UInt8] = []
        digits.reserveCapacity(end - start)
        var decimals = 0, inFraction = false, scale = 0, afterMultiplier = false
        for i in start..<end {
            let v = s[i]
            if isArabicDigit(v) {
                if afterMultiplier {
                    total = total + DecimalFigure(digits: digits, exponent: scale - decimals)
                    parts += 1
                    (digits, decimals, inFraction, scale, afterMultiplier) = ([], 0, false, 0, false)
                }
                digits.append(UInt8(v - 0x30))
                if inFraction { decimals += 1 }
            } else if isDecimalPoint(v) {
                inFraction = true
            } else if let k = spanExponent(v) {
                scale += k
                afterMultiplier = true
            }
        }
        total = total + DecimalFigure(digits: digits, exponent: scale - decimals)
        return (total, nil, parts == 0 ? scale : 0)
    }

    /// The span `parseChinese` read, with its arithmetic done on exact decimals.
    private static func exactChinese(_ s: UnsafeBufferPointer<UInt32>, from start: Int, to end: Int) -> (value: DecimalFigure, upTo: DecimalFigure?) {
        var total = DecimalFigure.zero, tenThousands = DecimalFigure.zero, section = DecimalFigure.zero, sequence = DecimalFigure.zero
        var number = 0, sequenceDigits = 0
        var sawUnit = false, lastWasDigit = false, lastWasBig = false
        var i = start
        // Inside the span every ○ was read as a zero.
        func digitAt(_ i: Int) -> Int? { s[i] == circle ? 0 : chineseDigit(s[i]) }
        while i < end {
            let v = s[i]
            if let d = digitAt(i) {
                if lastWasDigit && sawUnit && isApproximatePair(Double(number), Double(d)) {   // 十五六
                    let base = total + tenThousands + section
                    return (base + DecimalFigure(number), base + DecimalFigure(d))
                }
                sequence = lastWasDigit && !sawUnit ? sequence.shifted(1) + DecimalFigure(d) : DecimalFigure(d)
                sequenceDigits = lastWasDigit && !sawUnit ? sequenceDigits + 1 : 1
                number = d
                lastWasDigit = true
                lastWasBig = false
            } else if let k = spanExponent(v) {
                if lastWasDigit && sequenceDigits > 1 && !sawUnit { break }   // 二三十: the span's multipliers
                if i == start { number = 1 }
                sawUnit = true
                lastWasDigit = false
                if k >= 4 {   // as in `parseChinese`: a 万 scales only what follows the last 亿
                    if lastWasBig {
                        total = (total + tenThousands).shifted(k)
                        tenThousands = .zero
                    } else if k < 8 {
                        tenThousands = tenThousands + (section + DecimalFigure(number)).shifted(k)
                    } else {
                        total = total + (tenThousands + section + DecimalFigure(number)).shifted(k)
                        tenThousands = .zero
                    }
                    section = .zero
                    lastWasBig = true
                } else {
                    section = section + DecimalFigure(number == 0 ? 1 : number).shifted(k)
                    lastWasBig = false
                }
                number = 0
            } else if let t = tens(v), i == start {
                section = DecimalFigure(Int(t) / 10).shifted(1)
                sawUnit = true
            } else if v == several {   // 十几
                let scale = ((i + 1)..<end).reduce(0) { $0 + (spanExponent(s[$1]) ?? 0) }
                let base = total + tenThousands
                return (base + (section + DecimalFigure(2)).shifted(scale), base + (section + DecimalFigure(9)).shifted(scale))
            } else if v == pointWord {
                let whole = !sawUnit && sequenceDigits > 1 ? sequence : total + tenThousands + section + DecimalFigure(number)
                var fraction = DecimalFigure.zero, place = -1, j = i + 1
                while j < end, let d = digitAt(j) {
                    fraction = fraction + DecimalFigure(d).shifted(place)
                    place -= 1
                    j += 1
                }
                var value = whole + fraction
                for k in j..<end { if let m = spanExponent(s[k]) { value = value.shifted(m) } }
                return (value, nil)
            }
            i += 1   // 余 and 多 inside the figure (三十余万) add nothing
        }
        if !sawUnit && sequenceDigits == 2, let first = chineseDigit(s[start]), let second = chineseDigit(s[start + 1]),
           isApproximatePair(Double(first), Double(second)) {
            let scale = (i..<end).reduce(0) { $0 + (spanExponent(s[$1]) ?? 0) }   // 两三, 二三十, 三五万
            return (DecimalFigure(first).shifted(scale), DecimalFigure(second).shifted(scale))
        }
        if !sawUnit && sequenceDigits > 1 { return (sequence, nil) }
        return (total + tenThousands + section + DecimalFigure(number), nil)
    }
}
