import Foundation
import FolioModel
import FolioEntities

/// Paths into /work/shared (the package root's sibling `shared`), and folding helpers that use
/// the `opencc` command as the scorer does, so the tests compare exactly what it compares.
enum SharedCorpus {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static var seedPage: URL { root.appendingPathComponent("corpus/seed-page.txt") }
    static var seedGold: URL { root.appendingPathComponent("corpus/seed-page.gold.json") }
    static var pfr: URL { root.appendingPathComponent("corpus/pfr1998/articles-01-20.jsonl") }

    /// Folds strings the way score_parse.py does: OpenCC t2s, full-width → half-width, no spaces.
    static func fold(_ strings: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["opencc", "-c", "t2s.json"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let text = strings.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
        input.fileHandleForWriting.write(text.data(using: .utf8)!)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return strings.indices.map { i in
            let s = i < lines.count ? String(lines[i]) : strings[i]
            return String(String.UnicodeScalarView(s.unicodeScalars.compactMap { c -> Unicode.Scalar? in
                if c.value == 0x3000 || c.properties.isWhitespace { return nil }
                if (0xFF01...0xFF5E).contains(c.value) { return Unicode.Scalar(c.value - 0xFEE0) }
                return c
            }))
        }
    }

    /// PFR articles of the given days, as decoded JSON objects.
    static func pfrArticles(days: ClosedRange<String>) throws -> [[String: Any]] {
        let text = try String(contentsOf: pfr, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let date = obj["date"] as? String, days.contains(date) else { return nil }
            return obj
        }
    }
}
