import Foundation
import Testing
@testable import FolioText

@Suite struct DataTableTests {
    /// A table written the way the learnt-data scripts write them, with what a careless edit adds.
    static func table(_ text: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("datatable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: directory.appendingPathComponent("t.tsv"))
        return directory
    }

    static let sample = "# kind\ttext\tcount\nT\t\t885888\nU\t錦\t12\n\nB\t锦州\t7\ne\u{301}\tx\t\n"

    @Test func rowsKeepEmptyFieldsAndSkipComments() throws {
        let directory = try Self.table(Self.sample)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = DataTable.rows(directory, "t.tsv").map { $0.map(String.init) }
        #expect(rows == [["T", "", "885888"], ["U", "錦", "12"], ["B", "锦州", "7"], ["e\u{301}", "x", ""]])
    }

    @Test func forEachRowGivesTheSameFieldsAsBytes() throws {
        let directory = try Self.table(Self.sample)
        defer { try? FileManager.default.removeItem(at: directory) }
        var rows: [[String]] = []
        DataTable.forEachRow(directory, "t.tsv") { fields in rows.append(fields.map { String(decoding: $0, as: UTF8.self) }) }
        #expect(rows == DataTable.rows(directory, "t.tsv").map { $0.map(String.init) })
    }

    @Test func missingTablesHaveNoRows() {
        var called = false
        DataTable.forEachRow(URL(fileURLWithPath: "/nonexistent-folio"), "t.tsv") { _ in called = true }
        #expect(!called)
        #expect(DataTable.rows(nil, "t.tsv").isEmpty)
    }

    @Test func integersAreDigitsOnly() {
        #expect(DataTable.integer(ArraySlice("885888".utf8)) == 885_888)
        #expect(DataTable.integer(ArraySlice("0".utf8)) == 0)
        #expect(DataTable.integer(ArraySlice("".utf8)) == nil)
        #expect(DataTable.integer(ArraySlice("12a".utf8)) == nil)
        #expect(DataTable.integer(ArraySlice("-1".utf8)) == nil)
        #expect(DataTable.integer(ArraySlice("18446744073709551615".utf8)) == nil)   // 20 digits: refused, not wrapped
        #expect(DataTable.integer(ArraySlice("9999999999999999999".utf8)) == 9_999_999_999_999_999_999)
    }
}

/// The stamp of an installed data folder keys what was parsed with it: it changes when one of
/// its tables is edited, and stays while nothing does.
@Suite struct ResourceStampTests {
    @Test func stampChangesWhenATableIsEdited() throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("folio-stamp-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = directory.appendingPathComponent("places.tsv")
        try Data("锦州\t1\n".utf8).write(to: table)
        let first = InstalledResources.stamp(of: directory)
        #expect(InstalledResources.stamp(of: directory) == first)
        try Data("锦州\t1\n凌河区\t1\n".utf8).write(to: table)
        #expect(InstalledResources.stamp(of: directory) != first)
        #expect(InstalledResources.stamp(of: nil) == "none")
    }
}
