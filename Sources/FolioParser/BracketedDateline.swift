import FolioModel
import FolioText

/// Datelines Taiwan and Hong Kong papers print in brackets at the head of a story's text:
/// `【本報訊】`, `〔記者李大華／台北報導〕`, `（中央社記者王小明台北5日電）`, `（中央社台北5日電）`.
/// A bracket at a paragraph's end (`…。（新华社北京１２月３１日电）`, a wire story's sign-off) is
/// not one: text must follow it.
extension DatelineParser {
    private static let closers: [Unicode.Scalar: Unicode.Scalar] = ["【": "】", "〔": "〕", "（": "）", "(": ")", "［": "］", "[": "]"]
    private static let ownNews = Folded.scalars("本报讯")
    private static let special = Folded.scalars("专")  // 專電: a special dispatch
    private static let reportedForms = [reported, reportedTaiwan]
    private static let wireAgencies = ["中央社", "新华社", "中新社", "法新社", "美联社", "路透社", "共同社"].map(Folded.scalars)

    static func opensBracketed(_ first: Unicode.Scalar) -> Bool { closers[first] != nil }

    static func bracketed(_ s: [Unicode.Scalar], line: UInt32, pageDate: String?) -> Match? {
        guard let open = s.first, let closer = closers[open],
              let close = s.prefix(40).firstIndex(of: closer), close >= 4, close + 2 < s.count else { return nil }
        let inner = Array(s[1..<close])
        let f = Folded.of(inner)
        guard !f.contains(where: { CharacterClass.isPunctuation($0) && $0 != "／" && $0 != "/" && $0.mark != "、" }) else { return nil }
        var d = Folio_V1_Dateline()
        d.line = line
        if f == ownNews {
            d.agency = Folded.string(inner)
        } else if f.count > 5, reportedForms.contains(where: { Folded.has(f, $0, at: f.count - 2) }),
                  Folded.has(f, PeopleLines.reporterWord), let slash = f.firstIndex(where: { $0 == "／" || $0 == "/" }) {
            // 記者李大華／台北報導
            d.reporters = PeopleLines.reporterNames(inner[PeopleLines.reporterWord.count..<slash])
            d.place = Folded.string(inner[(slash + 1)..<(f.count - 2)])
            guard !d.reporters.isEmpty, !d.place.isEmpty else { return nil }
        } else if f.last == wire {
            var end = f.count - 1
            if end > 0, f[end - 1] == special[0] { end -= 1 }
            var start: Int
            if let r = Folded.find(f, PeopleLines.reporterWord), r >= 2, r <= 6, r < end {
                d.agency = Folded.string(inner[0..<r])
                start = r + PeopleLines.reporterWord.count
            } else if let agency = wireAgencies.first(where: { Folded.has(f, $0) }) {
                d.agency = Folded.string(inner[0..<agency.count])
                start = agency.count
            } else {
                return nil
            }
            guard let dateStart = (start..<end).first(where: { opensDate(f, at: $0) }) else { return nil }
            if Folded.has(f, PeopleLines.reporterWord, at: start - PeopleLines.reporterWord.count) {
                // Names, then the place, with nothing between: 王小明台北. The last name is taken
                // as three characters when five or more stand before the date, else two.
                let lastComma = f[start..<dateStart].lastIndex(where: { $0.mark == "、" })
                let tail = (lastComma.map { $0 + 1 } ?? start)..<dateStart
                guard tail.count >= 4 else { return nil }
                let placeStart = tail.lowerBound + (tail.count >= 5 ? 3 : 2)
                d.reporters = PeopleLines.reporterNames(inner[start..<placeStart])
                start = placeStart
            }
            splitPlaceAndDate(inner[start..<end], into: &d, pageDate: pageDate)
        } else {
            return nil
        }
        var k = close + 1
        while k < s.count, CharacterClass.isSpace(s[k]) { k += 1 }
        d.text = Folded.string(s[0...close])
        return Match(dateline: d, length: k)
    }
}
