import FolioModel
@testable import FolioParser
import Testing

/// A subtitle (`——…`) too long for its module, wrapped over two lines by the layout.
@Suite struct WrappedSubtitleTests {
    static let text = "今年春天，北湖港新建的三座码头陆续投入使用，港区吞吐能力比去年提高了三成。"

    @Test func subtitleRestUnderItJoinsIt() {
        let lines = ["北湖港区扩建", "——新建三座码头港区吞吐能力大幅提", "高客运航线增至五条", "本报北湖４月２日讯"]
            + visualLines(Self.text, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["北湖港区扩建"])
        #expect(p.articles.first?.subtitle == "新建三座码头港区吞吐能力大幅提高客运航线增至五条")
    }

    @Test func authorOrClosedTitleUnderASubtitleStaysApart() {
        let model = BigramModel.shared
        let sub = Array("——新建三座码头港区吞吐能力大幅提".unicodeScalars)
        #expect(Reflow.wrappedSubtitle(sub, Array("高客运航线增至五条".unicodeScalars), width: 17, next: 9, model: model))
        #expect(!Reflow.wrappedSubtitle(Array("——读《北湖港志》".unicodeScalars), Array("北湖港的变迁".unicodeScalars), width: 10, next: 6, model: model))
        #expect(!Reflow.wrappedSubtitle(sub, Array("高了港区的吞吐能力比去年提高三成".unicodeScalars), width: 17, next: 16, model: model))
        let p = parse(run(["北湖港区扩建", "——记北湖港务局局长", "林小河", "本报北湖４月２日讯"] + visualLines(Self.text, width: 12)) + "\n")
        #expect(p.articles.first?.subtitle == "记北湖港务局局长")
    }
}
