import FolioModel
@testable import FolioParser
import Testing

/// A caption and the page's photo credit read as one line by the extractor.
@Suite struct CaptionCreditTests {
    @Test func captionBeforeThePageCreditIsACaption() {
        let caption = "晨雾中的西山林场远眺。"
        let line = SourceBlock(line: 3, gapBefore: 0, scalars: Array((caption + " 本版图片由林小河摄").unicodeScalars))
        let split = CaptionCredit.split(line)
        #expect(split?.caption.text == caption)
        #expect(split?.credit.photographers == ["林小河"])
        // Prose that merely ends with a space and a name is not split.
        #expect(CaptionCredit.split(SourceBlock(line: 1, gapBefore: 0, scalars: Array("今天的会议由他主持 林小河".unicodeScalars))) == nil)
    }

    @Test func pageWithCaptionAndCreditOnOneLineKeepsTheCaptionOutOfTheText() {
        let harbour = "今年春天，北湖港新建的三座码头陆续投入使用，港区吞吐能力比去年提高了三成。"
        let tea = "南岭茶园今年春茶开采比往年提前了一周，茶农们趁着晴好天气抢摘新芽。"
        let caption = "晨雾中的西山林场远眺。"
        let lines = ["北湖新建三座码头"] + visualLines(harbour, width: 12) + [caption + " 本版图片由林小河摄"]
            + ["南岭春茶开采"] + visualLines(tea, width: 12)
        let p = parse(run(lines) + "\n")
        let captions = p.articles.flatMap(\.captions).map(\.text) + p.captions.map(\.text)
        #expect(captions.contains(caption))
        #expect(p.credits.contains { $0.photographers == ["林小河"] })
        #expect(!p.articles.flatMap { $0.body.map(\.text) }.contains { $0.contains("本版") || $0.contains("远眺") })
    }
}
