/// The body size a story's text is set in, where it is not the page's.
///
/// Papers set a commentary, a sidebar or a boxed story half a point or a point smaller (or larger)
/// than the story beside it. Measured against the page's one body size, every line of such a story
/// reads as a caption (smaller) or a subtitle (larger). A column of running text shows its own size:
/// its lines stacked one under another in one size, most ending at one right edge, paragraphs
/// opening indented (no caption, kicker or subtitle is set so). The lines of such a column, and the
/// other lines of the innermost region it was read in (its story's byline, its headings), are
/// judged against that size.
enum LocalBody {
    /// Lines of a column that must end at one edge for it to be running text.
    static let fullLinesMin = 4
    /// Running text this far from the page's body size (as a ratio) is still a story's body.
    static let ratioRange = 0.8...1.25

    static func assign(_ placed: [PlacedLine], bodySize: Double) -> [PlacedLine] {
        var out = placed
        var taken = [Bool](repeating: false, count: placed.count)
        // Size of running text per innermost region, weighted by the characters of its columns.
        var regionSizes: [Int: [Double: Int]] = [:]
        for start in placed.indices where !taken[start] {
            var run = [start]
            taken[start] = true
            var j = start + 1
            while j < placed.count, j - run[run.count - 1] <= ColumnRuns.skipMax + 1 {
                if !taken[j], ColumnRuns.stacked(placed[run[run.count - 1]].line, placed[j].line) {
                    run.append(j)
                    taken[j] = true
                }
                j += 1
            }
            let lines = run.map { placed[$0] }
            let size = lines[0].line.size
            guard ratioRange.contains(size / bodySize), isRunningText(lines) else { continue }
            for k in run { out[k].textSize = size }
            if let region = lines[0].regions.last {
                regionSizes[region, default: [:]][size, default: 0] += lines.reduce(0) { $0 + $1.line.glyphs.count }
            }
        }
        // The story's other lines (its byline, its headings) are judged against its running text.
        for k in out.indices where out[k].textSize == nil {
            guard let region = out[k].regions.last, let sizes = regionSizes[region],
                  let size = sizes.max(by: { $0.value < $1.value })?.key else { continue }
            out[k].textSize = size
        }
        return out
    }

    /// Stacked lines of one size, enough of them ending at one right edge, one at least opening a
    /// paragraph (indented by about two characters).
    static func isRunningText(_ lines: [PlacedLine]) -> Bool {
        guard lines.count >= fullLinesMin, let x0 = lines.map(\.line.x0).min() else { return false }
        let ends = lines.map(\.line.inkX1)
        let edgeCount = ends.map { end in ends.filter { abs($0 - end) <= ColumnRuns.edgeEm * lines[0].line.size }.count }.max() ?? 0
        let em = lines[0].line.size
        let indented = lines.contains { $0.line.x0 - x0 > 1.5 * em && $0.line.x0 - x0 < 3 * em }
        return edgeCount >= fullLinesMin && indented
    }
}
