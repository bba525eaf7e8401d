import FolioText

/// One visual line as an extractor wrote it, before re-flow.
struct VisualLine {
    var line: UInt32
    var gapBefore: Int
    var scalars: [Unicode.Scalar]
    /// Whether the line starts indented from its column; nil when the extractor lost indents.
    var indented: Bool?
}

/// Extractor output (`pdftotext`: one line per visual line, a paragraph broken into lines of
/// about the column width) back into the parser's form: one line per paragraph or title.
///
/// A line is joined to the next one in its run (lines with no blank line between them) when it
/// is as wide as the column around it and does not end a sentence, or is full width and the
/// next line does not look like an indented paragraph start. Short unpunctuated lines join only
/// as a wrapped title whose two halves the bigram model reads as one word.
enum Reflow {
    /// How far around a line its column width is looked for (lines each way).
    static let window = 6
    /// A line this close to the column width (in full-width characters) counts as full.
    static let fullSlack = 1.2
    /// A first line shortened by a two-character indent still runs on.
    static let indentSlack = 3.6
    /// Bigram evidence needed to join the halves of a wrapped title.
    static let titleJoinFloor = 0.0
    static let titleMaxWidth = 30.0
    /// Below this a short unpunctuated first line does not run on into the next line.
    static let titleVetoFloor = -3.0

    /// Whether the page reads like extractor output: at least a quarter of its lines run on,
    /// mid-sentence, into the line right under them. The one-paragraph-per-line form never does.
    static func looksExtracted<Lines: RandomAccessCollection<VisualLine>>(_ lines: Lines) -> Bool where Lines.Index == Int {
        guard lines.count >= 8 else { return false }
        var runOn = 0
        for i in 1..<lines.count where lines[i].gapBefore == 0 {
            let prev = lines[i - 1].scalars
            if prev.count >= 6 && !CharacterClass.endsSentence(prev) { runOn += 1 }
        }
        return runOn * 4 >= lines.count
    }

    /// How well a line must read on past a credited caption line, and by how much better than into it.
    static let pastCaptionFloor = 1.0
    static let pastCaptionMargin = 2.0

    static func reflow(_ input: [VisualLine], model: BigramModel = .shared) -> [SourceBlock] {
        let lines = mergeSplitBylines(input)
        let widths = lines.map { width($0.scalars) }
        let ends = lines.map { endsParagraph($0.scalars) }
        let opens = lines.indices.map { opensWithDateline(lines, $0) }
        var out: [SourceBlock] = []
        var start = 0
        while start < lines.count {
            var end = start + 1
            while end < lines.count && lines[end].gapBefore == 0 { end += 1 }
            let run = Run(lines: lines, widths: widths, ends: ends, opens: opens, range: start..<end, model: model)
            var i = start
            while i < end {
                var scalars = lines[i].scalars
                var j = i
                while j + 1 < end && run.joins(j, unitStart: j == i, unit: i) {
                    appendLine(lines[j + 1].scalars, to: &scalars)
                    j += 1
                }
                out.append(SourceBlock(line: lines[i].line, gapBefore: i == start ? lines[i].gapBefore : 0, scalars: scalars,
                                       edges: run.edges(i, j), laterLines: lines[(i + 1)..<(j + 1)].map(\.line)))
                i = j + 1
            }
            start = end
        }
        return out
    }

    /// A byline whose spaced name the extractor set one piece per line (`本报记者` / `王` / `楚`)
    /// back on one line.
    /// A spaced two-glyph name set one glyph per line (`潘` / `跃`) is put back together too.
    static func mergeSplitBylines(_ lines: [VisualLine]) -> [VisualLine] {
        var out: [VisualLine] = []
        out.reserveCapacity(lines.count)
        var pieces = 0
        var glyphs = 0  // lone glyphs in a row, the first a surname
        for l in lines {
            if pieces > 0, pieces < 4, l.gapBefore <= 1, l.scalars.count <= 3, l.scalars.allSatisfy(CharacterClass.isHan) {
                out[out.count - 1].scalars += [" "] + l.scalars
                pieces += 1
                continue
            }
            if glyphs > 0, glyphs < 3, l.gapBefore <= 1, isLoneGlyph(l) {
                out[out.count - 1].scalars += [" "] + l.scalars
                glyphs += 1
                continue
            }
            pieces = l.scalars.count <= 8 && PageFurniture.isBylineStart(l.scalars) ? 1 : 0
            glyphs = isLoneGlyph(l) && SurnameTable.surnames.contains(CharacterFold.shared.fold(l.scalars[0])) ? 1 : 0
            out.append(l)
        }
        return out
    }

    /// Glyphs of the next line read with a line whose dateline may be cut before its 讯/电.
    static let datelineSpill = 12

    /// The line opens with a dateline, whole or cut at the line end (`新华社成都１月１０日` over
    /// `电（记者…）…`): either way it starts a paragraph.
    static func opensWithDateline(_ lines: [VisualLine], _ i: Int) -> Bool {
        let s = lines[i].scalars
        if DatelineParser.parse(s, line: lines[i].line, pageDate: nil) != nil { return true }
        guard i + 1 < lines.count, lines[i + 1].gapBefore == 0, s.count < datelineSpill + 6,
              let first = s.first,
              DatelineParser.openers.contains(Folded.fold.fold(first)) || OtherAgencies.nameLength(s) != nil else { return false }
        return DatelineParser.parse(s + lines[i + 1].scalars.prefix(datelineSpill), line: lines[i].line, pageDate: nil) != nil
    }

    private static func isLoneGlyph(_ l: VisualLine) -> Bool {
        l.scalars.count == 1 && CharacterClass.isHan(l.scalars[0])
    }

    /// Ends a sentence, or a sentence and its signature in brackets (`…演出。（某某）`).
    static func endsParagraph(_ s: [Unicode.Scalar]) -> Bool {
        if CharacterClass.endsSentence(s) { return !endsWithDecimalPoint(s) }
        guard let last = s.last, last.mark == "）" || last == ")" else { return false }
        guard let open = s.lastIndex(where: { $0.mark == "（" || $0 == "(" }), s.count - open <= 20 else { return false }
        return open > 0 && CharacterClass.endsSentence(s[..<open])
    }

    /// Width in full-width characters: ASCII counts half.
    static func width(_ s: [Unicode.Scalar]) -> Double {
        var w = 0.0
        for c in s { w += c.value < 0x80 ? 0.5 : 1.0 }
        return w
    }

    /// Lines that stand alone whatever their width: rubric bars, subtitles, bylines, jump
    /// lines, the page photo credit, the 核心提示 title, a bare date (under a signature).
    static func standsAlone(_ s: [Unicode.Scalar]) -> Bool {
        guard let first = s.first else { return true }
        if LineRoles.rubricMarks.contains(first) { return true }
        if s.count >= 2 && s[0].mark == "—" && s[1].mark == "—" { return true }
        if PageFurniture.isJumpLine(s) || PageFurniture.isPageCredit(s) || PageFurniture.isBylineStart(s) { return true }
        if SignatureBlock.isBareDate(s) { return true }
        return Folded.has(Folded.of(s), LineRoles.leadMarker) && s.count <= LineRoles.leadMarker.count + 1
    }

    /// Lines after which nothing joins: a kicker (`…——`), a photo credit (`（…摄）`), the page's
    /// photo credit after a caption.
    static func closesUnit(_ s: [Unicode.Scalar]) -> Bool {
        guard let last = s.last else { return true }
        if s.count >= 2 && last.mark == "—" && s[s.count - 2].mark == "—" { return true }
        if PageFurniture.isPictureOnlyTitle(s) || PageFurniture.endsWithPhotoSource(s) || bracketedNames(s) { return true }
        if s.first?.mark == "（" || s.first == "(", BracketedByline.role(SourceBlock(line: 0, gapBefore: 0, scalars: s)) != nil { return true }
        if last == "摄" || last == "攝", CaptionCredit.split(SourceBlock(line: 0, gapBefore: 0, scalars: s)) != nil { return true }
        return PeopleLines.captionCreditStart(s) != nil && (last.mark == "）" || last == ")")
    }

    /// A signature on a line of its own: names in brackets (`（林 河　王 明）`).
    static func bracketedNames(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 4, s.count <= 18, s.first?.mark == "（" || s.first == "(", s.last?.mark == "）" || s.last == ")" else { return false }
        let inner = s.dropFirst().dropLast()
        guard let first = inner.first, SurnameTable.surnames.contains(CharacterFold.shared.fold(first)),
              inner.allSatisfy({ CharacterClass.isHan($0) || CharacterClass.isSpace($0) || $0.mark == "、" || CharacterClass.isNameDot($0) }) else { return false }
        let glyphs = inner.filter(CharacterClass.isHan).count
        return glyphs >= 2 && glyphs <= 12
    }

    /// No punctuation that ends or divides a sentence, no quote or bracket left open, and not
    /// closed by a quote or bracket: the line does not finish a paragraph.
    static func unfinishedShortLine(_ s: [Unicode.Scalar]) -> Bool {
        guard let last = s.last, !CharacterClass.isClosing(last) else { return false }
        var open = 0
        // One colon inside, words after it (`某某：某某某`), is a title's; at the end it introduces.
        var colons = 0
        for (i, c) in s.enumerated() {
            if (c.mark == "：" || c == ":") && i >= 2 && i + 2 < s.count {
                colons += 1
                if colons == 1 { continue }
            }
            if c.mark == "，" || c.mark == "、" || c.mark == "；" || c.mark == "：" || c == "," || c == ";" || c == ":"
                || CharacterClass.isSentenceEnd(c) { return false }
            if CharacterClass.isOpening(c) { open += 1 } else if CharacterClass.isClosing(c) { open -= 1 }
        }
        return open == 0
    }

    /// Short, title-shaped: no sentence inside.
    static func titleShaped(_ s: [Unicode.Scalar], width: Double) -> Bool {
        width <= titleMaxWidth && !s.contains { $0.mark == "。" || $0.mark == "；" }
    }
}

/// One run of lines with no blank line between them, and the join decision inside it.
struct Run {
    let lines: [VisualLine]
    let widths: [Double]
    let ends: [Bool]
    /// The line opens with a dateline: it starts a paragraph.
    let opens: [Bool]
    let range: Range<Int>
    let model: BigramModel

    /// The column width around line `i`: the commonest width of nearby lines that run on
    /// (they are full lines); ties go to the wider. Line `i` is no evidence for itself (a
    /// title over a wide caption would make its own width the column's).
    func columnWidth(_ i: Int) -> Double {
        let lo = max(range.lowerBound, i - Reflow.window), hi = min(range.upperBound, i + Reflow.window + 1)
        // The window is a dozen lines: counting pairs needs no storage.
        var widest = 0.0
        var best = -1, bestCount = 0
        for j in lo..<hi {
            widest = max(widest, widths[j])
            guard j != i, runsOn(j) else { continue }
            let w = Int(widths[j].rounded())
            var count = 0
            for k in lo..<hi where runsOn(k) && Int(widths[k].rounded()) == w { count += 1 }
            if count > bestCount || (count == bestCount && w > best) { best = w; bestCount = count }
        }
        guard best >= 0 else { return widest }
        // Short paragraphs make first lines (short by the lost indent) the commonest width: a
        // width up to an indent wider, seen twice, is the column.
        var full = best
        // Seen once is enough when every line of the commonest width opens a paragraph (first in
        // the run, a dateline, or after a sentence end): all first lines, short by their indent.
        let firstLines = (lo..<hi).allSatisfy { j in
            j == i || !runsOn(j) || Int(widths[j].rounded()) != best || j == range.lowerBound || opens[j] || ends[j - 1]
        }
        for j in lo..<hi where j != i && runsOn(j) {
            let w = Int(widths[j].rounded())
            guard w > full, w <= best + Self.indentWidth else { continue }
            var count = 0
            for k in lo..<hi where k != i && runsOn(k) && Int(widths[k].rounded()) == w { count += 1 }
            if count >= 2 || firstLines { full = w }
        }
        return Double(full)
    }

    /// The indent a paragraph's first line loses, in full-width characters.
    static let indentWidth = 2

    private func runsOn(_ j: Int) -> Bool {
        !ends[j] && lines[j].scalars.count >= 6
    }

    static let pictureMark = Folded.scalars("图为")
    /// Characters that go on with a phrase and never open a caption (`的新世纪》。`).
    static let neverOpens: Set<Unicode.Scalar> = Set("的之地得了着过们和与及".unicodeScalars)

    /// A whole credited caption set between two lines of a paragraph (`…锁在箱子` / `民工们在课堂上课。
    /// （本报记者某某摄）` / `里专门用于…`): line i goes on past it, not into it, when it reads on
    /// into the line after the caption clearly better than into the caption (a caption's own first
    /// line over its credited rest reads into it about as well).
    func captionInsideParagraph(_ i: Int) -> Bool {
        guard !ends[i], i + 2 < range.upperBound else { return false }
        let b = lines[i + 1].scalars
        guard let start = PeopleLines.captionCreditStart(b), start > 0, CharacterClass.isSentenceEnd(b[start - 1]),
              let first = b.first, !CharacterClass.cannotStartSentence(first), !Self.neverOpens.contains(first) else { return false }
        // Lines of caption prose above (`图为…`): the caption's own first lines.
        for k in max(range.lowerBound, i - 3)...i where Folded.find(lines[k].scalars, Self.pictureMark) != nil { return false }
        let a = lines[i].scalars[...], after = lines[i + 2].scalars[...]
        let past = model.joinScore(tail: a.suffix(2), head: after.prefix(2))
        return past >= Reflow.pastCaptionFloor && past >= model.joinScore(tail: a.suffix(2), head: b[...].prefix(2)) + Reflow.pastCaptionMargin
    }

    /// Whether line `i` continues into line `i + 1`.
    func joins(_ i: Int, unitStart: Bool, unit: Int) -> Bool {
        let a = lines[i].scalars, b = lines[i + 1].scalars
        if opens[i + 1] || (Reflow.closesUnit(a) && !Reflow.proseAfterDash(a, b)) { return false }
        if pictureTitleUnder(i) { return false }
        // A photo credit on a line of its own (`（某某摄）`) closes the caption whose sentence ends above it.
        if ends[i], PeopleLines.captionCreditStart(b) == 0, Folded.has(Folded.of(lines[unit].scalars), Self.pictureMark, at: 0) { return true }
        if captionInsideParagraph(i) { return false }
        if unitStart && !Reflow.standsAlone(b) && !names(i + 1)
            && Reflow.wrappedSubtitle(a, b, width: widths[i], next: widths[i + 1], model: model) { return true }
        if Reflow.standsAlone(a) && !(PageFurniture.isBylineStart(a) && !unitStart) { return false }
        if Reflow.standsAlone(b) && !(PageFurniture.isBylineStart(b) && reporterListRunsOn(i)) { return false }
        if lines[i + 1].indented == true || authorUnderTitle(i) || Reflow.bareKicker(b) { return false }
        // A numbered clause or a bullet point after a sentence or a colon: a new paragraph.
        if (ends[i] || a.last?.mark == "：" || a.last == ":") && ListItems.opensItem(b) { return false }
        // Two short lines in a row are labels or a title and its author, never a title wrapped.
        if shortLine(i + 1) && (shortLine(i) || shortLine(i + 2)) { return false }
        // Spaced names are never prose nor a title's rest: the author line.
        if b.contains(where: CharacterClass.isSpace) && names(i + 1) { return false }
        // Inside a column, a line going on with a clause begun above (`说，“…`): the short line
        // above is prose. (A title opening a block may stand over another column's rest.)
        if i > range.lowerBound && !ends[i] && Reflow.continuesClause(b) && !ListItems.opensItem(b) { return true }
        // A line opening with a particle that only goes on a phrase (`的“某某行动”…`): whatever is
        // above it, title-shaped or not, is that phrase's start.
        if !ends[i] && Reflow.continuesPhrase(b) { return true }
        if Reflow.continuesLatinSentence(a, b) { return true }
        // A line ending in a clause mark (`某某、`, `…，`) finishes nothing: no title or names
        // line ends so, and a paragraph never does.
        if Reflow.endsWithClauseMark(a) && !opens[i] { return true }
        if headlineBlock(i, unit: unit) { return true }
        // A dateline line that does not end a sentence runs on into the story's first words.
        if opens[i] && !ends[i] { return true }
        let column = columnWidth(i)
        // A bare title over a paragraph's first line (short by the lost indent, full line under it):
        // the headline over its text, however close to the column width it is set.
        if !ends[i] && TitleOverFirstLine.applies(self, i, unit: unit, column: column) { return false }
        let wa = widths[i], wb = widths[i + 1]
        // A line opening with 图为 is a caption's first line, never a title over the text.
        let picture = Folded.has(Folded.of(a), Self.pictureMark, at: 0)
        if !ends[i] && !picture && Reflow.titleOverWiderLine(a, width: wa, next: wb) { return false }
        // A short bare line right under a rubric line, over a line no shorter (not a wrapped
        // title's rest, `…巡礼活动开` / `始`), is the section's first headline, however short the
        // column's lines are (`■ 经济观察` / `天然物质催熟保鲜` / `美国科学家最近发现`).
        if unitStart, i > range.lowerBound, lines[i - 1].scalars.first.map(LineRoles.rubricMarks.contains) == true,
           !ends[i], Self.bareTitle(a), wa < column - Reflow.fullSlack, wb >= wa { return false }
        // The first line of a paragraph is short by its indent (lost or kept by the extractor).
        let indentedFirst = unitStart && (lines[i].indented ?? (wa <= column - 1.3))
        let full = wa >= column - (indentedFirst ? Reflow.indentSlack : Reflow.fullSlack)
        if unitStart && !picture && Reflow.titleWiderThanColumn(a, width: wa, next: wb, column: column) { return false }
        if !ends[i] {
            if wa >= column - Reflow.fullSlack { return true }
            if unitStart && !opens[i] && Reflow.proseFirstLine(a, width: wa, next: wb) { return true }
            if wa >= column - Reflow.indentSlack {
                // Short by about an indent: a paragraph's first line, or a title standing over
                // the text; a title has no punctuation and no word across the break.
                guard unitStart, !opens[i], !a.contains(where: { CharacterClass.isPunctuation($0) && !Self.allowedInTitle.contains($0.mark) })
                else { return true }
                // A name under the title is its author unless the two read as one word.
                let floor = names(i + 1) ? Reflow.titleJoinFloor : Reflow.titleVetoFloor
                return model.joinScore(tail: a[...], head: b[...]) >= floor
            }
            return wrappedTitle(i)
        }
        guard full, !Reflow.widerAfterSentence(nextWidth: wb, column: column) else { return false }
        // A paragraph's last line, then a photo's caption a few lines long up to its credit: the
        // caption starts on the next line, not after the last sentence end inside the paragraph.
        if i > unit, creditedCaptionFrom(i + 1) { return false }
        // A sentence end, then a short line with nothing to end it: a title read right after
        // the text (the next story's headline), never a paragraph's last line.
        if wb < column - Reflow.indentSlack && Reflow.unfinishedShortLine(b) { return false }
        if i + 2 < range.upperBound && Reflow.titleOverWiderLine(b, width: wb, next: widths[i + 2]) { return false }
        // A sentence closed by a bracket (a signature, a source, `（全文另发）`) ends the paragraph.
        if a.last?.mark == "）" || a.last == ")" { return false }
        if signature(i + 1, column: column) { return false }
        if lines[i + 1].indented == false { return true }
        // A full line ending a sentence, then one shortened by an indent: a new paragraph.
        let indentedNext = wb >= column - Reflow.indentSlack && wb <= column - 1.3
        if indentedNext && i + 2 < range.upperBound { return false }
        return true
    }

    /// Most lines of a caption read as starting right after a paragraph's last line.
    static let captionLinesMax = 3

    /// Lines from `k` reach a photo credit (`…。（新华社记者某某摄）`) within `captionLinesMax`
    /// lines, with no sentence ending at a line end before it.
    private func creditedCaptionFrom(_ k: Int) -> Bool {
        var m = k
        while m < range.upperBound, m - k < Self.captionLinesMax {
            let s = lines[m].scalars
            if PeopleLines.captionCreditStart(s) != nil, let last = s.last, last.mark == "）" || last == ")" {
                return m > k || s.count > 12
            }
            if ends[m] || Reflow.standsAlone(s) { return false }
            m += 1
        }
        return false
    }

    /// Longest line read as a label or an author line (`广西`, `馬里蘭州`, `粒砂`).
    static let shortLineMax = 4

    /// Two to four Han glyphs and nothing else, inside the run.
    private func shortLine(_ k: Int) -> Bool {
        guard k >= range.lowerBound, k < range.upperBound else { return false }
        let s = lines[k].scalars
        return s.count >= 2 && s.count <= Self.shortLineMax && s.allSatisfy(CharacterClass.isHan)
    }

    private func names(_ k: Int) -> Bool {
        PeopleLines.bareNames(SourceBlock(line: lines[k].line, gapBefore: 0, scalars: lines[k].scalars)) != nil
    }

    /// A line opening with a reporter's role (`记者某某、本报记者某某报`) is no byline when the line
    /// above runs on into it: a dateline or prose cut mid-sentence (the reporter list of a
    /// dateline set over several lines).
    private func reporterListRunsOn(_ i: Int) -> Bool {
        !ends[i] && (opens[i] || lines[i].scalars.contains { $0.mark == "，" || $0.mark == "、" })
    }

    /// A short line of bare names after a sentence end: the author signing off, not more text
    /// (a paragraph's last line ends with its punctuation, and its inner lines are full).
    private func signature(_ k: Int, column: Double) -> Bool {
        guard widths[k] < column - Reflow.indentSlack, !ends[k] else { return false }
        return PeopleLines.bareNames(SourceBlock(line: lines[k].line, gapBefore: 0, scalars: lines[k].scalars)) != nil
    }

    /// Most lines a headline is set in; over a narrow column (lines of at most `narrowTitleWidth`
    /// glyphs: a headline of 20–30 glyphs in a column of 7) more.
    static let headlineLines = 3
    static let narrowHeadlineLines = 5
    static let narrowTitleWidth = 8.0

    private func headlineLineLimit(_ unit: Int) -> Int {
        widths[unit] <= Self.narrowTitleWidth ? Self.narrowHeadlineLines : Self.headlineLines
    }
    /// Shortest line read as the text under a headline's author line.
    static let proseUnderAuthor = 10

    /// A headline set in two or three lines (more over a narrow column) right above its text: every line of the unit so far
    /// and the next one are bare titles (no punctuation but quotes, 、 and ·), none wider than
    /// the one above, and the text starts right after them (a dateline or a line of prose).
    private func headlineBlock(_ i: Int, unit: Int) -> Bool {
        let most = headlineLineLimit(unit)
        guard i - unit + 2 <= most, lines[unit].scalars.count >= 4 else { return false }
        for k in unit...(i + 1) {
            guard Self.bareTitle(lines[k].scalars), widths[k] <= Reflow.titleMaxWidth,
                  k == unit || widths[k] <= widths[k - 1] + 0.5 else { return false }
        }
        let b = lines[i + 1].scalars
        if PeopleLines.bareNames(SourceBlock(line: lines[i + 1].line, gapBefore: 0, scalars: b)) != nil { return false }
        // The text under the headline: within the next line or two (the rest of the headline).
        // A dateline has no punctuation either, and an author line may stand over the text.
        var k = i + 2
        while k < range.upperBound, k - unit < most, !opens[k], !names(k), Self.bareTitle(lines[k].scalars) { k += 1 }
        if k + 1 < range.upperBound, !opens[k], names(k) {
            return opens[k + 1] || lines[k + 1].scalars.count >= Self.proseUnderAuthor
        }
        guard k < range.upperBound, opens[k] || !Self.bareTitle(lines[k].scalars) else { return false }
        let text = lines[k].scalars
        return opens[k] || (text.count >= 10 && text.contains { $0.mark == "，" || $0.mark == "。" || $0 == "," })
    }

    /// Short and without punctuation other than quotes, 、 and ·.
    private static func bareTitle(_ s: [Unicode.Scalar]) -> Bool {
        s.count >= 2 && s.count <= 30 && !s.contains { CharacterClass.isPunctuation($0) && !allowedInTitle.contains($0.mark) }
    }
    static let allowedInTitle: Set<Unicode.Scalar> = ["“", "”", "『", "』", "《", "》", "、", "·", "．", "％"]

    /// A title, then a short line of names ending the run: the author line under the title.
    private func authorUnderTitle(_ i: Int) -> Bool {
        let b = lines[i + 1].scalars
        guard i + 2 == range.upperBound, b.count <= 7, Reflow.titleShaped(lines[i].scalars, width: widths[i]),
              lines[i].scalars.last.map(CharacterClass.isHan) == true else { return false }
        return PeopleLines.bareNames(SourceBlock(line: lines[i + 1].line, gapBefore: 0, scalars: b)) != nil
    }

    /// Line `i + 1` is the title of the photo whose caption follows it, and line `i` the
    /// headline of another story (`CaptionTitle`).
    private func pictureTitleUnder(_ i: Int) -> Bool {
        guard i + 2 < range.upperBound, Self.bareTitle(lines[i].scalars), Self.bareTitle(lines[i + 1].scalars),
              let caption = CaptionTitle.caption(lines[(i + 2)..<min(range.upperBound, i + 2 + CaptionTitle.captionLines)].map(\.scalars)[...])
        else { return false }
        return CaptionTitle.titles(lines[i + 1].scalars, caption: caption, apartFrom: lines[i].scalars)
    }

    /// A title wrapped over two lines: both title-shaped, the second no longer than the first,
    /// and a word across the break.
    private func wrappedTitle(_ i: Int) -> Bool {
        let a = lines[i].scalars, b = lines[i + 1].scalars
        guard Reflow.titleShaped(a, width: widths[i]), Reflow.titleShaped(b, width: widths[i + 1]),
              widths[i + 1] <= widths[i], !ends[i + 1] else { return false }
        // A name under a title is its author line.
        if PeopleLines.bareNames(SourceBlock(line: lines[i + 1].line, gapBefore: 0, scalars: b)) != nil { return false }
        return model.joinScore(tail: a[...], head: b[...]) >= Reflow.titleJoinFloor
    }
}

/// Two pieces of one paragraph put back together. A line end between two half-width Latin
/// letters or digits was a word space (`China` / `have`, `Windows` / `98`), and so is one between
/// Latin words with ASCII punctuation at the break (`enough,` / `the`, `(in Asia)` / `are`,
/// `Markets` / `(in Asia)`); Han text, full-width figures, a word broken at its hyphen (`APEC-` /
/// `2024`) and a figure broken inside Chinese prose (`于199` / `7年`, `3.` / `5`) join with nothing between.
func appendLine(_ tail: [Unicode.Scalar], to head: inout [Unicode.Scalar]) {
    if let last = head.last, let first = tail.first, isHalfWidthWordScalar(last), isHalfWidthWordScalar(first),
       !(CharacterClass.isDigit(last) && CharacterClass.isDigit(first) && figureInProse(head)) {
        head.append(" ")
    } else if latinPunctuationAtBreak(head, tail) {
        head.append(" ")
    }
    head += tail
}

/// ASCII marks that end a clause or close a bracket or quote after a Latin word (`enough,`), and
/// those that open one before it (`(in`, `"We`).
private let latinClosers: Set<Unicode.Scalar> = [",", ";", ":", ".", "!", "?", ")", "]", "\""]
private let latinOpeners: Set<Unicode.Scalar> = ["(", "[", "\""]

/// A Latin word, then ASCII closing marks, at the end of `head`, and a letter (after ASCII opening
/// marks) at the start of `tail`; or a word at the end and an opening mark before a word at the start.
private func latinPunctuationAtBreak(_ head: [Unicode.Scalar], _ tail: [Unicode.Scalar]) -> Bool {
    var h = head.count - 1
    while h >= 0, latinClosers.contains(head[h]) { h -= 1 }
    var t = 0
    while t < tail.count, latinOpeners.contains(tail[t]) { t += 1 }
    guard h >= 0, t < tail.count, h < head.count - 1 || t > 0 else { return false }
    guard isHalfWidthWordScalar(head[h]), isHalfWidthWordScalar(tail[t]) else { return false }
    // After a figure's point or comma only a letter goes on (`3.` / `5` is one figure).
    return !CharacterClass.isDigit(tail[t]) || (h == head.count - 1 && !CharacterClass.isDigit(head[h]))
}

/// The digits ending `head` follow a Han character or a full-width mark (or open it): a figure
/// written in the prose, not a word of Latin text.
private func figureInProse(_ head: [Unicode.Scalar]) -> Bool {
    var k = head.count - 1
    while k >= 0, CharacterClass.isDigit(head[k]) || head[k] == "." || head[k] == "," { k -= 1 }
    return k < 0 || (head[k].value > 0x7F && !CharacterClass.isSpace(head[k]))
}

@inline(__always)
private func isHalfWidthWordScalar(_ s: Unicode.Scalar) -> Bool {
    (0x30...0x39).contains(s.value) || (0x41...0x5A).contains(s.value) || (0x61...0x7A).contains(s.value)
}
