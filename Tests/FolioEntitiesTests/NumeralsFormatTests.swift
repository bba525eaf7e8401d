import Foundation
import Testing
@testable import FolioEntities

/// `Numerals.format` writes what "%.6f" without trailing zeros writes, on every kind of value.
struct NumeralsFormatTests {
    static func reference(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    @Test func matchesPrintf() {
        var values: [Double] = [2.2, 0.05, 0.1, 0.7, 1.5, 3.14159265, 0.0078125, 1.0 / 128, 1.0 / 3, 2.0 / 3, 1e-7, 5e-7,
                                4.9999995e-7, 123456.789, 99999999.99, 999999999.5, 1e9 + 0.5, 4294967296.25, 1e15 + 0.5,
                                -2.5, -0.05, .nan, .infinity, -.infinity, 0.000001, 0.0000015, 0.0000025, 12.3456785]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20000 {
            // Decimals as text gives them (a few digits each side), and arbitrary doubles.
            let digits = Int.random(in: 1...9, using: &generator)
            let scale = pow(10.0, Double(Int.random(in: 0...7, using: &generator)))
            values.append(Double(Int.random(in: 0..<Int(pow(10.0, Double(digits))), using: &generator)) / scale)
            values.append(Double.random(in: -1e10...1e10, using: &generator) / pow(10.0, Double(Int.random(in: 0...12, using: &generator))))
        }
        for value in values {
            #expect(Numerals.format(value) == Self.reference(value), "\(value)")
        }
    }
}
