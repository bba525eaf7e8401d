import FolioModel
@testable import FolioParser
import Testing

/// A line opening with 的 goes on the phrase of the line above: that line is no title, however
/// short and bare it is.
@Suite struct PhraseRunOnTests {
    @Test func aBareLineOverALineOpeningWithDeIsProse() {
        let story = ["城东公园迎来游客高峰"] + visualLines("本报南城３月２日电　" + ParkStory.park, width: 15)
        let lines = ["园方资助贫困小学生读书", "的“护苗计划”开始于去年五月。"]
        let p = parse(page(run(story + lines + visualLines(ParkStory.night, width: 15))))
        #expect(p.articles.map(\.headline) == ["城东公园迎来游客高峰"])
        #expect(p.articles[0].body.map(\.text).contains(lines.joined()))
        #expect(!p.articles[0].body.contains { $0.kind == .subheading })
    }

    @Test func deQueOpensASentence() {
        #expect(Reflow.continuesPhrase(Array("的“护苗计划”".unicodeScalars)))
        #expect(!Reflow.continuesPhrase(Array("的确，园方".unicodeScalars)))
    }
}
