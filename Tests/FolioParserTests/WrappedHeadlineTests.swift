import FolioModel
@testable import FolioParser
import Testing

/// A headline set over several lines in a narrow module, as an extractor writes it: the lines
/// under the first that re-flow does not join (no word across the break) are still its rest.
@Suite struct WrappedHeadlineTests {
    static let harbour = HeadlineBandTests.harbour
    static let ships = HeadlineBandTests.ships
    static let wheat = "东平县今年种植冬小麦四十万亩，入春以来墒情良好，苗情比往年明显要好，县农业局组织技术人员分片包村。"

    static func story(_ titleLines: [String]) -> String {
        page(run(titleLines + ["本报北湾４月２日电"] + visualLines(harbour, width: 12, indent: 0) + visualLines(ships, width: 12)),
             run(["东平冬小麦长势良好"] + visualLines(wheat, width: 12)))
    }

    @Test func aHeadlineWrappedOverThreeNarrowLinesIsOneHeadline() {
        let p = parse(Self.story(["实施四大工程促进", "稳定振兴港区建成", "千里沿海经济走廊"]))
        #expect(p.articles.first?.headline == "实施四大工程促进稳定振兴港区建成千里沿海经济走廊")
        #expect(p.articles.first?.subtitle == "")
        #expect(p.articles.first?.dateline.agency == "本报")
    }

    @Test func aLineWiderThanTheHeadlineStaysApart() {
        // A deck under a short headline, wider than it: not the headline's rest.
        let p = parse(Self.story(["北湾港吞吐量增长", "两条新航线运行平稳"]))
        #expect(p.articles.first?.headline == "北湾港吞吐量增长")
    }

    @Test func aDashedSubtitleStaysTheSubtitle() {
        let p = parse(Self.story(["北湾港吞吐量增长", "——新航线运行平稳"]))
        #expect(p.articles.first?.headline == "北湾港吞吐量增长")
        #expect(p.articles.first?.subtitle.hasSuffix("新航线运行平稳") == true)
    }
}
