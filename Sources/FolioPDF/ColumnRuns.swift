/// The column a line is read against, taken from the lines stacked with it.
///
/// The cuts give every line the extent of the region it was read in, and a region is wider than
/// the column where the cuts stop short of it (a line alone in a strip, a module whose gutters do
/// not run through): measured against that, every full line of the column ends short and every
/// line starts indented, and the paragraph falls apart line by line. The lines of one column,
/// read one after another, each right under the one before, show where the column really is: its
/// full lines share the right edge. A placed line's column is narrowed to its run's edges when
/// enough of the run's lines end at one right edge.
enum ColumnRuns {
    /// Lines of a run that must end at its right edge (within `edgeEm`) for the run to set the column.
    static let fullLinesMin = 3
    /// Lines whose ink ends this close (in em of the line) to one another end at one edge.
    static let edgeEm = 0.6

    /// Lines of other type read in between (a caption beside the column, on its rows) that a run skips.
    static let skipMax = 4

    static func narrow(_ placed: [PlacedLine]) -> [PlacedLine] {
        var out = placed
        var taken = [Bool](repeating: false, count: placed.count)
        for start in placed.indices where !taken[start] {
            var run = [start]
            taken[start] = true
            var j = start + 1
            while j < placed.count, j - run[run.count - 1] <= skipMax + 1 {
                if !taken[j], stacked(placed[run[run.count - 1]].line, placed[j].line) {
                    run.append(j)
                    taken[j] = true
                }
                j += 1
            }
            let lines = run.map { placed[$0] }
            guard lines.count >= fullLinesMin, let x0 = lines.map(\.line.x0).min(), let edge = rightEdge(lines) else { continue }
            for k in run {
                out[k].columnLeft = max(out[k].columnLeft, x0)
                out[k].columnRight = min(out[k].columnRight, edge)
            }
        }
        return out
    }

    /// The right edge most of the run's lines end at (by their ink: a closing mark hung past the
    /// edge does not count), when at least `fullLinesMin` of them end there.
    static func rightEdge(_ run: [PlacedLine]) -> Double? {
        let ends = run.map { ($0.line.inkX1, edgeEm * max($0.line.size, 1)) }
        var best: (edge: Double, count: Int)?
        for (end, _) in ends {
            let count = ends.filter { abs($0.0 - end) <= $0.1 }.count
            if count > best?.count ?? 0 || (count == best?.count && end > best!.edge) { best = (end, count) }
        }
        guard let best, best.count >= fullLinesMin else { return nil }
        return best.edge
    }

    /// `lower` is the next line of `upper`'s column: right under it (less than a line's height of
    /// white between them), across the same span, in type of the same size.
    static func stacked(_ upper: TextLine, _ lower: TextLine) -> Bool {
        let size = max(upper.size, lower.size, 1)
        guard max(upper.size, lower.size) <= 1.05 * min(upper.size, lower.size) else { return false }
        let gap = lower.y0 - upper.y1
        guard lower.y0 > upper.y0 + 0.5 * upper.height, gap < 0.8 * size else { return false }
        let overlap = min(upper.x1, lower.x1) - max(upper.x0, lower.x0)
        return overlap > 0.5 * min(upper.x1 - upper.x0, lower.x1 - lower.x0)
    }
}
