import FolioModel
@testable import FolioParser
import FolioText
import Foundation
import Testing

/// The same page in Traditional (OpenCC's own s2t and s2twp, an oracle nobody here tuned) parses
/// into the same articles as in Simplified: a closing `（新華社北京１２月３１日電）` was not seen as a
/// story's end, and the stories after it were swallowed into one article.
@Suite struct ScriptParityTests {
    /// What a page's structure is, whatever its script.
    static func shape(_ page: Folio_V1_Page) -> [String] {
        page.articles.map { a in
            "headline \(!a.headline.isEmpty) subtitle \(!a.subtitle.isEmpty) blocks \(a.lead.count) \(a.body.count) section \(!a.section.isEmpty) dateline \(a.hasDateline) "
                + "bylines \(a.bylines.count) captions \(a.captions.count)"
        }
    }

    static func pages() throws -> [(name: String, text: String)] {
        let folder = TestPaths.generatedPages
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        return try [("seed-page", TestPaths.read(TestPaths.seedPage))]
            + names.map { ($0, try TestPaths.read(folder.appendingPathComponent($0))) }
    }

    @Test(arguments: [OutputForm.traditional, .taiwan])
    func aPageInTraditionalHasTheArticlesOfItsSimplifiedForm(form: OutputForm) throws {
        var differing: [String] = []
        let pages = try Self.pages()
        for (name, text) in pages {
            let converted = try ScriptConverter.shared.convert(text, to: form)
            if Self.shape(parse(text, source: name)) != Self.shape(parse(converted, source: name)) { differing.append(name) }
        }
        #expect(differing.isEmpty, "\(differing.count) of \(pages.count) pages: \(differing.prefix(10))")
    }

    @Test func aWireStoryEndingInTraditionalEndsTheStory() throws {
        let simplified = page(
            "谢谢！（新华社北京１２月３１日电）", "在十五大精神指引下胜利前进——元旦献辞",
            "１９９８，瞩目中华。新的机遇和挑战，催人进取；新的目标和征途，催人奋发。英雄的中国人民在以江泽民同志为核心的党中央坚强领导和党的十五大精神指引下，更高地举起邓小平理论的伟大旗帜，团结一致，扎实工作，奋勇前进，一定能够创造出更加辉煌的业绩！",
            "北京举行新年音乐会", "江泽民李鹏乔石朱镕基李瑞环刘华清尉健行李岚清与万名首都各界群众和劳动模范代表一起辞旧迎新（附图片１张）")
        let traditional = try ScriptConverter.shared.convert(simplified, to: .traditional)
        #expect(traditional.contains("電）"))
        #expect(Self.shape(parse(traditional)) == Self.shape(parse(simplified)))
        #expect(parse(traditional).articles.map(\.headline).contains("北京舉行新年音樂會"))
    }
}
