/// A day written `YYYY-MM-DD` (page dates, date filters): one reading for the CLI, the daemon and
/// the index, so that a date one of them refuses is not stored or matched by another.
public struct CalendarDay: Sendable, Hashable, Comparable {
    public let year: Int, month: Int, day: Int

    /// The day `text` names, nil unless it is `YYYY-MM-DD` of a day the calendar has (no 02-30;
    /// 02-29 in leap years only).
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]), let day = Self.number(bytes[8..<10]),
              year >= 1, (1...12).contains(month), day >= 1, day <= Self.days(inMonth: month, of: year) else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// `YYYYMMDD` as a number: orders as the days do.
    public var packed: UInt32 { UInt32(year * 10000 + month * 100 + day) }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.packed < b.packed }

    /// Whether `text` names a day (see `init`).
    public static func isValid(_ text: some StringProtocol) -> Bool { CalendarDay(text) != nil }

    public static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for c in digits {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(c - UInt8(ascii: "0"))
        }
        return value
    }
}
