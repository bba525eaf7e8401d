import FolioEntities
import FolioModel
@testable import FolioParser
import FolioText
import Testing

/// Text with vertical presentation forms of punctuation (︰﹁﹂ for ：「」, ︵︶ for （）, ︒ for 。)
/// parses as the same text with the marks they stand for; the text keeps its forms as printed.
@Suite struct PunctuationFormParseTests {
    static func horizontal(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars { out.append(c.mark) }
        return String(out)
    }

    func signature(_ p: Folio_V1_Page) -> [String] {
        var out: [String] = []
        for a in p.articles {
            out.append(a.headline)
            for b in a.lead + a.body { out.append(Self.horizontal(b.text)) }
            for d in a.diagnostics { out.append(d.code) }
            let names: [String] = a.entities.map { e in "\(e.type.rawValue) " + Self.horizontal(e.normalized) }
            out += names.sorted()
        }
        return out
    }

    static let vertical = page("港灣新碼頭啟用", "本報訊 何志明出席啟用禮。",
                               "何志明︰﹁我們會繼續努力。﹂他又說︵見附表︶，碼頭明年擴建︒",
                               "碼頭管理處表示︐將增加班次︑延長開放時間︒")

    @Test func verticalFormsParseLikeTheirMarks() throws {
        let recognizer = PageParser(entityRecognizer: .shared)
        let v = recognizer.parse(text: Self.vertical, source: "v.txt")
        let h = recognizer.parse(text: Self.horizontal(Self.vertical), source: "h.txt")
        #expect(signature(v) == signature(h))
        let a = try #require(v.articles.first)
        #expect(a.diagnostics.isEmpty)
        #expect(!a.entities.contains { $0.normalized.unicodeScalars.contains { CharacterClass.isPunctuation($0) } })
    }

    @Test func textKeepsItsFormsAndOffsets() throws {
        let p = PageParser(entityRecognizer: .shared).parse(text: Self.vertical, source: "v.txt")
        let a = try #require(p.articles.first)
        let quote = try #require(a.body.first { $0.text.hasPrefix("何志明︰﹁") })
        #expect(quote.text == "何志明︰﹁我們會繼續努力。﹂他又說︵見附表︶，碼頭明年擴建︒")
        let scalars = Array(quote.text.unicodeScalars)
        let block = UInt32(a.lead.count + a.body.firstIndex { $0.text == quote.text }!)
        for e in a.entities {
            for m in e.mentions where m.field == .block && m.block == block {
                #expect(String(String.UnicodeScalarView(scalars[Int(m.start)..<Int(m.end)])) == e.text)
            }
        }
    }
}
