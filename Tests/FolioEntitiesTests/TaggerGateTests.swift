import Testing
import FolioModel
@testable import FolioEntities

/// Texts without a Han character are not tagged (figures, Latin, punctuation hold no name the
/// tagger learnt); the same name is tagged once a Han character stands in the text. Tagged names
/// never start or end with a space.
@Suite struct TaggerGateTests {
    @Test func textWithoutHanIsNotTagged() {
        let r = EntityRecognizer.taggerOnly
        #expect(r.tagNames("NBA 2022: 98-97, Lakers win.").isEmpty)
        #expect(r.tagNames("１２３４５ ，。！").isEmpty)
        #expect(r.tagNames("江泽民主席今天会见了克林顿总统。").contains { $0.type == .person })
    }

    @Test func taggedNamesHaveNoSpaceAtTheirEnds() {
        for text in ["趙一 本报记者 崔治", "本报记者 崔 治", "记者 王能标 摄"] {
            let scalars = Array(text.unicodeScalars)
            for name in EntityRecognizer.taggerOnly.tagNames(text) {
                #expect(scalars[name.start] != " " && scalars[name.end - 1] != " ", "\(text)")
            }
        }
    }
}
