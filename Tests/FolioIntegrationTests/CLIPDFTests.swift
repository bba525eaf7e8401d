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
        // The PDF has no page labels of its own (poppler numbers its pages): the first page's header
        // says 第2版, and the second, with no header, keeps its number. Ids keep the PDF's numbers.
        #expect(pages.map(\.info.pageLabel) == ["2", "2"])
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
            #expect(first.info.pageLabel == "2")  // its header's 第2版 (the PDF has no labels)
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
            // A page of another PDF of the same name, stored under a manifest's id: not this PDF's to drop.
            let folder = daemon.directory.appendingPathComponent("other")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.twoPage, toPath: folder.appendingPathComponent("two-page.pdf").path)
            let manifest = folder.appendingPathComponent("m.csv").path
            try "file,publication,date,page_label,id\ntwo-page.pdf#1,,,A1,jia-a1\n".write(toFile: manifest, atomically: false, encoding: .utf8)
            let named = try await CLIRun.folio(["ingest", "--no-progress", "--manifest", manifest], socket: daemon.socketPath)
            #expect(named.status == 0, "stderr: \(named.stderr)")
            // A revised edition of one page under the same name.
            let onePage = PackagePaths.root.appendingPathComponent("Tests/Fixtures/pdf/image-caption.pdf").path
            let revised = try Self.temporaryFile("two-page.pdf", [UInt8](try Data(contentsOf: URL(fileURLWithPath: onePage))))
            let run = try await CLIRun.folio(["ingest", "--replace", revised], socket: daemon.socketPath)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.lines.contains { $0.hasPrefix("two-page-1\t") && $0.hasSuffix(", replaced") })
            #expect(run.lines.contains { $0.hasPrefix("two-page-2\t") && $0.contains("the PDF no longer has this page") })
            #expect(!run.lines.contains { $0.hasPrefix("jia-a1\t") })
            #expect(try await client.stats().pages == 2)
            // Without --replace nothing is removed (the changed page is refused instead).
            let again = try await CLIRun.folio(["ingest", Self.twoPage], socket: daemon.socketPath)
            #expect(again.status != 0)
            #expect(try await client.stats().pages == 3)
        }
    }

    @Test("--replace keeps a stored page whose new version was refused (no text layer)")
    func replaceKeepsARefusedPage() async throws {
        try await withDaemon { daemon, client in
            let earlier = try Self.temporaryFile("text-then-scan.pdf", [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.twoPage))))
            let first = try await CLIRun.folio(["ingest", earlier], socket: daemon.socketPath)
            #expect(first.status == 0, "stderr: \(first.stderr)")
            // The corrected edition still has page 2, as a scan: refused, and the stored page 2 stays.
            let mixed = PackagePaths.root.appendingPathComponent("Tests/Fixtures/pdf/text-then-scan.pdf").path
            let run = try await CLIRun.folio(["ingest", "--replace", mixed], socket: daemon.socketPath)
            #expect(run.status != 0)
            #expect(run.stderr.contains("\(mixed)#2: no text layer"), "stderr: \(run.stderr)")
            #expect(!run.lines.contains { $0.contains("no longer has this page") }, "stdout: \(run.stdout)")
            #expect(try await client.stats().pages == 2)
            #expect(try await client.getPage(id: "text-then-scan-2").articles.count > 0)
        }
    }

    @Test("a manifest row names one page of a PDF (FILE.pdf#N): its own label, id, date and publication")
    func manifestRowsPerPDFPage() async throws {
        try await withDaemon { daemon, client in
            let folder = daemon.directory.appendingPathComponent("pdf-batch")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.twoPage, toPath: folder.appendingPathComponent("paper.pdf").path)
            func manifest(_ name: String, _ text: String) throws -> String {
                let path = folder.appendingPathComponent(name).path
                try text.write(toFile: path, atomically: false, encoding: .utf8)
                return path
            }
            func ingest(_ path: String) async throws -> CLIRun {
                try await CLIRun.folio(["ingest", "--no-progress", "--manifest", path], socket: daemon.socketPath)
            }

            // Each wrong manifest: one line per row at fault, naming the manifest's line; nothing stored.
            let wrong: [(String, String, [String])] = [
                ("range.csv", "file,publication,date,page_label,id\npaper.pdf#1,,,A1,\npaper.pdf#3,,,A3,\n",
                 ["range.csv:3: ", "paper.pdf#3: the PDF has 2 pages"]),
                ("twice.csv", "file,page_label\npaper.pdf#2,A2\npaper.pdf#1,A1\npaper.pdf#2,B2\n",
                 ["twice.csv:4: ", "paper.pdf#2 is named twice (", "twice.csv:2 too)"]),
                ("both.csv", "file,id\npaper.pdf,x\npaper.pdf#1,y\n",
                 ["both.csv:3: ", "both.csv:2 names the whole PDF"]),
                ("both.jsonl", "{\"file\": \"paper.pdf#2\", \"id\": \"y\"}\n\n{\"file\": \"paper.pdf\"}\n",
                 ["both.jsonl:3: ", "both.jsonl:1 names it by page (", "paper.pdf#2)"]),
                ("whole-label.csv", "file,page_label\npaper.pdf,A5\n",
                 ["whole-label.csv:2: ", "page_label needs a single page", "paper.pdf#1"]),
            ]
            for (name, text, messages) in wrong {
                let run = try await ingest(try manifest(name, text))
                #expect(run.status == 1, "\(name): \(run.stderr)")
                for message in messages { #expect(run.stderr.contains(message), "\(name): \(run.stderr)") }
                #expect(run.stderr.contains("nothing was ingested"), "\(name): \(run.stderr)")
                #expect(run.stdout.isEmpty, "\(name): \(run.stdout)")
                #expect(try await client.stats().pages == 0, "\(name)")
            }
            let zero = try await ingest(try manifest("zero.csv", "file\npaper.pdf#0\n"))
            #expect(zero.status == 1 && zero.stderr.contains("zero.csv:2: paper.pdf#0: PDF pages are numbered from 1"), "\(zero.stderr)")
            let text = try manifest("page.txt", "标题\n\n本报讯 正文。\n")
            let notPDF = try await ingest(try manifest("text.csv", "file\n\(text)#1\n"))
            #expect(notPDF.status == 1 && notPDF.stderr.contains("text.csv:2: \(text)#1: \(text) is not a PDF"), "\(notPDF.stderr)")
            #expect(try await client.stats().pages == 0)

            // Every page its own row: its metadata and id.
            let csv = try manifest("pages.csv", """
                file,publication,date,page_label,id
                paper.pdf#2,晚报,1998-01-04,B2,evening-b2
                paper.pdf#1,日报,1998-01-03,A1,

                """)
            let run = try await ingest(csv)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.lines.sorted().map { $0.split(separator: "\t").first.map(String.init) } == ["evening-b2", "paper-1"])
            let first = try await client.getPage(id: "paper-1")
            #expect(first.info.publication == "日报" && first.info.date == "1998-01-03" && first.info.pageLabel == "A1")
            #expect(first.articles.map(\.headline) == ["城市交通状况明显改善"])
            let second = try await client.getPage(id: "evening-b2")
            #expect(second.info.publication == "晚报" && second.info.date == "1998-01-04" && second.info.pageLabel == "B2")
            #expect(second.articles.first?.section == "经济广角")
            #expect(try await client.stats().pages == 2)

            // JSON lines naming one page send that page only; --replace keeps the page not named.
            let jsonLines = try manifest("one.jsonl", #"{"file": "paper.pdf#1", "page_label": "A9"}"# + "\n")
            let one = try await CLIRun.folio(["ingest", "--no-progress", "--replace", "--manifest", jsonLines],
                                             socket: daemon.socketPath)
            #expect(one.status == 0, "stderr: \(one.stderr)")
            #expect(one.lines.count == 1 && one.lines.first?.hasPrefix("paper-1\t") == true, "stdout: \(one.stdout)")
            #expect(try await client.getPage(id: "paper-1").info.pageLabel == "A9")
            #expect(try await client.stats().pages == 2)
        }
    }
}
