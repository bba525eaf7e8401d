import FolioModel
@testable import FolioParser
import Testing

/// pdftotext's default order: an author line set apart from its headline comes out in a block of
/// its own, right over the text; its headline may have been read earlier, with another story between.
@Suite struct AuthorBlockTests {
    static let parkStory = ["城东公园迎来游客高峰"] + visualLines("本报南城３月２日电　" + ParkStory.park, width: 13)
    static let orchard = visualLines("本报北坡３月２日电　果园负责人说，今年的梨树开花较早，预计产量比去年增加两成，", width: 13)
    static let forest = visualLines("西山林场今年共栽种树苗十二万株，成活率超过九成，林场还新修了两条防火道。", width: 13)
        + visualLines(ParkStory.water, width: 13)

    @Test func aNameInABlockOfItsOwnOverTextIsNoHeadline() {
        // The forest story's headline is read before the orchard story, whose text jumps to another page.
        let p = parse(page(run(Self.parkStory), run(["西山林场植树忙"]),
                           run(["北坡梨花开"] + Self.orchard + ["（下转第二版）"]), run(["林小河"]), run(Self.forest)))
        #expect(!p.articles.map(\.headline).contains("林小河"))
        let forest = p.articles.first { $0.headline == "西山林场植树忙" }
        #expect(forest?.bylines.map(\.name) == ["林小河"])
        #expect(forest?.body.first?.text.hasPrefix("西山林场今年共栽种树苗") == true)
    }

    @Test func placeNamesAreNoAuthors() {
        #expect(AuthorBlock.namesPlace(Array("安徽省".unicodeScalars)))
        #expect(AuthorBlock.namesPlace(Array("德国".unicodeScalars)))
        #expect(AuthorBlock.namesPlace(Array("廣東".unicodeScalars)))
        #expect(!AuthorBlock.namesPlace(Array("林小河".unicodeScalars)))
        #expect(!AuthorBlock.namesPlace(Array("崔 治".unicodeScalars)))
        #expect(!AuthorBlock.namesPlace(Array("陈建国".unicodeScalars)))
    }

    @Test func onlyABlockOfItsOwnOverProse() {
        let name = SourceBlock(line: 5, gapBefore: 1, scalars: Array("林小河".unicodeScalars))
        let text = SourceBlock(line: 7, gapBefore: 1, scalars: Array("西山林场今年共栽种树苗".unicodeScalars))
        #expect(AuthorBlock.opensText(name, next: text, nextIsProse: true))
        #expect(!AuthorBlock.opensText(name, next: text, nextIsProse: false))
        #expect(!AuthorBlock.opensText(name, next: SourceBlock(line: 6, gapBefore: 0, scalars: text.scalars), nextIsProse: true))
    }
}
