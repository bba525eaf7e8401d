import FolioModel
import Testing
@testable import FolioParser

/// `pdftotext` reading three columns row by row, each visual line a block of its own: the run is
/// put back column after column and re-flowed into the story's paragraphs.
@Suite struct InterleavedColumnsTests {
    static let columns = [
        ["今年以来，全市各级政府把改", "善民生作为工作的重点，加大", "财政投入力度，新建学校和医", "院四十多所，解决了群众看病", "难、上学难的问题。"],
        ["与此同时，城市基础设施建设", "也取得了明显进展，新修道路", "一百多公里，改造老旧小区二", "十多个，市民的居住环境得到", "了很大的改善。"],
        ["明年，全市将继续加快经济结", "构调整的步伐，大力发展现代", "服务业和高新技术产业，努力", "实现经济社会发展的各项目标", "和任务。"],
    ]

    static func interleaved() -> [String] {
        (0..<5).flatMap { row in columns.map { $0[row] } }
    }

    @Test func columnsReadRowByRowArePutBackInOrder() {
        let p = parse(page(["城市建设取得新进展"] + Self.interleaved()))
        let body = p.articles.flatMap { $0.body.map(\.text) }
        #expect(body == Self.columns.map { $0.joined() }, "\(body)")
    }

    /// Paragraphs one per line with blank lines between (the seed's form) are left as they are.
    @Test func wholeParagraphsStandingAloneAreNotRegrouped() {
        let paragraphs = Self.columns.map { $0.joined() }
        let p = parse(page(["城市建设取得新进展"] + paragraphs))
        #expect(p.articles.flatMap { $0.body.map(\.text) } == paragraphs)
    }
}
