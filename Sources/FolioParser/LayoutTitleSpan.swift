/// How wide a title set larger than the text really is. `pdftotext -layout` gives each glyph
/// one character cell whatever its size, so a centred headline starts right of its module's
/// left edge and seems to end far short of its right edge: read by its cells it covers only
/// the middle columns, and the columns left of it would be read before it.
extension LayoutTracks {
    /// A headline's glyphs against the text's character cell, least and most.
    static let titleScale: ClosedRange<Double> = 1.2...4.0

    /// Sets `reach` on titles centred over the columns that start right under them: the widest
    /// run of those columns, clear of any other piece on the title's rows, over which the title
    /// sits centred when its glyphs are `titleScale` cells wide. A title at a column's left edge
    /// (set flush left) keeps its cells.
    static func widenCentredTitles(_ tracks: inout [Track], _ pieces: [[LayoutColumns.Segment]]) {
        for t in tracks.indices where isTitle(tracks[t]) || headlineShaped(tracks[t]) {
            // Text set apart by the rows of a module beside it ends its sentences; a title does not.
            guard !tracks[t].segments.contains(where: { endsParagraph($0.scalars) }),
                  let line = tracks[t].segments.max(by: { $0.end - $0.start < $1.end - $1.start }) else { continue }
            let (left, right) = clearance(of: tracks[t], pieces)
            let runs = columnsUnder(tracks[t], tracks, within: left..<right)
            var best: (Int, Int)?
            for i in runs.indices where runs[i].lo < line.start - LayoutColumns.columnMerge {
                for j in i..<runs.count where runs[j].hi >= line.end {
                    // A module's columns start on one row under its headline.
                    let tops = runs[i...j].map(\.top)
                    guard tops.max()! - tops.min()! <= 1 else { break }
                    let scale = Double(runs[i].lo + runs[j].hi - 2 * line.start) / Double(line.end - line.start)
                    guard titleScale.contains(scale) else { continue }
                    if best.map({ runs[j].hi - runs[i].lo > $0.1 - $0.0 }) ?? true { best = (runs[i].lo, runs[j].hi) }
                }
            }
            tracks[t].reach = best
        }
    }

    /// One line with no sentence end and no clause mark: a headline even with text right
    /// under it.
    static func headlineShaped(_ t: Track) -> Bool {
        guard t.segments.count == 1, let s = t.segments.first?.scalars else { return false }
        return !endsParagraph(s) && !s.contains { clauseMarks.contains($0.mark) }
    }

    /// The nearest piece ends left and right of the title on its own rows.
    private static func clearance(of title: Track, _ pieces: [[LayoutColumns.Segment]]) -> (Int, Int) {
        var left = Int.min, right = Int.max
        for s in title.segments {
            for p in pieces[s.row] {
                if p.end <= s.start { left = max(left, p.end) } else if p.start >= s.end { right = min(right, p.start) }
            }
        }
        return (left, right)
    }

    /// Column ranges (overlapping tracks merged) of the tracks that start within `titleReach`
    /// rows under the title, inside `bounds`, left to right, each with its first row. Tracks are in the order of their
    /// first row, so only those rows are looked at.
    private static func columnsUnder(_ title: Track, _ tracks: [Track], within bounds: Range<Int>) -> [(lo: Int, hi: Int, top: Int)] {
        var lo = 0, hi = tracks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tracks[mid].r0 <= title.r1 { lo = mid + 1 } else { hi = mid }
        }
        var spans: [(lo: Int, hi: Int, top: Int)] = []
        var k = lo
        while k < tracks.count && tracks[k].r0 <= title.r1 + titleReach {
            if tracks[k].x0 >= bounds.lowerBound && tracks[k].x1 <= bounds.upperBound { spans.append((tracks[k].x0, tracks[k].x1, tracks[k].r0)) }
            k += 1
        }
        spans.sort { $0.lo < $1.lo }
        var runs: [(lo: Int, hi: Int, top: Int)] = []
        for s in spans {
            if let last = runs.last, s.lo < last.hi {
                runs[runs.count - 1] = (last.lo, max(last.hi, s.hi), min(last.top, s.top))
            } else {
                runs.append(s)
            }
        }
        return runs
    }
}
