import FolioModel
@testable import FolioParser
import FolioTestSupport
import FolioText
import Testing

/// `LineRoles.markPlaceLabels` looks back from each caption; it must mark what a scan of the
/// whole page in order marks (runs of labels cut in groups from their first line).
@Suite struct PlaceLabelTests {
    /// The page-order scan the look-back replaced.
    static func markedInOrder(_ roles: [LineRole], _ blocks: [SourceBlock]) -> [Bool] {
        func isLabel(_ i: Int) -> Bool {
            switch roles[i] {
            case .text, .names: break
            default: return false
            }
            let s = blocks[i].scalars
            return s.count >= 2 && s.count <= LineRoles.placeLabelMax && s.allSatisfy(CharacterClass.isHan)
        }
        func isName(_ i: Int) -> Bool { if case .names = roles[i] { return true } else { return false } }
        var marked = [Bool](repeating: false, count: roles.count)
        var i = 0
        while i < roles.count {
            guard isLabel(i) else { i += 1; continue }
            var j = i
            while j < roles.count && j - i <= LineRoles.placeLabelMax && isLabel(j) { j += 1 }
            if j < roles.count, case .caption = roles[j], j - i >= 2 || !isName(i) {
                for k in i..<j { marked[k] = true }
            }
            i = j
        }
        return marked
    }

    @Test func lookBackMarksWhatThePageOrderScanMarks() {
        var random = SplitMix64(seed: 7)
        let texts = ["湖南", "江西省", "各地农民翻耕土地", "A股", "山"]
        var seriesSeen = 0
        for _ in 0..<300 {
            let n = 1 + Int(random.next() % 40)
            var roles: [LineRole] = []
            var blocks: [SourceBlock] = []
            for line in 0..<n {
                switch random.next() % 6 {
                case 0: roles.append(.caption(Folio_V1_Caption()))
                case 1: roles.append(.names([]))
                case 2: roles.append(.jump)
                default: roles.append(.text)
                }
                let text = texts[Int(random.next() % UInt64(texts.count))]
                blocks.append(SourceBlock(line: UInt32(line + 1), gapBefore: 0, scalars: Array(text.unicodeScalars)))
            }
            let expected = Self.markedInOrder(roles, blocks)
            var marked = roles
            LineRoles.markPlaceLabels(&marked, blocks)
            let got = marked.map { if case .placeLabel = $0 { return true } else { return false } }
            #expect(got == expected)
            if expected.contains(true) { seriesSeen += 1 }
        }
        #expect(seriesSeen > 30)  // the pages drawn do hold photo series
    }

    @Test func aLongRunOfLabelsMarksOnlyTheGroupAboveTheCaption() {
        let labels = ["湖南", "江西", "广东", "广西", "福建", "浙江"]
        var roles = [LineRole](repeating: .text, count: labels.count)
        roles.append(.caption(Folio_V1_Caption()))
        let blocks = (labels + ["各地农民抓住晴好天气翻耕土地。"]).enumerated().map {
            SourceBlock(line: UInt32($0.offset + 1), gapBefore: 0, scalars: Array($0.element.unicodeScalars))
        }
        LineRoles.markPlaceLabels(&roles, blocks)
        // Six labels: a group of four from the first, then the two above the caption.
        let marked = roles.map { if case .placeLabel = $0 { return true } else { return false } }
        #expect(marked == [false, false, false, false, true, true, false])
    }
}
