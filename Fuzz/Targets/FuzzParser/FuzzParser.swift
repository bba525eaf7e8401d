import FolioModel
import FolioParser
import Foundation
import FuzzDriver

// The page parser with entity recognition on arbitrary bytes (invalid UTF-8 and binary included).
// The first byte picks whether the first line is the source path (page date and label are guessed
// from it), whether the second line is the page date given as ingest metadata, and whether the
// rest goes through the page decoder first; the rest is the page. The parser is total: it must return, and every line it cites must exist.

private let parser = PageParser()

/// Loads the lexicons before the first input (in a debug ASan build that takes longer than -timeout).
@_cdecl("LLVMFuzzerInitialize")
public func fuzzParserInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    _ = parser.parse(text: "本报北京1月1日讯 记者张三报道：国务院今天召开会议。\n", source: "19980101-01.txt")
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    var rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let mode = data[0]
    var source = "", info: Folio_V1_PageInfo?
    if mode & 1 != 0 { source = String(decoding: takeLine(&rest), as: UTF8.self) }
    if mode & 2 != 0 {
        var given = Folio_V1_PageInfo()
        given.date = String(decoding: takeLine(&rest), as: UTF8.self)
        info = given
    }
    // Bit 4: the bytes go through the page decoder first, as `folio parse` and `folio ingest` read
    // files (encodings detected, a few bad bytes replaced); the parser drops stray NULs, and says so.
    if mode & 4 != 0, case .success(let decoded) = PageDecoder.decode(rest) {
        let page = parser.parse(text: decoded.text, source: source, info: info)
        precondition(!decoded.text.utf8.contains(0) || page.diagnostics.contains { $0.code == "input-repaired" },
                     "NUL bytes dropped without a word")
        checkCitedLines(page)
        return 0
    }
    let page = parser.parse(data: rest, source: source, info: info)
    checkCitedLines(page)
    return 0
}

private func takeLine(_ bytes: inout [UInt8]) -> [UInt8] {
    guard let newline = bytes.firstIndex(of: 0x0A) else { defer { bytes = [] }; return bytes }
    defer { bytes.removeFirst(newline + 1) }
    return Array(bytes[..<newline])
}

private func checkCitedLines(_ page: Folio_V1_Page) {
    var lines: [UInt32] = page.sections.map(\.line) + page.credits.map(\.line) + page.diagnostics.map(\.line)
    lines += page.captions.flatMap(\.lines)
    for article in page.articles {
        lines += [article.lines.first, article.lines.last] + article.bylines.map(\.line) + article.diagnostics.map(\.line)
        lines += (article.lead + article.body).flatMap(\.lines) + article.captions.flatMap(\.lines)
        if article.hasDateline { lines.append(article.dateline.line) }
        for block in article.lead + article.body {
            precondition(!block.lines.isEmpty && block.lines.allSatisfy { $0 >= 1 }, "a block without its lines")
        }
    }
    for line in lines { precondition(line <= page.lineCount, "line \(line) cited beyond the page's \(page.lineCount)") }
}


@_cdecl("FuzzParser_main")
public func fuzzParserMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    folio_fuzz_run(argc, argv) { data, size in data.map { fuzzParser($0, size) } ?? 0 }
}
