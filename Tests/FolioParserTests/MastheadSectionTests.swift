import FolioModel
@testable import FolioParser
import Testing

/// A page header whose section name has a Latin word (a bilingual rubric) is still the page
/// header: it became the first story's headline, and the page lost its date.
@Suite struct MastheadSectionTests {
    @Test func aSectionNameWithALatinWordIsPartOfTheHeader() {
        let p = parse("江城晚报 2003年5月6日 星期二 第12版 Health 健康\n\n社区医院开设夜间门诊\n\n本报讯 记者李兰报道：社区医院从本周起开设夜间门诊。\n")
        #expect(p.info.date == "2003-05-06" && p.info.pageLabel == "12" && p.info.section == "Health 健康")
        #expect(p.articles.map(\.headline) == ["社区医院开设夜间门诊"])
    }

    @Test func aLongLatinPhraseIsNoSectionName() {
        #expect(Masthead.sectionLength(Array("Science科学".unicodeScalars)) == 3)
        #expect(Masthead.sectionLength(Array("ThisIsAFullEnglishSentenceOfManyWordsAndMore".unicodeScalars)) == 1)
        #expect(Masthead.sectionName(Array("Science科学".unicodeScalars)) == "Science 科学")
    }
}
