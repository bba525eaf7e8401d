import FolioEntities
import FolioModel
@testable import FolioParser
import FolioTestSupport
import Foundation
import Testing

/// The parser is total: any input gives a page, and every line it cites exists.
@Suite struct TotalityTests {
    /// Deterministic generator so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    static func citedLines(_ p: Folio_V1_Page) -> [UInt32] {
        var lines: [UInt32] = p.sections.map(\.line) + p.credits.map(\.line) + p.diagnostics.map(\.line)
        lines += p.captions.flatMap(\.lines)
        for a in p.articles {
            lines += [a.lines.first, a.lines.last] + a.bylines.map(\.line) + a.diagnostics.map(\.line)
            lines += (a.lead + a.body).flatMap(\.lines) + a.captions.flatMap(\.lines)
            if a.hasDateline { lines.append(a.dateline.line) }
        }
        return lines
    }

    func checkLines(_ p: Folio_V1_Page) {
        for l in Self.citedLines(p) { #expect(l <= p.lineCount, "line \(l) beyond \(p.lineCount)") }
        for a in p.articles { for b in a.lead + a.body { #expect(!b.lines.isEmpty && b.lines.allSatisfy { $0 >= 1 }) } }
    }

    @Test func randomTextNeverBreaksIt() {
        var rng = SplitMix(state: 42)
        let alphabet = Array("報訊本报记者崔治■ JIAOBU——核心提示，。：“”（）摄１２月日讯电新华社\n\n\n錦州港作為打運a1 　\r\t".unicodeScalars)
        for _ in 0..<300 {
            let n = Int.random(in: 0..<400, using: &rng)
            var s = String.UnicodeScalarView()
            for _ in 0..<n { s.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
            checkLines(parse(String(s)))
        }
    }

    /// Page headers, Republic years and vertical punctuation forms in any order.
    @Test func randomHeadersEraYearsAndVerticalFormsNeverBreakIt() {
        var rng = SplitMix(state: 113)
        let alphabet = Array("中華民國民国元年月日號第A2版/星期一二〇十百９報聯合︰﹁﹂﹃﹄︵︶︽︾︐︑︒，。「」林鄭月娥\n\n 　".unicodeScalars)
        for _ in 0..<300 {
            let n = Int.random(in: 0..<300, using: &rng)
            var s = String.UnicodeScalarView()
            for _ in 0..<n { s.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
            checkLines(PageParser(entityRecognizer: .shared).parse(text: String(s), source: "random.txt"))
        }
    }

    @Test func randomBytesNeverBreakIt() {
        var rng = SplitMix(state: 7)
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let p = PageParser().parse(data: bytes, source: "random.bin")
            checkLines(p)
        }
    }

    @Test(.enabled(if: FolioTestSupport.SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) func everyPrefixOfTheSeedPageParses() throws {
        let text = try TestPaths.read(TestPaths.seedPage)
        let scalars = Array(text.unicodeScalars)
        var cut = 0
        while cut <= scalars.count {
            let p = parse(String(String.UnicodeScalarView(scalars[0..<cut])))
            checkLines(p)
            cut += 97
        }
    }

    @Test func invalidUTF8AndBinaryInputGiveErrors() {
        var bytes = Array("標題\n\n正文。\n".utf8)
        bytes.insert(0xFF, at: 8)
        let p = PageParser().parse(data: bytes, source: "bad.txt")
        #expect(p.diagnostics.first?.code == "input-invalid-utf8")
        #expect(p.diagnostics.first?.severity == .error)
        #expect(p.articles.count == 1)

        let bin = PageParser().parse(data: [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x00, 0x01], source: "a.out")
        #expect(bin.diagnostics.map(\.code) == ["input-binary"])
        #expect(bin.articles.isEmpty)

        let empty = PageParser().parse(data: [], source: "empty.txt")
        #expect(empty.diagnostics.map(\.code) == ["page-empty"])
        #expect(parse("\n\n  \n").articles.isEmpty)
    }

    @Test func crlfAndCRLineEndsCountLines() {
        let p = parse("標題\r\n\r\n正文。\r\n")
        #expect(p.lineCount == 3)
        #expect(p.articles[0].body[0].lines == [3])
    }

    /// Numerals of any magnitude next to 年/月/日 and units once trapped in Int(Double).
    @Test(arguments: ["1亿亿亿月", "99999999999999999999月", "1998年1亿亿亿月", "1月1亿亿亿日",
                      "1998年99999999999999999999月3日", "九九九九九九九九九九九九九九九九九九九九九年",
                      "1亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿元",
                      String(repeating: "9", count: 400) + "日", String(repeating: "亿", count: 300) + "吨",
                      "0.000000000000000000001亿万月", "民国99999999999999999999年", "中華民國九九九九九九九九九年1亿亿月",
                      "民國元年99999999999999999999月", "民国", "一千亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿人"])
    func hugeNumeralsParse(_ text: String) {
        let p = PageParser().parse(text: "标题\n\n本报北京1月4日讯 \(text)，\(text)。\n", source: "1998-01-04_A1.txt")
        checkLines(p)
        #expect(p.articles.count == 1)
    }

    /// Shapes a fuzzer or a hostile client sends: every one returns a page, with its lines intact.
    @Test func pathologicalShapesParse() {
        var rng = SplitMix(state: 99)
        func han(_ n: Int) -> String {
            String(String.UnicodeScalarView((0..<n).map { _ in Unicode.Scalar(0x4E00 + UInt32.random(in: 0..<3000, using: &rng))! }))
        }
        let shapes: [String] = [
            han(20_000),                                                           // one long line
            (0..<5_000).map { _ in han(1) }.joined(separator: "\n"),               // short lines
            (0..<2_000).map { _ in "本报北京1月\(Int.random(in: 1...31, using: &rng))日讯记者\(han(2))报道：" }.joined(separator: "\n"),
            String(repeating: "■\n\n", count: 2_000),
            String(repeating: "——\n", count: 2_000),
            String(repeating: "（\n", count: 2_000) + String(repeating: "）", count: 2_000),
            String(repeating: "测试内容。\n", count: 3_000),
        ]
        for text in shapes { checkLines(parse(text)) }
    }

    /// Pages of a hundred thousand short lines or datelines, all read as one paragraph: the joiner
    /// tested the whole paragraph so far at each line (1 MB took 30 s, 4 MB would take eight
    /// minutes). Not a timing: the limit only stops a run that would hang (a debug build beside the
    /// rest of the suite on two busy cores took over a minute; `folio-bench` prints the times).
    @Test(.timeLimit(.minutes(10))) func manyShortLinesJoinInLinearTime() {
        var rng = SplitMix(state: 7)
        func han(_ n: Int) -> String {
            String(String.UnicodeScalarView((0..<n).map { _ in Unicode.Scalar(0x4E00 + UInt32.random(in: 0..<3000, using: &rng))! }))
        }
        let short = (0..<100_000).map { _ in han(1) }.joined(separator: "\n")
        let datelines = (0..<30_000).map { _ in "本报北京1月\(Int.random(in: 1...31, using: &rng))日讯记者\(han(2))报道：\(han(1))" }
            .joined(separator: "\n")
        for text in [short, datelines] { checkLines(parse(text)) }
    }
}
