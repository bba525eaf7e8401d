/// A decimal number held digit by digit (coefficient × 10^exponent): a figure printed with more
/// digits than a double holds exactly (about 15), read without rounding. Only long figures come
/// here: ordinary ones stay doubles.
struct DecimalFigure: Equatable {
    /// The coefficient's digits, most significant first, without leading zeros (empty for zero).
    private(set) var digits: [UInt8]
    private(set) var exponent: Int

    static let zero = DecimalFigure(digits: [], exponent: 0)

    init(_ digit: Int) {
        self.init(digits: digit == 0 ? [] : [UInt8(digit)], exponent: 0)
    }

    /// `digits` read as a whole number, then moved `exponent` places (a negative one makes decimals).
    init(digits: [UInt8], exponent: Int) {
        let first = digits.firstIndex { $0 != 0 } ?? digits.endIndex
        self.digits = Array(digits[first...])
        self.exponent = self.digits.isEmpty ? 0 : exponent
    }

    var isZero: Bool { digits.isEmpty }

    /// Times 10^k.
    func shifted(_ k: Int) -> DecimalFigure {
        isZero ? self : DecimalFigure(digits: digits, exponent: exponent + k)
    }

    static func + (a: DecimalFigure, b: DecimalFigure) -> DecimalFigure {
        if a.isZero { return b }
        if b.isZero { return a }
        let low = min(a.exponent, b.exponent)
        // Both coefficients written out to the lower exponent, least significant digit first.
        let x = Array(a.digits.reversed()), y = Array(b.digits.reversed())
        let xPad = a.exponent - low, yPad = b.exponent - low
        let width = max(x.count + xPad, y.count + yPad)
        var sum: [UInt8] = []
        sum.reserveCapacity(width + 1)
        var carry = 0
        for k in 0..<width {
            let dx = k >= xPad && k - xPad < x.count ? Int(x[k - xPad]) : 0
            let dy = k >= yPad && k - yPad < y.count ? Int(y[k - yPad]) : 0
            let d = dx + dy + carry
            sum.append(UInt8(d % 10))
            carry = d / 10
        }
        if carry > 0 { sum.append(UInt8(carry)) }
        return DecimalFigure(digits: sum.reversed(), exponent: low)
    }

    /// Times a small whole number (数十万: 2 to 9 times the multiplier).
    func times(_ factor: Int) -> DecimalFigure {
        var product = DecimalFigure.zero
        for _ in 0..<max(factor, 0) { product = product + self }
        return product
    }

    /// Plain decimal notation as the normalized forms print figures: no exponent, no trailing zero
    /// after a decimal point ("172000", "0.05").
    var text: String {
        guard !isZero else { return "0" }
        var whole: [UInt8], fraction: [UInt8]
        if exponent >= 0 {
            whole = digits + [UInt8](repeating: 0, count: exponent)
            fraction = []
        } else {
            let places = -exponent
            let padded = places >= digits.count ? [UInt8](repeating: 0, count: places - digits.count + 1) + digits : digits
            whole = Array(padded[..<(padded.count - places)])
            fraction = Array(padded[(padded.count - places)...])
            while fraction.last == 0 { fraction.removeLast() }
        }
        var scalars = String.UnicodeScalarView()
        for d in whole { scalars.append(Unicode.Scalar(48 + d)) }
        if !fraction.isEmpty {
            scalars.append(".")
            for d in fraction { scalars.append(Unicode.Scalar(48 + d)) }
        }
        return String(scalars)
    }
}
