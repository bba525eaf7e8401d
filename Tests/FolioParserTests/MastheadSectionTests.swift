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

    /// Hong Kong and Taiwan headers label pages `A2` without 第…版: the label was lost and glued to
    /// the section (`A 2港聞`), and a two-character masthead (`明報`) was read as the section.
    @Test func hongKongAndTaiwanHeaders() {
        for (header, publication, label, section) in [("星島日報 2024年1月5日 星期五 A2 港聞", "星島日報", "A2", "港聞"),
                                                      ("明報 2024年1月5日 星期五 A2 要聞", "明報", "A2", "要聞"),
                                                      ("自由時報 2024年1月5日 星期五 B12 焦點新聞", "自由時報", "B12", "焦點新聞")] {
            let p = parse(header + "\n\n港府推新措施\n\n【本報訊】特區政府今天公布一系列措施，協助中小企業渡過難關。\n")
            #expect(p.info.publication == publication && p.info.pageLabel == label && p.info.section == section, "\(p.info)")
            #expect(p.info.date == "2024-01-05")
            #expect(p.articles.map(\.headline) == ["港府推新措施"])
        }
        // A letter and digits glued to a word are no label (`G20峰会`).
        #expect(parse("G20峰会 2024年1月5日 星期五\n\n正文。\n").info.pageLabel.isEmpty)
    }

    /// Staff credits after the header's fields (`责任编辑：…`) made the whole row no header: the page
    /// lost its date and section, and the credit was dropped.
    @Test func staffCreditsInTheHeaderBecomePageCredits() {
        let story = "\n\n社区医院开设夜间门诊\n\n本报讯 记者李兰报道：社区医院从本周起开设夜间门诊。\n"
        let p = parse("江城晚报　2003年5月6日　星期二　第12版　健康　责任编辑：陈小燕　美术编辑：刘一" + story)
        #expect(p.info.date == "2003-05-06" && p.info.pageLabel == "12" && p.info.section == "健康", "\(p.info)")
        #expect(p.credits.map(\.text) == ["责任编辑：陈小燕", "美术编辑：刘一"])
        #expect(p.articles.map(\.headline) == ["社区医院开设夜间门诊"])
        // Split one piece per line by an extractor: the credit's own line is the header's too.
        let split = parse("江城晚报\n2003年5月6日\n第12版\n责任编辑：陈小燕" + story)
        #expect(split.info.date == "2003-05-06" && split.credits.map(\.text) == ["责任编辑：陈小燕"], "\(split.info)")
        // On a laid-out page (a PDF's), the same; and a header row that reads as no header is kept in a note.
        let laidOut = parse("\(LaidOutText.marker)\nmasthead\t江城晚报　2003年5月6日　第12版　健康　责编：陈小燕\nheadline\t社区医院开设夜间门诊\n")
        #expect(laidOut.info.date == "2003-05-06" && laidOut.credits.map(\.text) == ["责编：陈小燕"], "\(laidOut.info)")
        let note = parse("\(LaidOutText.marker)\nmasthead\t本版稿件均由新华社提供\nheadline\t社区医院开设夜间门诊\n")
        #expect(note.diagnostics.contains { $0.code == "page-header-unread" && $0.message.contains("本版稿件均由新华社提供") })
        // A word that only starts like a role is none (`编辑部`), and a role needs its colon.
        #expect(StaffCredits.split(Array("本报编辑部 第2版".unicodeScalars)).credits.isEmpty)
    }

    @Test func aLongLatinPhraseIsNoSectionName() {
        #expect(Masthead.sectionLength(Array("Science科学".unicodeScalars)) == 3)
        #expect(Masthead.sectionLength(Array("ThisIsAFullEnglishSentenceOfManyWordsAndMore".unicodeScalars)) == 1)
        #expect(Masthead.sectionName(Array("Science科学".unicodeScalars)) == "Science 科学")
    }
}
