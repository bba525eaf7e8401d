import FolioModel
@testable import FolioParser
import FolioText
import Testing

/// Mention offsets point into the text as converted, also where a conversion changes its length
/// (Taiwan's phrases: 内存 → 記憶體, 博客 → 部落格).
@Suite struct ScriptOffsetTests {
    static let text = page("电脑内存和博客都很重要李鹏说",
                           "新华社北京１月２日电 电脑的内存和博客都很重要，国务院总理李鹏今天在北京说，博客和内存要普及。")

    func fieldText(_ a: Folio_V1_Article, _ m: Folio_V1_Mention) -> String {
        switch m.field {
        case .headline: a.headline
        case .subtitle: a.subtitle
        case .caption: a.captions[Int(m.block)].text
        default: (a.lead + a.body)[Int(m.block)].text
        }
    }

    func slice(_ s: String, _ m: Folio_V1_Mention) -> String {
        String(String.UnicodeScalarView(Array(s.unicodeScalars)[Int(m.start)..<Int(m.end)]))
    }

    @Test(arguments: [OutputForm.taiwan, .traditional])
    func everyMentionMarksItsWordsInTheConvertedText(form: OutputForm) throws {
        let original = parse(Self.text)
        let converted = ScriptOutput.convert(original, to: form)
        let a = try #require(original.articles.first), b = try #require(converted.articles.first)
        let mentions = a.entities.flatMap(\.mentions)
        #expect(mentions.count >= 3)
        if form == .taiwan { #expect(fieldText(b, mentions.last!).unicodeScalars.count != fieldText(a, mentions.last!).unicodeScalars.count) }
        for (e, f) in zip(a.entities, b.entities) {
            for (m, n) in zip(e.mentions, f.mentions) {
                let word = ScriptConverter.shared.convertOrOriginal(slice(fieldText(a, m), m), to: form)
                #expect(slice(fieldText(b, n), n) == word, "\(e.text) in \(fieldText(b, n))")
            }
        }
    }
}

/// Each mention is converted as one piece, also where the conversion keeps the text's length
/// (Traditional): OpenCC's phrases 纪念周 (週) and 主任于 (於) must not reach into 周恩来 / 于永波.
@Suite struct MentionPieceTests {
    static func article() -> Folio_V1_Article {
        var a = Folio_V1_Article()
        a.headline = "纪念周恩来百年诞辰"
        var block = Folio_V1_Block()
        block.text = "总政治部主任于永波日前强调"
        a.body = [block]
        func entity(_ text: String, _ field: Folio_V1_TextField, _ start: UInt32, _ end: UInt32) -> Folio_V1_Entity {
            var m = Folio_V1_Mention()
            m.field = field
            m.start = start
            m.end = end
            var e = Folio_V1_Entity()
            e.text = text
            e.mentions = [m]
            return e
        }
        a.entities = [entity("周恩来", .headline, 2, 5), entity("于永波", .block, 6, 9)]
        return a
    }

    @Test(arguments: [OutputForm.traditional, .taiwan])
    func mentionsAreConvertedAlone(form: OutputForm) throws {
        let converted = ScriptOutput.convert(Self.article(), to: form)
        func slice(_ s: String, _ m: Folio_V1_Mention) -> String {
            String(String.UnicodeScalarView(Array(s.unicodeScalars)[Int(m.start)..<Int(m.end)]))
        }
        let zhou = try #require(converted.entities.first?.mentions.first)
        let yu = try #require(converted.entities.last?.mentions.first)
        #expect(slice(converted.headline, zhou) == "周恩來")
        #expect(slice(converted.body[0].text, yu) == "于永波")
        // The text around the mentions is still converted.
        #expect(converted.headline.hasPrefix("紀念"))
        #expect(converted.body[0].text.hasPrefix("總政治部主任"))
    }
}
