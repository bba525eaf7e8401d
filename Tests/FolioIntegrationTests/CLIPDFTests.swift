import FolioClient
import FolioModel
import Foundation
import Testing

/// `folio parse` and `folio ingest` of PDFs: one page per PDF page, scans refused, broken bytes an error.
@Suite("folio CLI: PDFs in", .serialized)
struct CLIPDFTests {
    static let twoPage = PackagePaths.root.appendingPathComponent("Tests/Fixtures/pdf/two-page.pdf").path
    static let scanned = PackagePaths.root.appendingPathComponent("Tests/Fixtures/pdfbed/scanned-dev-00-19980103-p2.pdf").path

    /// A file of `bytes` in a fresh temporary folder.
    static func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("parse of a two-page PDF gives two pages with their labels")
    func parseMultiPage() async throws {
        let run = try await CLIRun.folio(["parse", "--json", "--date", "1998-01-03", Self.twoPage], socket: nil)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let pages = try run.lines.map { try Folio_V1_Page(jsonString: $0, options: FolioJSON.parseOptions) }
        #expect(pages.map(\.info.pageLabel) == ["1", "2"])
        #expect(pages.map(\.id) == ["two-page-1", "two-page-2"])
        #expect(pages[0].articles.map(\.headline) == ["城市交通状况明显改善"])
        #expect(pages[0].articles.first?.bylines.map(\.name) == ["王明"])
        #expect(pages[0].articles.first?.body.count == 3)
        #expect(pages[0].articles.first?.captions.map(\.text) == ["工人们在新建的大桥上施工。"])
        #expect(pages[1].articles.map(\.headline) == ["农村市场出现新变化"])
        #expect(pages[1].articles.first?.section == "经济广角")
        #expect(pages[1].articles.first?.kicker == "抓住机遇加快发展")

        let second = try await CLIRun.folio(["parse", "--json", Self.twoPage, "--page", "2"], socket: nil)
        #expect(second.lines.count == 1)
        let missing = try await CLIRun.folio(["parse", Self.twoPage, "--page", "3"], socket: nil)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("page 3 is not in the PDF"))
    }

    @Test("a scanned page among text pages is reported, not stored empty")
    func scannedPageAmongTextPages() async throws {
        let mixed = PackagePaths.root.appendingPathComponent("Tests/Fixtures/pdf/text-then-scan.pdf").path
        let parsed = try await CLIRun.folio(["parse", "--json", mixed], socket: nil)
        #expect(parsed.status == 1)
        #expect(parsed.lines.count == 1)
        #expect(parsed.stderr.contains("page 2: no text layer"), "stderr: \(parsed.stderr)")
        try await withDaemon { daemon, client in
            let run = try await CLIRun.folio(["ingest", mixed], socket: daemon.socketPath)
            #expect(run.status != 0)
            #expect(run.lines.count == 1 && run.lines.first?.hasPrefix("text-then-scan-1\t") == true, "stdout: \(run.stdout)")
            #expect(run.stderr.contains("\(mixed)#2: no text layer"), "stderr: \(run.stderr)")
            #expect(try await client.stats().pages == 1)
        }
    }

    @Test("garbage and truncated PDFs give one clear error line, no crash")
    func brokenPDFs() async throws {
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.twoPage)))
        for bytes in [Array("%PDF-1.4\n garbage that is no PDF".utf8), Array(whole.prefix(whole.count / 3))] {
            let path = try Self.temporaryFile("broken.pdf", bytes)
            let run = try await CLIRun.folio(["parse", path], socket: nil)
            #expect(run.status == 1)
            #expect(run.stderr.contains("not a readable PDF"), "stderr: \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }

    @Test("ingest of a PDF stores one page per PDF page; a scan is refused and nothing stored")
    func ingest() async throws {
        try await withDaemon { daemon, client in
            let scan = try await CLIRun.folio(["ingest", Self.scanned], socket: daemon.socketPath)
            #expect(scan.status != 0)
            #expect(scan.stderr.split(separator: "\n").count == 1, "stderr: \(scan.stderr)")
            #expect(scan.stderr.contains("no text layer"))
            #expect(try await client.stats().pages == 0)

            let garbage = try Self.temporaryFile("garbage.pdf", [UInt8](repeating: 0x25, count: 300))
            let refused = try await CLIRun.folio(["ingest", garbage], socket: daemon.socketPath)
            #expect(refused.status != 0)
            #expect(try await client.stats().pages == 0)

            let run = try await CLIRun.folio(["ingest", "--date", "1998-01-03", Self.twoPage], socket: daemon.socketPath)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.lines.count == 2)
            // Pages are acknowledged in any order: one line each, FILE#N.
            #expect(run.lines.sorted().first?.hasPrefix("two-page-1\t\(Self.twoPage)#1\t") == true)
            #expect(run.lines.sorted().last?.hasPrefix("two-page-2\t\(Self.twoPage)#2\t") == true)
            let first = try await client.getPage(id: "two-page-1")
            let second = try await client.getPage(id: "two-page-2")
            #expect(first.info.pageLabel == "1")
            #expect(second.info.pageLabel == "2")
            #expect(first.articles.map(\.headline) == ["城市交通状况明显改善"])
            #expect(second.articles.first?.section == "经济广角")
        }
    }

    @Test("a PDF stored again with --replace loses the pages it no longer has")
    func replaceWithFewerPages() async throws {
        try await withDaemon { daemon, client in
            let first = try await CLIRun.folio(["ingest", Self.twoPage], socket: daemon.socketPath)
            #expect(first.status == 0, "stderr: \(first.stderr)")
            // A revised edition of one page under the same name.
            let onePage = PackagePaths.root.appendingPathComponent("Tests/Fixtures/pdf/image-caption.pdf").path
            let revised = try Self.temporaryFile("two-page.pdf", [UInt8](try Data(contentsOf: URL(fileURLWithPath: onePage))))
            let run = try await CLIRun.folio(["ingest", "--replace", revised], socket: daemon.socketPath)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.lines.contains { $0.hasPrefix("two-page-1\t") && $0.hasSuffix(", replaced") })
            #expect(run.lines.contains { $0.hasPrefix("two-page-2\t") && $0.contains("the PDF no longer has this page") })
            #expect(try await client.stats().pages == 1)
            // Without --replace nothing is removed (the changed page is refused instead).
            let again = try await CLIRun.folio(["ingest", Self.twoPage], socket: daemon.socketPath)
            #expect(again.status != 0)
            #expect(try await client.stats().pages == 2)
        }
    }
}
