import FolioModel
@testable import FolioParser
import Testing

/// Captions without a photo credit on extracted pages: a picture item's caption that says what
/// the picture shows, numbered photos read before their story, a credit followed by the wire's name.
@Suite struct PictureCaptionTests {
    static let tea = "南岭茶园今年春茶开采比往年提前了一周，茶农们趁着晴好天气抢摘新芽，茶厂也提前开工。"
    static let teaEnd = "茶厂负责人说，今年的春茶产量预计比去年增加两成，价格保持平稳。"
    static let bridge = "新年伊始，北湖新区的跨湖大桥建成通车。图为车辆通过大桥驶往新区。"
    static let dam = "到去年年底，西山水库共蓄水一千二百万立方米，比往年多出三成。这是工人们在检修闸门。"
    static let park = "今年春季，城东公园迎来游客高峰，园方增设了三条步行线路，并在入口处设置了导览牌。"

    @Test func aTitledParagraphSayingWhatThePictureShowsIsACaption() {
        for (title, text) in [("大桥通车", Self.bridge), ("水库蓄水", Self.dam)] {
            let lines = ["南岭春茶开采", "本报南岭４月２日电"] + visualLines(Self.tea, width: 12) + visualLines(Self.teaEnd, width: 12)
                + [title] + visualLines(text, width: 24, indent: 0)
                + ["城东公园游客增多", "本报讯"] + visualLines(Self.park, width: 12)
            let p = parse(run(lines) + "\n")
            #expect(p.articles.map(\.headline) == ["南岭春茶开采", title, "城东公园游客增多"])
            let item = p.articles.first { $0.headline == title }
            #expect(item?.body.isEmpty == true)
            #expect(item?.captions.map(\.text) == [text])
            #expect(p.articles.last?.body.map(\.text) == [Self.park])
        }
    }

    @Test func aStoryWithADatelineOrMoreTextKeepsItsParagraphs() {
        let dated = "本报北湖４月２日讯　" + Self.dam
        let lines = ["南岭春茶开采"] + visualLines(Self.tea, width: 12) + ["水库蓄水"] + visualLines(dated, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.flatMap(\.captions).isEmpty)
        #expect(!PictureCaptions.showsPicture(Array("他说，这是我们第一次来到这里。".unicodeScalars)))
        #expect(PictureCaptions.showsPicture(Array("三月二日，水库蓄水。這是工人在檢修閘門。".unicodeScalars)))
    }

    @Test func aNumberedPhotoReadBeforeALowerNumberIsACaption() {
        let one = "１：园林工人在新修的步道旁栽种树苗。"
        let two = "２：游客在湖边的长廊里休息。"
        let lines = ["城东公园游客增多"] + visualLines(Self.park, width: 12) + visualLines(two, width: 12)
            + visualLines(one, width: 12) + ["南岭春茶开采"] + visualLines(Self.tea, width: 12)
        let p = parse(run(lines) + "\n")
        let park = p.articles.first { $0.headline == "城东公园游客增多" }
        #expect(park?.captions.map(\.text) == [two])
        #expect(park?.body.map(\.text) == [Self.park, one])
    }

    @Test func aNumberedPhotoReadBeforeTheHeadlineGoesWithItsStory() {
        let one = "１：园林工人在新修的步道旁栽种树苗。"
        let two = "２：游客在湖边的长廊里休息。"
        let lines = ["南岭春茶开采", "本报南岭４月２日电"] + visualLines(Self.tea, width: 12) + visualLines(Self.teaEnd, width: 12)
            + [two, "城东公园游客增多"] + visualLines(Self.park, width: 12) + visualLines(one, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["南岭春茶开采", "城东公园游客增多"])
        #expect(p.articles.last?.captions.map(\.text) == [two])
    }

    @Test func aListInOrderStaysText() {
        let items = ["１、园林工人在新修的步道旁栽种树苗。", "２、游客在湖边的长廊里休息。",
                     "１、茶农趁着晴好天气抢摘新芽。", "２、茶厂提前开工。"]
        let lines = ["城东公园游客增多"] + visualLines(Self.park, width: 12) + items.flatMap { visualLines($0, width: 12) }
            + ["南岭春茶开采"] + visualLines(Self.tea, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.flatMap(\.captions).isEmpty)
    }

    @Test func aCreditFollowedByTheWiresNameClosesACaption() {
        let s = Array("工人们在检修闸门。（林小河摄）（新华社稿）".unicodeScalars)
        #expect(PageFurniture.endsWithPhotoSource(s))
        #expect(!PageFurniture.endsWithPhotoSource(Array("水库今年蓄水比往年多出三成。（新华社稿）".unicodeScalars)))
    }
}

/// A picture item's title may hold a comma (`画年画，咱也行！`): right over its caption it is a title.
@Suite struct CommaPictureTitleTests {
    @Test func aCommaTitleRightOverACaptionIsAPictureItem() {
        let title = "种果树，咱也行！"
        let caption = "走进北湖乡，你会看到家家户户的院子里都种上了果树，乡里还办起了果树技术培训班，农民们学得十分认真。（林小河摄）"
        let lines = ["南岭春茶开采", "本报南岭４月２日电"] + visualLines(PictureCaptionTests.tea, width: 12)
            + [title] + visualLines(caption, width: 30, indent: 0)
            + ["城东公园游客增多", "本报讯"] + visualLines(PictureCaptionTests.park, width: 12)
        let p = parse(run(lines) + "\n")
        #expect(p.articles.map(\.headline) == ["南岭春茶开采", title, "城东公园游客增多"])
        #expect(p.articles.first { $0.headline == title }?.captions.count == 1)
    }
}
