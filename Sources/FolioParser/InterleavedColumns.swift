import FolioText

/// `pdftotext`'s default mode sometimes reads a page's columns row by row: each visual line a
/// block of its own (a blank line between), the first column's line, then the second's, …, then
/// the first column's next line. Such a run is put back column after column, each column's lines
/// under one another, so that re-flow joins them into paragraphs.
///
/// The period (the number of columns) is the one whose line ends read on into the line that many
/// lines later clearly better (by the bigram model) than into the next line: the text of a column
/// runs on, mid-word, from a full line into its next line.
enum InterleavedColumns {
    static let periods = 2...6
    /// Rows each column must show in a run.
    static let minRows = 3
    /// Mean join evidence (natural log) by which the period must beat reading the lines in order.
    static let margin = 1.0
    /// Widest column line looked at (full-width characters): broadsheet columns are 10–25 wide.
    static let widestColumn = 30.0
    /// Lines at a run's start that may stand over it (a title, a deck).
    static let leadingTried = 2

    /// Cheap test first: the page has enough short lines standing alone that end mid-sentence.
    static func mayHold<Lines: Collection<VisualLine>>(_ lines: Lines) -> Bool {
        var alone = 0, total = 0
        for line in lines {
            total += 1
            if line.gapBefore >= 1, isColumnLine(line.scalars) { alone += 1 }
        }
        return alone >= 3 * minRows && alone * 3 >= total
    }

    static func untangle(_ lines: [VisualLine], model: BigramModel = .shared) -> [VisualLine] {
        var out: [VisualLine] = []
        out.reserveCapacity(lines.count)
        var i = 0
        while i < lines.count {
            // A run: lines standing alone (a blank line before each but the first).
            var end = i + 1
            while end < lines.count, lines[end].gapBefore >= 1, fitsColumn(lines[end].scalars) { end += 1 }
            // A title standing over the run (clearly narrower or wider than a column's lines, more
            // than a lost indent) stays first.
            let full = fullWidth(lines[i..<end])
            var first = i
            while first < min(end, i + Self.leadingTried), abs(Reflow.width(lines[first].scalars) - full) > Reflow.indentSlack {
                first += 1
            }
            out += lines[i..<first]
            let run = Array(lines[first..<end])
            if run.count >= 2 * minRows, let (k, _) = period(run, full: full, model: model) {
                out += regroup(run, period: k)
            } else {
                out += run
            }
            i = end
        }
        return out
    }

    /// No wider than `widestColumn`; a long paragraph is refused unread (each scalar is half a place at least).
    @inline(__always)
    private static func fitsColumn(_ s: [Unicode.Scalar]) -> Bool {
        s.count <= 2 * Int(widestColumn) && Reflow.width(s) <= widestColumn
    }

    /// A line as a column's line: short enough, and running on (no sentence end).
    private static func isColumnLine(_ s: [Unicode.Scalar]) -> Bool {
        // Every scalar is at least half a column place wide: a whole paragraph is refused unread.
        guard s.count <= 2 * Int(widestColumn) else { return false }
        let w = Reflow.width(s)
        return w >= 6 && w <= widestColumn && !CharacterClass.endsSentence(s)
    }

    /// The run's most common line width: its column's full lines.
    private static func fullWidth(_ run: ArraySlice<VisualLine>) -> Double {
        var counts: [Int: Int] = [:]
        for line in run { counts[Int(Reflow.width(line.scalars).rounded()), default: 0] += 1 }
        return Double(counts.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key })?.key ?? 0)
    }

    /// The period and how much better than reading in order its line ends read on, when clearly better.
    private static func period(_ run: [VisualLine], full: Double, model: BigramModel) -> (Int, Double)? {
        // Lines as wide as the run's most common width and ending mid-sentence must run on.
        guard full >= 6 else { return nil }
        let runsOn = run.indices.filter { j in
            abs(Reflow.width(run[j].scalars) - full) <= Reflow.fullSlack && !CharacterClass.endsSentence(run[j].scalars)
        }
        guard runsOn.count * 2 >= run.count else { return nil }
        func evidence(_ k: Int) -> Double? {
            let pairs = runsOn.filter { $0 + k < run.count }
            guard pairs.count >= minRows else { return nil }
            let total = pairs.reduce(0.0) { sum, j in
                sum + model.joinScore(tail: run[j].scalars[...], head: run[j + k].scalars[...])
            }
            return total / Double(pairs.count)
        }
        guard let inOrder = evidence(1) else { return nil }
        var best: (k: Int, score: Double)?
        for k in periods where run.count >= k * minRows {
            if let score = evidence(k), score > (best?.score ?? -.infinity) { best = (k, score) }
        }
        guard let best, best.score - inOrder >= margin else { return nil }
        return (best.k, best.score - inOrder)
    }

    /// Column c's lines are c, c + k, c + 2k, … of the run; a column's lines follow each other
    /// with no blank line between (re-flow decides where its paragraphs end).
    private static func regroup(_ run: [VisualLine], period k: Int) -> [VisualLine] {
        var out: [VisualLine] = []
        out.reserveCapacity(run.count)
        for c in 0..<k {
            for (n, j) in stride(from: c, to: run.count, by: k).enumerated() {
                var line = run[j]
                line.gapBefore = n == 0 ? max(1, run[c].gapBefore) : 0
                out.append(line)
            }
        }
        if let first = run.first { out[0].gapBefore = first.gapBefore }
        return out
    }
}
