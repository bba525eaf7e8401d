import FolioModel
@testable import FolioParser
import Testing

/// English wire copy on a bilingual page: its datelines (`CITY, Mon. D (Agency) --`) and `By …`
/// bylines were body text, and a page of such stories lost where each began.
@Suite struct EnglishCopyTests {
    func dateline(_ paragraph: String, date: String? = "1998-01-04") -> (Folio_V1_Dateline, String)? {
        let s = Array(paragraph.unicodeScalars)
        guard let m = DatelineParser.parse(s, line: 1, pageDate: date) else { return nil }
        return (m.dateline, String(String.UnicodeScalarView(s[m.length...])))
    }

    @Test func wireDatelines() throws {
        var (d, rest) = try #require(dateline("HARBOURTON, Jan. 3 (Coastal News) -- The port reopened on Saturday."))
        #expect(d.place == "HARBOURTON" && d.date == "Jan. 3" && d.agency == "Coastal News")
        #expect(d.normalizedDate == "1998-01-03" && d.text == "HARBOURTON, Jan. 3 (Coastal News) --")
        #expect(rest == "The port reopened on Saturday.")
        (d, rest) = try #require(dateline("ST. MARYS, December 30 — Snow closed the roads.", date: "1998-01-04"))
        #expect(d.place == "ST. MARYS" && d.agency.isEmpty && d.normalizedDate == "1997-12-30" && rest == "Snow closed the roads.")
        (d, rest) = try #require(dateline("NORTH FALLS (Valley Wire) - Voters went to the polls."))
        #expect(d.place == "NORTH FALLS" && d.agency == "Valley Wire" && d.date.isEmpty && rest == "Voters went to the polls.")
        (d, _) = try #require(dateline("RIVERTON, Sept 9 -- Text."))
        #expect(d.normalizedDate == "1997-09-09")
        // No date and no agency, a month that is none, a sentence: no dateline.
        #expect(dateline("RIVERTON -- Text.") == nil)
        #expect(dateline("RIVERTON, Janus 3 -- Text.") == nil)
        #expect(dateline("RIVERTON, Jan. 3 was a cold day.") == nil)
        #expect(dateline("The port, Jan. 3 (Coastal News) -- Text.") == nil)
        #expect(dateline("UN (Security Council) -- ") == nil)   // nothing after the dash
    }

    @Test func englishBylines() throws {
        func bylines(_ line: String) -> [Folio_V1_Byline]? {
            LatinNames.byline(SourceBlock(line: 4, gapBefore: 0, scalars: Array(line.unicodeScalars)))
        }
        var b = try #require(bylines("By Hao Ming"))
        #expect(b.map(\.name) == ["Hao Ming"] && b[0].role.isEmpty && b[0].line == 4)
        b = try #require(bylines("By Hao Ming and Anna-Maria Berg, Staff Reporters"))
        #expect(b.map(\.name) == ["Hao Ming", "Anna-Maria Berg"] && b.allSatisfy { $0.role == "Staff Reporters" })
        b = try #require(bylines("BY LIN FENG, ZHOU YU & TOM O'BRIEN"))
        #expect(b.map(\.name) == ["LIN FENG", "ZHOU YU", "TOM O'BRIEN"])
        #expect(bylines("By the end of the year, prices rose.") == nil)
        #expect(bylines("Byron Hall") == nil)
    }

    @Test func storiesOfEnglishCopyAreArticles() {
        let p = parse(page("Port reopens after storm", "By Hao Ming",
                           "HARBOURTON, Jan. 3 (Coastal News) -- The port reopened on Saturday, officials said.",
                           "Ships were waiting outside the harbour.",
                           "Snow closes mountain roads",
                           "RIVERTON, Jan. 4 -- Heavy snow closed three mountain roads on Sunday, police said."))
        #expect(p.articles.map(\.headline) == ["Port reopens after storm", "Snow closes mountain roads"])
        #expect(p.articles.map(\.dateline.place) == ["HARBOURTON", "RIVERTON"])
        #expect(p.articles.first?.bylines.map(\.name) == ["Hao Ming"])
        #expect(p.articles.first?.body.first?.text.hasPrefix("The port reopened") == true)
    }
}
