import FolioText

/// `pdftotext -layout` pages read by column tracks: a column is followed down the page through
/// the rows of other modules set in other sizes (they interleave with it) and through short
/// blank runs, until something crosses it (a headline spanning its module) or it stops. The
/// tracks are then ordered by cutting the page into bands (cuts no track crosses), each band
/// into modules and columns (gutters no track crosses), recursively.
enum LayoutTracks {
    /// Rows a column may skip (lines of a module beside it set in another size, a blank row)
    /// and still go on.
    static let maxSkip = 3
    /// A track of this many lines or fewer (a headline, a rubric bar, labels) is read with the
    /// band nearer to it, not as a band of its own.
    static let shortRows = 3
    /// Rows the bottom of a band may share with the top of the next one.
    static let bandOverlap = 2
    /// Past these the page is no newspaper page: the caller reads it band by band instead.
    static let maxSegmentsPerRow = 32
    static let maxTracks = 50_000
    static let maxDepth = 48

    /// One column piece: its pieces of rows and the box they fill.
    struct Track {
        var segments: [LayoutColumns.Segment]
        var x0: Int, x1: Int, r0: Int, r1: Int
        /// Whether its first piece has nothing under it for `titleClearance - 1` rows.
        var firstClearBelow = false
        /// Rows between its last two pieces (0 while it has one).
        var lastStep = 0
        /// Columns a centred title set larger really spans (see `widenCentredTitles`).
        var reach: (Int, Int)?
        /// Few lines: a headline, a rubric bar, a label, a jump line.
        var isShort: Bool { segments.count <= LayoutTracks.shortRows }
    }

    /// The page's visual lines in reading order, or nil when the page is too irregular to track.
    static func lines(rows: [[Unicode.Scalar]]) -> [VisualLine]? {
        guard let tracks = build(rows: rows) else { return nil }
        var order: [Int] = []
        order.reserveCapacity(tracks.count)
        arrange(Array(tracks.indices), tracks, depth: 0, into: &order)
        return emit(order, tracks)
    }

    /// Tracks top to bottom: a row's piece goes on the open track whose left edge it shares
    /// (an indent of up to `columnMerge` included) unless it is wider than that track; a track
    /// another piece crosses is closed.
    static func build(rows: [[Unicode.Scalar]]) -> [Track]? {
        let merge = LayoutColumns.columnMerge
        var tracks: [Track] = []
        var open: [Int] = []
        var pieces: [[LayoutColumns.Segment]] = []
        pieces.reserveCapacity(rows.count)
        for (r, row) in rows.enumerated() {
            let segs = joinNamePieces(LayoutColumns.segments(row, row: r))
            if segs.count > maxSegmentsPerRow { return nil }
            pieces.append(segs)
        }
        for (r, segs) in pieces.enumerated() {
            // A title stays open further down for its next line (see `wrapsTitle`).
            open.removeAll { tracks[$0].r1 < r - (isTitle(tracks[$0]) ? titleReach : maxSkip + 1) }
            if segs.isEmpty { continue }
            var extended: [Int] = []
            for s in segs {
                let end = s.end
                var best: Int?
                var bestDistance = Int.max
                for t in open where tracks[t].r1 < r {
                    var d = abs(s.start - tracks[t].x0)
                    // A title's next line, centred under it, goes on after any column's line.
                    let wraps = wrapsTitle(s, tracks[t])
                    if d > merge { d = wraps ? merge + 1 : Int.max }
                    guard d < bestDistance, wraps || fits(s, end: end, tracks[t]),
                          !startsTitle(s, after: tracks[t], pieces), !spansColumns(tracks[t], over: s, segs) else { continue }
                    best = t; bestDistance = d
                }
                if let t = best {
                    tracks[t].segments.append(s)
                    tracks[t].x0 = min(tracks[t].x0, s.start)
                    tracks[t].x1 = max(tracks[t].x1, end)
                    tracks[t].lastStep = r - tracks[t].r1
                    tracks[t].r1 = r
                    extended.append(t)
                } else {
                    if tracks.count >= maxTracks { return nil }
                    tracks.append(Track(segments: [s], x0: s.start, x1: end, r0: r, r1: r, firstClearBelow: clearBelow(s, pieces)))
                    extended.append(tracks.count - 1)
                }
            }
            // A track this row crosses without going on in it has ended.
            open.removeAll { t in
                !extended.contains(t) && segs.contains { $0.start < tracks[t].x1 && $0.end > tracks[t].x0 }
            }
            for t in extended where !open.contains(t) { open.append(t) }
        }
        widenCentredTitles(&tracks, pieces)
        return tracks
    }

    /// Two short pieces close on a row are one line (`本报记者   郭伟成`), not two columns.
    static let namePiece = 6
    static func joinNamePieces(_ segs: [LayoutColumns.Segment]) -> [LayoutColumns.Segment] {
        guard segs.count > 1 else { return segs }
        var out: [LayoutColumns.Segment] = [segs[0]]
        for s in segs.dropFirst() {
            let last = out[out.count - 1]
            if last.scalars.count <= namePiece, s.scalars.count <= namePiece, s.start - last.end <= LayoutColumns.nameSpaces {
                out[out.count - 1] = LayoutColumns.Segment(row: last.row, start: last.start, scalars: last.scalars + [" "] + s.scalars, end: s.end)
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// A piece goes on a track only if it is no wider than it, and a one-line track (a
    /// headline over its columns, a blank row or more above them) takes no much narrower line
    /// under it.
    private static func fits(_ s: LayoutColumns.Segment, end: Int, _ t: Track) -> Bool {
        let merge = LayoutColumns.columnMerge
        if end > t.x1 + merge { return false }
        if t.segments.count == 1 && s.row - t.r1 > 2 && end < t.x1 - 2 * merge { return false }
        // Past a skipped row a line much narrower than the column goes on in it only as the
        // end of a paragraph; else it is a title or label set under a wider piece.
        if s.row - t.r1 > 1 && end < t.x1 - 2 * merge && !endsParagraph(s.scalars) { return false }
        return true
    }

    /// Marks inside a sentence, rare in headlines.
    static let clauseMarks: Set<Unicode.Scalar> = ["，", "、", "；"]

    /// A one-line track over two or more pieces of the row under it (a headline over its
    /// module's columns) goes on in none of them.
    static func spansColumns(_ t: Track, over s: LayoutColumns.Segment, _ row: [LayoutColumns.Segment]) -> Bool {
        guard t.segments.count == 1, s.end < t.x1 else { return false }
        return row.contains { $0.start >= s.end && $0.start >= t.x0 && $0.start < t.x1 }
    }

    /// Rows a line set larger than the text (a title) keeps clear above and below it.
    static let titleClearance = 3

    /// A piece set apart from a column's text above it by a longer step than the column's own
    /// and with nothing under it for as long (a line set larger: a title under the column's
    /// end), unless it ends a paragraph (the column's last line, spaced by a module beside it)
    /// or fills the column edge to edge with a clause mark in it after a line that ends nothing
    /// (text; a headline as wide as a column spans its module, and breaks no clause).
    static func startsTitle(_ s: LayoutColumns.Segment, after t: Track, _ pieces: [[LayoutColumns.Segment]]) -> Bool {
        let step = s.row - t.r1
        guard t.segments.count >= 2, step >= titleClearance, step > t.lastStep, !endsParagraph(s.scalars) else { return false }
        if s.start <= t.x0, s.end >= t.x1 - 1, s.scalars.contains(where: { clauseMarks.contains($0.mark) }),
           let last = t.segments.last, !endsParagraph(last.scalars) { return false }
        return clearBelow(s, pieces)
    }

    /// No piece under `s` across its width within the next `titleClearance - 1` rows but a
    /// narrower one centred under it (the title's next line).
    static func clearBelow(_ s: LayoutColumns.Segment, _ pieces: [[LayoutColumns.Segment]]) -> Bool {
        var r = s.row + 1
        while r < min(pieces.count, s.row + titleClearance) {
            if pieces[r].contains(where: { $0.start < s.end && $0.end > s.start && !centred($0, under: s) }) { return false }
            r += 1
        }
        return true
    }

    /// Narrower than `s` and centred under it (half a glyph either way).
    static func centred(_ p: LayoutColumns.Segment, under s: LayoutColumns.Segment) -> Bool {
        p.end - p.start < s.end - s.start && abs((p.start + p.end) - (s.start + s.end)) <= 3
    }

    /// Rows down to a title's next line (a title set large takes several rows a line).
    static let titleReach = 2 * titleClearance + 1

    /// One or two lines set apart: a title so far.
    static func isTitle(_ t: Track) -> Bool { t.firstClearBelow && t.segments.count <= 2 }

    /// The next line of a title set apart (one or two lines so far), centred under its last.
    static func wrapsTitle(_ s: LayoutColumns.Segment, _ t: Track) -> Bool {
        guard isTitle(t), s.row - t.r1 <= titleReach, let last = t.segments.last else { return false }
        return centred(s, under: last)
    }

    static func endsParagraph(_ s: [Unicode.Scalar]) -> Bool {
        guard let last = s.last(where: { $0 != " " }) else { return false }
        return CharacterClass.endsSentence(s) || "）」』”".unicodeScalars.contains(last.mark)
    }

    /// Reading order: bands (cuts between rows no track crosses, a short strip kept with the
    /// strip under it) top to bottom; else modules and columns (gutters no track crosses) left
    /// to right; else any cut between rows; else row by row.
    static func arrange(_ ids: [Int], _ tracks: [Track], depth: Int, into order: inout [Int]) {
        guard ids.count > 1, depth < maxDepth else { order += leaf(ids, tracks); return }
        // A column's last row may share a row with the next band's first (set in another size).
        let strips = cuts(ids, tracks, low: { tracks[$0].r0 },
                          high: { tracks[$0].isShort ? tracks[$0].r1 + 1 : max(tracks[$0].r0 + 1, tracks[$0].r1 + 1 - bandOverlap) })
        let bands = keepShortWithNext(strips, tracks)
        if bands.count > 1 {
            for b in bands { arrange(b, tracks, depth: depth + 1, into: &order) }
            return
        }
        let columns = cuts(ids, tracks, low: { tracks[$0].reach?.0 ?? tracks[$0].x0 }, high: { tracks[$0].reach?.1 ?? tracks[$0].x1 })
        if columns.count > 1 {
            for c in columns { arrange(c, tracks, depth: depth + 1, into: &order) }
            return
        }
        if strips.count > 1 {
            for s in strips { arrange(s, tracks, depth: depth + 1, into: &order) }
            return
        }
        order += leaf(ids, tracks)
    }

    /// Tracks no cut parts, read from the top one down.
    private static func leaf(_ ids: [Int], _ tracks: [Track]) -> [Int] {
        ids.sorted { (tracks[$0].r0, tracks[$0].x0, $0) < (tracks[$1].r0, tracks[$1].x0, $1) }
    }

    /// The ids split into groups at every gap of the half-open ranges [low, high) that no
    /// range crosses, in increasing order.
    private static func cuts(_ ids: [Int], _ tracks: [Track], low: (Int) -> Int, high: (Int) -> Int) -> [[Int]] {
        let sorted = ids.sorted { (low($0), high($0), $0) < (low($1), high($1), $1) }
        var groups: [[Int]] = []
        var reach = Int.min
        for id in sorted {
            if groups.isEmpty || low(id) >= reach { groups.append([id]) } else { groups[groups.count - 1].append(id) }
            reach = max(reach, high(id))
        }
        return groups
    }

    /// Strips whose tracks are all short (headlines, rubric bars, jump lines) joined to the
    /// strip they are nearer to, the one under them on a tie.
    private static func keepShortWithNext(_ strips: [[Int]], _ tracks: [Track]) -> [[Int]] {
        func top(_ s: [Int]) -> Int { s.map { tracks[$0].r0 }.min() ?? 0 }
        func bottom(_ s: [Int]) -> Int { s.map { tracks[$0].r1 }.max() ?? 0 }
        func isShort(_ s: [Int]) -> Bool { s.allSatisfy { tracks[$0].isShort } }
        var out: [[Int]] = []
        var carry: [Int] = []
        var lastWasTall = false
        for (k, s) in strips.enumerated() {
            if isShort(s), carry.isEmpty, lastWasTall, let prev = out.last {
                let above = top(s) - bottom(prev)
                let below = k + 1 < strips.count ? top(strips[k + 1]) - bottom(s) : Int.max
                if above < below { out[out.count - 1] += s; continue }
            }
            carry += s
            lastWasTall = !isShort(s)
            if lastWasTall { out.append(carry); carry = [] }
        }
        if !carry.isEmpty {
            if out.isEmpty { out.append(carry) } else { out[out.count - 1] += carry }
        }
        return out
    }

    /// A track right under the one read before it, in the same column, whose last line ran on
    /// unfinished: the column broken by rows the extractor set apart, not a new block.
    private static func continues(_ track: Track, after previous: Int, _ tracks: [Track]) -> Bool {
        guard previous >= 0 else { return false }
        let above = tracks[previous]
        guard abs(track.x0 - above.x0) <= LayoutColumns.columnMerge, track.r0 > above.r1,
              let last = above.segments.last, last.end >= above.x1 - 1 else { return false }
        // A line set apart as a title is under the column (see `startsTitle`), not in it.
        let step = track.r0 - above.r1
        if track.firstClearBelow, above.segments.count >= 2, step >= titleClearance, step > above.lastStep,
           let first = track.segments.first, !endsParagraph(first.scalars) { return false }
        return !endsParagraph(last.scalars)
    }

    /// A column read after the column left of it in its module, as wide and starting higher,
    /// whose first line runs full from its left edge, while the one before ended on a full line
    /// that finishes nothing: the paragraph goes on across the column break.
    private static func flowsOn(_ track: Track, after previous: Int, _ tracks: [Track]) -> Bool {
        guard previous >= 0 else { return false }
        let above = tracks[previous]
        let merge = LayoutColumns.columnMerge
        guard !track.isShort, above.segments.count >= 2, track.x0 > above.x1, track.r0 < above.r1,
              abs((track.x1 - track.x0) - (above.x1 - above.x0)) <= merge,
              let last = above.segments.last, last.end >= above.x1 - 1, !endsParagraph(last.scalars),
              let first = track.segments.first, first.start == track.x0, first.end >= track.x1 - 1 else { return false }
        // A headline over the column's text is set apart from it by a longer step.
        let steps = zip(track.segments.dropFirst(), track.segments).map { $0.row - $1.row }
        return steps.count < 2 || steps[0] <= steps[1]
    }

    /// The tracks' pieces as visual lines, track after track.
    static func emit(_ order: [Int], _ tracks: [Track]) -> [VisualLine] {
        var out: [VisualLine] = []
        var lastTrack = -1, lastRow = 0, lastStep = Int.max
        for t in order {
            let track = tracks[t]
            var previous: LayoutColumns.Segment?
            for s in track.segments {
                defer { previous = s }
                if t == lastTrack && s.row == lastRow, !out.isEmpty {
                    out[out.count - 1].scalars += [" "] + s.scalars
                    continue
                }
                // Rows skipped in a column are lines of a module beside it, set in another
                // size; a step much longer than the one before is a line set larger (a title).
                let step = s.row - lastRow
                let gap = t == lastTrack ? (step - 2 > lastStep ? 1 : 0)
                    : (continues(track, after: lastTrack, tracks) || flowsOn(track, after: lastTrack, tracks) ? 0 : 1)
                // A line centred under the one before and short of its end (a title's next
                // line) tells nothing by its start: re-flow goes by its width. An indented first
                // line runs to the end, or to a glyph short of it when set in by one. Under a
                // line set in itself at another place (a title over the column) it tells nothing
                // either.
                let titleLine = previous.map { p in
                    let left = s.start - p.start, right = p.end - s.end
                    return centred(s, under: p) && right >= 1 && (right >= 2 || left <= right || !endsParagraph(p.scalars))
                        || (p.start > track.x0 && left > 0 && !endsParagraph(p.scalars))
                } ?? false
                let indented: Bool? = titleLine ? nil : s.start > track.x0
                out.append(VisualLine(line: UInt32(s.row + 1), gapBefore: gap, scalars: s.scalars, indented: indented))
                lastStep = t == lastTrack ? step : Int.max
                lastTrack = t
                lastRow = s.row
            }
        }
        return out
    }
}
