import FolioWire
import Foundation

/// A ListArticles resume point, a key cursor that survives a replace of the page it is inside:
/// the page of the last article given and which of that page's articles were given (by id, so a
/// replace that inserts, drops or reorders stories, which keep their ids, neither repeats nor skips
/// one). A resumed walk gives every page before `pageID` as done, the articles of `pageID` it has
/// not given yet in the page's current order, then the pages after it.
///
/// Token text (base64): `a2 US pageID US runs US others`. Article ids of the parser's form
/// `<pageID>-NN` are kept as their numbers, ascending runs `1-4,7`; any other id of the page is
/// kept whole in `others` (comma-separated, percent-escaped). A cursor whose text would pass
/// `maxTextBytes` (a page of thousands of scattered ids) is written in the positional form,
/// `a US pageID US index` (the articles up to `index` in the page's order when the token is
/// read: exact for a page not replaced in between), which is also how tokens of foliod before this
/// form are read.
struct ArticleCursor {
    /// The most text a token carries (and the most a token read may carry, else INVALID_ARGUMENT).
    static let maxTextBytes = 8192
    /// The most digits of an article number kept as a number (others are kept whole).
    static let maxDigits = 9

    let pageID: String
    /// Numbers of given `<pageID>-NN` ids: runs read from the token (never expanded: a forged run
    /// costs nothing) and those given since.
    private var runs: [ClosedRange<Int>] = []
    private var numbers: Set<Int> = []
    /// Given ids of the page not of the `<pageID>-NN` form.
    private var others: Set<String> = []

    init(pageID: String) { self.pageID = pageID }

    /// Whether the walk this cursor resumes gave `articleID` of page `page` already.
    func hasGiven(_ articleID: String, on page: String) -> Bool {
        if page != pageID { return page < pageID }
        guard let number = number(of: articleID) else { return others.contains(articleID) }
        if numbers.contains(number) { return true }
        var low = 0, high = runs.count  // runs are ascending and apart: binary search
        while low < high {
            let middle = (low + high) / 2
            if runs[middle].upperBound < number { low = middle + 1 } else { high = middle }
        }
        return low < runs.count && runs[low].contains(number)
    }

    mutating func give(_ articleID: String) {
        if let number = number(of: articleID) { numbers.insert(number) } else { others.insert(articleID) }
    }

    /// The number of an id `<pageID>-NN` in the parser's spelling (two digits at least, no other
    /// leading zero), nil for any other id.
    private func number(of articleID: String) -> Int? {
        let utf8 = articleID.utf8, prefix = pageID.utf8
        guard utf8.count > prefix.count + 1, utf8.starts(with: prefix),
              utf8[utf8.index(utf8.startIndex, offsetBy: prefix.count)] == UInt8(ascii: "-") else { return nil }
        let digits = utf8.dropFirst(prefix.count + 1)
        guard digits.count <= Self.maxDigits, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let number = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return Self.spelled(number).utf8.elementsEqual(digits) ? number : nil
    }

    private static func spelled(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }

    /// The token; `lastIndex` (the last given article's index in its page) for the positional form.
    func encoded(lastIndex: Int) -> String {
        var merged: [ClosedRange<Int>] = []
        for run in (runs + numbers.map { $0...$0 }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, run.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, run.upperBound)
            } else {
                merged.append(run)
            }
        }
        let runText = merged.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
        let otherText = others.sorted().map(Self.escaped).joined(separator: ",")
        var text = "a2\u{1F}\(pageID)\u{1F}\(runText)\u{1F}\(otherText)"
        if text.utf8.count > Self.maxTextBytes { text = "a\u{1F}\(pageID)\u{1F}\(lastIndex)" }
        return Data(text.utf8).base64EncodedString()
    }

    /// Reads a token; `articleIDs` gives a page's current article ids (for the positional form).
    /// Anything but a token this server writes is INVALID_ARGUMENT, never a trap.
    static func decode(_ token: String, articleIDs: (String) -> [String]?) throws -> ArticleCursor {
        guard token.utf8.count <= (maxTextBytes / 3 + 1) * 4,
              let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else {
            throw StatusError(.invalidArgument, "malformed page_token")
        }
        let parts = text.split(separator: "\u{1F}", omittingEmptySubsequences: false)
        let foreign = StatusError(.invalidArgument, "page_token does not belong to this listing")
        guard parts.count >= 3, !parts[1].isEmpty else { throw foreign }
        var cursor = ArticleCursor(pageID: String(parts[1]))
        switch (parts[0], parts.count) {
        case ("a", 3):  // positional: the articles up to an index of the page as it is now
            guard let index = number(parts[2]) else { throw foreign }
            for id in (articleIDs(cursor.pageID) ?? []).prefix(index + 1) { cursor.give(id) }
        case ("a2", 4):
            if !parts[2].isEmpty {
                var previous: Int?  // runs ascend and stay apart, as written
                for item in parts[2].split(separator: ",", omittingEmptySubsequences: false) {
                    let ends = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                    guard let low = number(ends[0]), let high = ends.count == 2 ? number(ends[1]) : low,
                          low <= high, previous.map({ low > $0 + 1 }) ?? true else { throw foreign }
                    cursor.runs.append(low...high)
                    previous = high
                }
            }
            if !parts[3].isEmpty {
                for item in parts[3].split(separator: ",", omittingEmptySubsequences: false) {
                    guard let id = unescaped(item), !id.isEmpty, cursor.number(of: id) == nil else { throw foreign }
                    cursor.others.insert(id)
                }
            }
        default:
            throw foreign
        }
        return cursor
    }

    /// A number of at most `maxDigits` ASCII digits (no sign, no overflow).
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.count <= maxDigits, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return text.utf8.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    private static let plain = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-".utf8)
    private static let hex = Set("0123456789ABCDEF".utf8)

    private static func escaped(_ id: String) -> String {
        var out = ""
        for byte in id.utf8 {
            if plain.contains(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += String(format: "%%%02X", byte) }
        }
        return out
    }

    private static func unescaped(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var input = text.utf8[...]
        while let byte = input.popFirst() {
            if plain.contains(byte) { bytes.append(byte); continue }
            guard byte == UInt8(ascii: "%"), input.count >= 2, input.prefix(2).allSatisfy(hex.contains),
                  let value = UInt8(String(decoding: input.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
            input = input.dropFirst(2)
        }
        return String(bytes: bytes, encoding: .utf8)
    }
}
