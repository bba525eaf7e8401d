import Foundation

/// A line in reading order with the column it was read in (left and right edges of the slice).
struct PlacedLine: Sendable {
    var line: TextLine
    var columnLeft: Double
    var columnRight: Double
    /// The regions the cuts put the line in, outermost first (ids unique on the page): a rubric
    /// heads the lines that share its innermost region.
    var regions: [Int]
    /// The size of the running text the line is judged against when its story's text is set in
    /// another size than the page's body (`LocalBody`); nil: the page's body size.
    var textSize: Double? = nil
}

/// Recursive cuts along white space (XY-cut): side-by-side slices are read left to right, stacked
/// strips top to bottom. Stacked strips that a column gutter runs through are one flow of columns
/// and stay together; a strip set larger than the body (a headline) spans the columns under it.
struct ReadingOrder {
    /// The body text size: strips of larger type span their columns.
    let bodySize: Double

    /// A vertical gutter narrower than this (in body em) is not a cut.
    static let minGutterEm = 0.5
    /// White space this tall (in body em) across the whole width parts bands of modules: the strips
    /// above and below are read apart even when their columns line up.
    static let bandGapEm = 1.2
    /// Type this much larger than the body heads what is under it.
    static let spanningRatio = 1.08
    /// Lines whose boxes overlap by less than this (in body em) are stacked, not on one row.
    static let touchEm = 0.01

    func order(_ lines: [TextLine]) -> [PlacedLine] {
        guard let left = lines.map(\.x0).min(), let right = lines.map(\.x1).max() else { return [] }
        var out: [PlacedLine] = []
        var nextID = 0
        visit(lines, left: left, right: right, path: [], nextID: &nextID, into: &out)
        return out
    }

    private func visit(_ lines: [TextLine], left: Double, right: Double, path: [Int], nextID: inout Int,
                       into out: inout [PlacedLine]) {
        if lines.count <= 1 {
            out += lines.map { PlacedLine(line: $0, columnLeft: left, columnRight: right, regions: path) }
            return
        }
        nextID += 1
        let inside = path + [nextID]
        // Bands and stories first: wide white space across the whole set parts rows of modules, and a
        // headline over columns that all start under it opens a story, even where a column gutter
        // runs on from one into the next.
        let bands = stackedGroups(lines, bandsOnly: true)
        if bands.count > 1 {
            for band in bands { visit(band, left: left, right: right, path: inside, nextID: &nextID, into: &out) }
            return
        }
        let slices = verticalSlices(lines)
        if slices.count > 1, let (heading, rest) = headingOverColumns(lines, slices: slices) {
            out += heading.map { PlacedLine(line: $0, columnLeft: left, columnRight: right, regions: inside) }
            visit(rest, left: left, right: right, path: inside, nextID: &nextID, into: &out)
            return
        }
        if slices.count > 1 {
            for slice in headingsBeforeNames(slices) {
                visit(slice, left: slice.map(\.x0).min() ?? left, right: slice.map(\.x1).max() ?? right,
                      path: inside, nextID: &nextID, into: &out)
            }
            return
        }
        let groups = stackedGroups(lines)
        if groups.count > 1 {
            for group in groups { visit(group, left: left, right: right, path: inside, nextID: &nextID, into: &out) }
            return
        }
        // Overlapping every way: top to bottom, left to right.
        let sorted = lines.sorted { $0.y0 != $1.y0 ? $0.y0 < $1.y0 : $0.x0 < $1.x0 }
        out += sorted.map { PlacedLine(line: $0, columnLeft: left, columnRight: right, regions: inside) }
    }

    /// Side by side in a row of headings, a byline set lower than a headline beside it (a centred
    /// headline, the author's name at the column's left under it) is read after the headline.
    private func headingsBeforeNames(_ slices: [[TextLine]]) -> [[TextLine]] {
        let names = slices.filter { $0.allSatisfy(isNameLine) }
        let headings = slices.filter { $0.allSatisfy(isHeading) }
        guard !names.isEmpty, names.count + headings.count == slices.count,
              let headingTop = headings.flatMap({ $0 }).map(\.y0).min(),
              names.allSatisfy({ ($0.map(\.y0).min() ?? 0) > headingTop }) else { return slices }
        return headings + names
    }

    /// Lines split at x gaps that run through the whole set, left to right.
    private func verticalSlices(_ lines: [TextLine]) -> [[TextLine]] {
        let sorted = lines.sorted { $0.x0 < $1.x0 }
        var slices: [[TextLine]] = []
        var reach = -Double.infinity
        for line in sorted {
            if line.x0 - reach >= Self.minGutterEm * bodySize, !slices.isEmpty {
                slices.append([line])
            } else if slices.isEmpty {
                slices.append([line])
            } else {
                slices[slices.count - 1].append(line)
            }
            reach = max(reach, line.x1)
        }
        return slices
    }

    private func hasVerticalCut(_ lines: [TextLine]) -> Bool { verticalSlices(lines).count > 1 }

    /// Lines split at y gaps that run across the whole set, top to bottom; neighbouring strips a
    /// gutter runs through are joined again (columns side by side), unless one is display type.
    private func stackedGroups(_ lines: [TextLine], bandsOnly: Bool = false, stripsOnly: Bool = false) -> [[TextLine]] {
        let sorted = lines.sorted { $0.y0 < $1.y0 }
        var strips: [[TextLine]] = []
        var reach = -Double.infinity
        for line in sorted {
            // Boxes of stacked lines may touch by a hair (a subtitle's descent over a byline).
            if strips.isEmpty || line.y0 >= reach - Self.touchEm * bodySize {
                strips.append([line])
            } else {
                strips[strips.count - 1].append(line)
            }
            reach = max(reach, line.y1)
        }
        guard strips.count > 1, !stripsOnly else { return strips }
        if bandsOnly {
            var bands: [[TextLine]] = [strips[0]]
            for (k, strip) in strips.enumerated().dropFirst() {
                let last = bands[bands.count - 1]
                let gap = (strip.map(\.y0).min() ?? 0) - (last.map(\.y1).max() ?? 0)
                let wide = gap >= Self.bandGapEm * bodySize
                let heads = headsOneModule(last, above: strip)
                    || headingsOverModules(last, above: strips[k..<min(strips.count, k + Self.modulesLookDown)].flatMap { $0 })
                if !opensStory(strips, at: k) && (!wide || (canJoin(last) && heads)) {
                    bands[bands.count - 1] += strip
                } else {
                    bands.append(strip)
                }
            }
            return bands
        }
        if ProcessInfo.processInfo.environment["FOLIO_PDF_TRACE"] != nil {
            let gaps = zip(strips, strips.dropFirst()).map { a, b in
                String(format: "%.1f@%.0f", (b.map(\.y0).min() ?? 0) - (a.map(\.y1).max() ?? 0), b.map(\.y0).min() ?? 0)
            }
            FileHandle.standardError.write(Data("strips \(strips.count): \(gaps.joined(separator: " "))\n".utf8))
        }
        var groups: [[TextLine]] = [strips[0]]
        for (k, strip) in strips.enumerated().dropFirst() {
            let last = groups[groups.count - 1]
            let gap = (strip.map(\.y0).min() ?? 0) - (last.map(\.y1).max() ?? 0)
            let joins = opensStory(strips, at: k) ? false
                : gap >= Self.bandGapEm * bodySize
                ? canJoin(last) && headsOneModule(last, above: strip)
                : flowsTogether(last, strip)
            if joins {
                groups[groups.count - 1] += strip
            } else {
                groups.append(strip)
            }
        }
        return groups
    }

    /// Whether strip `k` starts a run of heading type only (headline, kicker, rubric) over a story whose columns
    /// all start on one row under it: a story set across several columns under a headline narrower
    /// than they are. What is above is another story, however narrow the white space between them;
    /// text that only runs on past the headline beside a picture starts on a row of its own.
    private func opensStory(_ strips: [[TextLine]], at k: Int) -> Bool {
        // The cut goes above the whole run of heading strips (a rubric or a kicker over the headline).
        guard k > 0, !strips[k - 1].allSatisfy(isHeading) else { return false }
        let run = strips[k...].prefix { $0.allSatisfy(isHeading) }
        guard !run.isEmpty, run.count <= Self.headingStripsMax,
              run.contains(where: { $0.contains { $0.size >= Self.spanningRatio * bodySize } }),
              k + run.count < strips.count else { return false }
        return columnsStartTogether(bodyTop(strips[(k + run.count)...]))
    }

    /// The strip under a heading run, with the next one when it holds only names: a byline set on a
    /// line of its own over the first column, under the headline (the columns start under it).
    private func bodyTop(_ strips: ArraySlice<[TextLine]>) -> [TextLine] {
        guard let first = strips.first else { return [] }
        guard strips.count > 1, first.allSatisfy(isNameLine) else { return first }
        return first + strips[strips.startIndex + 1]
    }

    /// A short line of running-text size without a mark of prose: a byline's names.
    private func isNameLine(_ line: TextLine) -> Bool {
        line.glyphs.count <= Self.nameLineGlyphs && line.size >= Self.textRatio * bodySize
            && line.size < Self.spanningRatio * bodySize && line.glyphs.contains { $0.character.isLetter }
            && !line.glyphs.contains { Self.proseMarks.contains($0.character) }
    }
    static let nameLineGlyphs = 12
    static let proseMarks: Set<Character> = ["，", "。", "；", "！", "？", "、", ",", ";"]

    /// Two or more columns whose top lines are running text (or a byline) on one row; a column
    /// opening with a caption (a photo on top of it) does not count; one opening with a picture's
    /// title (display type) means these are not one story's columns.
    private func columnsStartTogether(_ body: [TextLine]) -> Bool {
        let columns = verticalSlices(body).map { $0.sorted { $0.y0 < $1.y0 } }
        guard !columns.contains(where: { ($0.first?.size ?? 0) >= Self.spanningRatio * bodySize }) else { return false }
        // A column may open with a byline on a line of its own: then its text starts under it.
        return onOneRow(columns.compactMap { $0.first }) || onOneRow(columns.compactMap { column in
            guard let top = column.first, column.count > 1, isNameLine(top) else { return column.first }
            return column[1]
        })
    }

    /// Two or more of these column tops are running text (not captions), all on one row.
    private func onOneRow(_ tops: [TextLine]) -> Bool {
        let rows = tops.filter { $0.size >= Self.textRatio * bodySize }.map(\.y0)
        guard rows.count > 1 else { return false }
        return (rows.max() ?? 0) - (rows.min() ?? 0) < Self.sameRowEm * bodySize
    }

    /// Running text and bylines are set at least this large against the body; captions smaller.
    static let textRatio = 0.92

    /// A heading run on top of the set over one story whose columns all start on one row under it,
    /// though the heading is narrower than they are (a headline centred over the middle columns):
    /// the heading lines top to bottom, and the rest. Nil when the heading sits over several
    /// slices (headlines of modules side by side) or the columns under it do not start together.
    private func headingOverColumns(_ lines: [TextLine], slices: [[TextLine]]) -> ([TextLine], [TextLine])? {
        let strips = stackedGroups(lines, stripsOnly: true)
        let run = strips.prefix { $0.allSatisfy(isHeading) }
        guard !run.isEmpty, run.count <= Self.headingStripsMax, run.count < strips.count,
              run.contains(where: { $0.contains { $0.size >= Self.spanningRatio * bodySize } }),
              columnsStartTogether(bodyTop(strips[run.count...])) else { return nil }
        let heading = run.flatMap { $0 }
        // A rubric bar at the module's left over a headline centred on its columns goes with it.
        let titles = heading.filter { !LineStyle.isRubricBar($0) }
        let homes = Set(titles.map { line in slices.firstIndex { $0.contains { $0.x0 == line.x0 && $0.y0 == line.y0 } } ?? -1 })
        guard homes.count == 1 else { return nil }
        let sorted = heading.sorted { $0.y0 != $1.y0 ? $0.y0 < $1.y0 : $0.x0 < $1.x0 }
        return (sorted, strips[run.count...].flatMap { $0 })
    }

    /// Heading type: display or deck size, or a rubric bar.
    private func isHeading(_ line: TextLine) -> Bool {
        line.size >= Self.spanningRatio * bodySize || LineStyle.isRubricBar(line)
    }

    /// Strips of heading type (a kicker, a headline of several lines, a subtitle) looked past for the story's body.
    static let headingStripsMax = 4
    /// Column tops this close (in body em) are on one row.
    static let sameRowEm = 0.5

    /// Whether two stacked strips are parts of side-by-side flows: a gutter runs through both, and
    /// display type in them opens its slice at the slice's left edge (a headline over one module or
    /// over the first column of its story), not centred over columns it heads.
    private func flowsTogether(_ upper: [TextLine], _ lower: [TextLine]) -> Bool {
        let slices = verticalSlices(upper + lower)
        guard slices.count > 1 else { return false }
        for strip in [upper, lower] where !strip.isEmpty && !canJoin(strip) {
            for line in strip where line.size >= Self.spanningRatio * bodySize {
                guard let slice = slices.first(where: { $0.contains { $0.x0 == line.x0 && $0.y0 == line.y0 } }),
                      let left = slice.map(\.x0).min(), line.x0 - left < 0.5 * bodySize else { return false }
            }
        }
        return true
    }

    /// Across wide white space (between bands) strips stay apart even when their columns line up,
    /// unless the upper one sits over a single one of the modules below (a rubric over a row of photos).
    private func headsOneModule(_ upper: [TextLine], above lower: [TextLine]) -> Bool {
        let slices = verticalSlices(upper + lower)
        guard slices.count > 1 else { return false }
        let homes = Set(upper.map { line in slices.firstIndex { $0.contains { $0.x0 == line.x0 && $0.y0 == line.y0 } } ?? -1 })
        return homes.count == 1
    }

    /// Strips under a row of headings looked at for the text each heads.
    static let modulesLookDown = 8

    /// A row of headings (rubric bars, kickers, headlines, their bylines) over modules side by side
    /// below, each module under headings of its own: each heads its module, so the row is read with
    /// them and not as a band of its own.
    private func headingsOverModules(_ upper: [TextLine], above lower: [TextLine]) -> Bool {
        guard upper.count > 1, upper.allSatisfy({ isHeading($0) || isNameLine($0) }) else { return false }
        let slices = verticalSlices(upper + lower)
        guard slices.count > 1 else { return false }
        let homes = upper.map { line in slices.firstIndex { $0.contains { $0.x0 == line.x0 && $0.y0 == line.y0 } } ?? -1 }
        let home = Set(homes)
        guard home.count > 1, !home.contains(-1) else { return false }
        // Every home heads text below it, with a heading (not a byline alone) of its own.
        return home.allSatisfy { k in
            slices[k].contains { line in lower.contains { $0.x0 == line.x0 && $0.y0 == line.y0 } }
                && zip(upper, homes).contains { $1 == k && isHeading($0) }
        }
    }

    /// Display type alone (a headline over its columns) heads what is under it; display type
    /// beside other text (headlines of modules side by side) belongs to the flow it tops.
    private func canJoin(_ lines: [TextLine]) -> Bool {
        !lines.contains { $0.size >= Self.spanningRatio * bodySize } || hasVerticalCut(lines)
    }
}
