import Foundation
import Testing
@testable import FolioStore

/// Which files of pages/ are read as pages, and which are reported as not read.
@Suite struct PageRepositoryFilesTests {
    @Test func aTextFileBesideAPageRecordIsReportedNotRead() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("folio-repo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repository = PageRepository(root: root)
        _ = try repository.prepare()
        #expect(try !repository.save(StoredPageFile(pageID: "p1", text: "标题\n\n正文。\n", source: "p1.txt", info: nil)))
        #expect(try !repository.save(StoredPageFile(pageID: "p2", text: "标题\n\n正文。\n", source: "p2.txt", info: nil)))
        // Someone drops p1.txt (another text of page p1) and p3.txt (a page of its own) into pages/.
        try "另一标题\n\n另一正文。\n".write(toFile: repository.pagesDirectory + "/p1.txt", atomically: false, encoding: .utf8)
        try "第三页\n\n正文。\n".write(toFile: repository.pagesDirectory + "/p3.txt", atomically: false, encoding: .utf8)
        let ids = try repository.pageIDs().ids
        #expect(ids == ["p1", "p2", "p3"])
        #expect(repository.shadowedTextFiles(among: ids) == ["p1"])
        #expect(repository.loneTextPages(among: ids) == ["p3"])
    }
}
