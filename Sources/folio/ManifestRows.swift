/// Which manifest row speaks for each page sent. A row naming a file speaks for all its pages; a row
/// naming page N of a PDF (`FILE.pdf#N`) speaks for that page alone, and a PDF named by page sends
/// only the pages its rows name.
struct ManifestRows {
    private var wholeFiles: [String: PageManifest.Entry] = [:]
    private var pageRows: [String: [Int: PageManifest.Entry]] = [:]
    /// The files the rows name, once each, in the manifest's order.
    private(set) var files: [String] = []
    /// Rows that contradict each other: a page named twice, a PDF named whole and by page.
    private(set) var problems: [String] = []

    init(_ entries: [PageManifest.Entry]) {
        for entry in entries {
            let file = entry.file
            if wholeFiles[file] == nil && pageRows[file] == nil { files.append(file) }
            if let page = entry.page {
                if let whole = wholeFiles[file] {
                    problems.append("\(entry.place): \(file)#\(page): \(whole.place) names the whole PDF; name it whole or by page, not both")
                } else if let earlier = pageRows[file]?[page] {
                    problems.append("\(entry.place): \(file)#\(page) is named twice (\(earlier.place) too)")
                } else {
                    pageRows[file, default: [:]][page] = entry
                }
            } else if let byPage = pageRows[file]?.values.min(by: { $0.line < $1.line }) {
                problems.append("\(entry.place): \(file): \(byPage.place) names it by page (\(file)#\(byPage.page ?? 0)); name it whole or by page, not both")
            } else {
                wholeFiles[file] = entry  // a file named twice: its last row, as before
            }
        }
    }

    /// The PDF pages the rows name, per file (files named whole are not in it).
    var pages: [String: Set<Int>] { pageRows.mapValues { Set($0.keys) } }

    /// The row of an upload: its page's row, else its file's.
    func entry(for upload: PageUpload) -> PageManifest.Entry? {
        if let number = upload.pageNumber, let row = pageRows[upload.file]?[number] { return row }
        return wholeFiles[upload.file]
    }

    /// Page rows that name no page: a page past the PDF's last, a page of a file that is no PDF.
    /// `pageCounts` are the PDFs read (a PDF that could not be read is reported already).
    func missingPages(pageCounts: [String: Int], uploads: [PageUpload]) -> [String] {
        var problems: [(line: Int, text: String)] = []
        for (file, rows) in pageRows {
            for (page, row) in rows {
                if let count = pageCounts[file] {
                    if page > count { problems.append((row.line, "\(row.place): \(file)#\(page): the PDF has \(count) page\(count == 1 ? "" : "s")")) }
                } else if uploads.contains(where: { $0.file == file }) {
                    problems.append((row.line, "\(row.place): \(file)#\(page): \(file) is not a PDF (#N names a page of a PDF)"))
                }
            }
        }
        return problems.sorted { $0.line < $1.line }.map(\.text)
    }

    /// PDFs named by page whose rows leave pages out: `--replace` must not remove those pages.
    func partlyNamed(pageCounts: [String: Int]) -> Set<String> {
        Set(pageRows.filter { file, rows in rows.count < pageCounts[file] ?? 0 }.keys)
    }
}
