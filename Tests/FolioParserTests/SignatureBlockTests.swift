@testable import FolioParser
import Testing

/// A decree's signer and date stand between its preamble and its body: no new story starts there.
@Suite struct SignatureBlockTests {
    @Test func bareDatesAndSigners() {
        #expect(SignatureBlock.isBareDate(Array("１９９８年４月２日".unicodeScalars)))
        #expect(SignatureBlock.isBareDate(Array("一九九八年四月二日".unicodeScalars)))
        #expect(!SignatureBlock.isBareDate(Array("４月２日电".unicodeScalars)))
        #expect(!SignatureBlock.isBareDate(Array("今年４月２日".unicodeScalars)))
        #expect(SignatureBlock.belongs(Array("县长林河".unicodeScalars), next: Array("１９９８年４月２日".unicodeScalars)))
        #expect(!SignatureBlock.belongs(Array("南岭春茶开采".unicodeScalars), next: Array("本报南岭４月２日电".unicodeScalars)))
    }

    @Test func decreeKeepsItsHeadlineOverItsBody() {
        let preamble = "现发布《北湖县关于修改村道管理办法的决定》，自发布之日起施行。"
        let body = "县政府决定对村道管理办法作如下修改：第二条修改为本办法适用于全县的村道和乡道，乡道由乡政府负责日常养护。"
        let lines = visualLines(preamble, width: 12) + ["县长林河", "１９９８年４月２日"] + visualLines(body, width: 12)
        let p = parse(page("北湖县关于修改村道管理办法的决定", run(lines)))
        #expect(p.articles.map(\.headline) == ["北湖县关于修改村道管理办法的决定"])
        #expect(p.articles.first?.body.map(\.text) == [preamble, "县长林河", "１９９８年４月２日", body])
    }
}
