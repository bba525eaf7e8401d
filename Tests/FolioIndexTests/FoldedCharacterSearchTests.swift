import FolioModel
import Foundation
import FolioTestSupport
import Testing
@testable import FolioIndex

/// Characters the tester's pages carry in place of ordinary ones (Kangxi radicals, compatibility
/// ideographs, ○ for zero, variation selectors, Simplified forms outside the BMP) are searched as
/// the ordinary ones, and highlights still slice the snippet.
@Suite struct FoldedCharacterSearchTests {
    static func hits(_ index: SearchIndex, _ query: String) throws -> [Folio_V1_SearchHit] {
        var request = Folio_V1_SearchRequest()
        request.query = query
        return try index.search(request).hits
    }

    /// Every highlight of every hit, as the text it slices out of the snippet.
    static func highlighted(_ index: SearchIndex, _ query: String) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for hit in try hits(index, query) {
            let scalars = Array(hit.snippet.unicodeScalars)
            out[hit.articleID] = hit.highlights.map { h in
                String(String.UnicodeScalarView(scalars[Int(h.start)..<Int(h.end)]))
            }
        }
        return out
    }

    @Test func kangxiRadicalsAreSearchedAsTheirIdeographs() throws {
        let index = SearchIndex()
        index.add(articles: [
            TestCorpus.article(id: "kx", page: "kx", headline: "新聞測試", body: ["\u{2FB9}港特別行政區政府\u{2F47}前公布，\u{2F08}民生活改善。"]),
            TestCorpus.article(id: "port", page: "port", headline: "港口消息", body: ["港口貨運量增加。"]),
        ])
        #expect(try index.matchingArticleIDs("香港") == ["kx"])
        #expect(try index.matchingArticleIDs("\u{2FB9}港") == ["kx"])
        #expect(try index.matchingArticleIDs("人民生活") == ["kx"])
        #expect(try Self.highlighted(index, "香港")["kx"] == ["\u{2FB9}港"])
        // A radical with no single ideograph (⺀) is still a character of the query, never dropped.
        #expect(try index.matchingArticleIDs("\u{2E80}港").isEmpty)
    }

    @Test func compatibilityIdeographsMatchTheirCanonicalForm() throws {
        let index = SearchIndex()
        index.add(articles: [
            TestCorpus.article(id: "compat", page: "c", headline: "會展中心開幕", body: ["昨天舉行\u{F9DC}重開幕儀式。"]),
            TestCorpus.article(id: "plain", page: "p", headline: "國宴", body: ["昨晚舉行隆重國宴。"]),
        ])
        for query in ["隆重", "\u{F9DC}重"] {
            #expect(Set(try index.matchingArticleIDs(query)) == ["compat", "plain"], "\(query)")
        }
        #expect(try Self.highlighted(index, "隆重")["compat"] == ["\u{F9DC}重"])
    }

    @Test func whiteCircleZeroIsACharacterMatchedWithIdeographicZero() throws {
        let index = SearchIndex()
        index.add(articles: [
            TestCorpus.article(id: "year", page: "y", headline: "倒计时", body: ["二○○○年长城将竖立倒计时钟。"]),
            TestCorpus.article(id: "other", page: "o", headline: "消息", body: ["第二条消息，明年再说。"]),
            TestCorpus.article(id: "ling", page: "l", headline: "计划", body: ["二〇〇〇年计划完成。"]),
        ])
        #expect(Set(try index.matchingArticleIDs("二○○○")) == ["year", "ling"])
        #expect(Set(try index.matchingArticleIDs("二〇〇〇")) == ["year", "ling"])
        #expect(Set(try index.matchingArticleIDs("○")) == ["year", "ling"])
        #expect(try Self.highlighted(index, "二○○○")["year"] == ["二○○○"])
    }

    @Test func simplifiedFormsOutsideTheBMPMatchTheirTraditionalTwins() throws {
        let index = SearchIndex()
        index.add(articles: [
            TestCorpus.article(id: "trad", page: "t", headline: "書畫展", body: ["書畫家趙孟頫的作品展出，今年鰊魚豐收，\u{282E2}上落貨。"]),
            TestCorpus.article(id: "simp", page: "s", headline: "书画展", body: ["书画家赵孟\u{2B5AF}的作品展出，今年\u{2CDA0}鱼丰收，䢂上落货。"]),
        ])
        for query in ["趙孟頫", "赵孟\u{2B5AF}", "鰊魚", "\u{2CDA0}鱼", "\u{282E2}", "䢂"] {
            #expect(Set(try index.matchingArticleIDs(query)) == ["trad", "simp"], "\(query)")
        }
        let marks = try Self.highlighted(index, "趙孟頫")
        #expect(marks["trad"] == ["趙孟頫"] && marks["simp"] == ["赵孟\u{2B5AF}"])
    }

    @Test func variationSelectorsArePassedOver() throws {
        let index = SearchIndex()
        index.add(articles: [
            TestCorpus.article(id: "ivs", page: "i", headline: "醫院新翼啟用",
                               body: ["本報訊 葛\u{E0100}量洪醫院新翼昨天啟用，院長邊\u{E0101}國雄主持，葛\u{FE00}量洪。"]),
            TestCorpus.article(id: "plain", page: "p", headline: "院長訪問", body: ["院長邊國雄昨天訪問葛量洪醫院。"]),
        ])
        for query in ["邊國雄", "边国雄", "葛量洪醫院", "邊\u{E0101}國雄", "葛\u{FE00}量洪"] {
            #expect(Set(try index.matchingArticleIDs(query)) == ["ivs", "plain"], "\(query)")
        }
        let marks = try Self.highlighted(index, "边国雄")
        #expect(marks["ivs"] == ["邊\u{E0101}國雄"])
        #expect(try Self.highlighted(index, "葛量洪")["ivs"] == ["葛\u{E0100}量洪", "葛\u{FE00}量洪"])
        // Offsets after a selector stay scalar offsets into the text as stored.
        let tokens = Analyzer.tokens(of: "邊\u{E0101}國雄")
        #expect(tokens.map(\.start) == [0, 2, 0, 3, 2] && tokens.map(\.end) == [1, 3, 3, 4, 4])
        #expect(foldedKey("邊\u{E0101}國 雄") == foldedKey("邊國雄") && withoutWhitespace("边\u{E0101}国雄") == "边国雄")
    }

    /// A person printed with a variation selector is the same entity as without, keyed without it.
    @Test func entityKeysLeaveVariationSelectorsOut() throws {
        func person(_ text: String, start: UInt32) -> Folio_V1_Entity {
            var entity = Folio_V1_Entity()
            entity.type = .person
            entity.text = text
            entity.normalized = IndexFold.shared.simplify(text)
            var mention = Folio_V1_Mention()
            mention.block = 0
            mention.start = start
            mention.end = start + UInt32(text.unicodeScalars.count)
            entity.mentions = [mention]
            return entity
        }
        var ivs = TestCorpus.article(id: "ivs-01", page: "ivs", headline: "醫院", body: ["院長邊\u{E0101}國雄主持儀式。"])
        ivs.entities = [person("邊\u{E0101}國雄", start: 2)]
        var plain = TestCorpus.article(id: "plain-01", page: "plain", headline: "訪問", body: ["院長邊國雄昨天訪問。"])
        plain.entities = [person("邊國雄", start: 2)]
        let index = SearchIndex()
        index.add(articles: [ivs, plain])
        for text in ["邊國雄", "边国雄", "邊\u{E0101}國雄"] {
            var get = Folio_V1_GetEntityRequest()
            get.text = text
            let found = try #require(try index.getEntity(get), "\(text)")
            #expect(found.entity.articles == 2 && found.entity.text == "边国雄", "\(text)")
            #expect(Set(found.mentions.map(\.text)) == ["邊\u{E0101}國雄", "邊國雄"])
        }
        #expect(Set(try index.matchingArticleIDs("entity:边国雄")) == ["ivs-01", "plain-01"])
    }
}

/// Accents composed or not (PDF text layers and wire feeds give u + U+0308 for ü) are the same
/// text, and a Latin letter's diacritics fold away as case does: Müller, Müller and Muller,
/// pinyin with or without its tones, all find one another, with the accent inside the highlight.
@Suite struct DiacriticSearchTests {
    @Test func composedAndDecomposedAccentsMatch() throws {
        let index = SearchIndex()
        index.add(articles: [
            TestCorpus.article(id: "nfd", page: "d", headline: "德国球员", body: ["德国球员Gerd Mu\u{0308}ller和Jose\u{0301}昨天抵达。"]),
            TestCorpus.article(id: "nfc", page: "c", headline: "拜仁消息", body: ["拜仁球员Thomas M\u{00FC}ller和Jos\u{00E9}今天训练。"]),
            TestCorpus.article(id: "pinyin", page: "p", headline: "地名", body: ["北京（Běijīng）是首都。"]),
        ])
        for query in ["M\u{00FC}ller", "Mu\u{0308}ller", "muller", "MÜLLER"] {
            #expect(Set(try index.matchingArticleIDs(query)) == ["nfd", "nfc"], "\(query)")
        }
        #expect(Set(try index.matchingArticleIDs("Jos\u{00E9}")) == ["nfd", "nfc"])
        #expect(try index.matchingArticleIDs("beijing") == ["pinyin"])
        let highlighted = try FoldedCharacterSearchTests.highlighted(index, "müller")
        #expect(highlighted["nfd"] == ["Mu\u{0308}ller"], "\(highlighted)")
        #expect(highlighted["nfc"] == ["M\u{00FC}ller"], "\(highlighted)")
    }
}
