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
