import FolioModel
import Foundation
import Testing
@testable import FolioIndex

/// Words whose other script's form is another phrase, not the same characters folded one by one:
/// Taiwan's 計畫 for 计划, 彷彿 for 仿佛, 義大利 for 意大利 (another length too). A search in
/// one script finds the others, both ways, as exclusions do, with the form found highlighted.
@Suite struct ScriptFormSearchTests {
    static func index() -> SearchIndex {
        let index = SearchIndex()
        index.add(articles: [
            TestCorpus.article(id: "tw", page: "tw", headline: "經濟計畫獲通過", body: ["行政院通過新的計畫，使人們彷彿看到希望。"]),
            TestCorpus.article(id: "cn", page: "cn", headline: "经济计划完成", body: ["全年计划顺利完成，仿佛一切如常。"]),
            TestCorpus.article(id: "it", page: "it", headline: "義大利總理訪華", body: ["義大利總理今天抵達。"]),
            TestCorpus.article(id: "other", page: "o", headline: "消息", body: ["画家举行画展。"]),
        ])
        return index
    }

    @Test func aWordFindsItsPhraseFormsInEveryScript() throws {
        let index = Self.index()
        for query in ["计划", "計畫", "計劃"] {
            #expect(Set(try index.matchingArticleIDs(query)) == ["tw", "cn"], "\(query)")
        }
        for query in ["仿佛", "彷彿"] {
            #expect(Set(try index.matchingArticleIDs(query)) == ["tw", "cn"], "\(query)")
        }
        #expect(try index.matchingArticleIDs("意大利总理") == ["it"])
        #expect(try index.matchingArticleIDs("义大利") == ["it"])
        // 计画 is 計畫 folded one character at a time: read as that form. 画 alone is no phrase form.
        #expect(Set(try index.matchingArticleIDs("计画")) == ["tw", "cn"])
        #expect(try index.matchingArticleIDs("画展") == ["other"])
    }

    @Test func exclusionsAndHighlightsCoverTheOtherForms() throws {
        let index = Self.index()
        #expect(Set(try index.matchingArticleIDs("经济 -计划")).isEmpty)
        #expect(Set(try index.matchingArticleIDs("总理 -意大利")).isEmpty)
        let highlighted = try FoldedCharacterSearchTests.highlighted(index, "计划")
        #expect(highlighted["tw"]?.contains("計畫") == true, "\(highlighted)")
        #expect(highlighted["cn"]?.contains("计划") == true, "\(highlighted)")
    }
}
