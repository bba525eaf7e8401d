import FolioModel
import FolioText

/// Walks the page's lines in order and groups them into sections and draft articles.
/// Decisions that need context (headline or subheading, top or trailing byline, a fragment
/// standing above its dateline) are made here; joining paragraphs comes after.
struct ArticleBuilder {
    struct SectionDraft {
        var rubric: String
        var latin: String
        var line: UInt32
    }

    let pageDate: String?
    private(set) var sections: [SectionDraft] = []
    private(set) var articles: [DraftArticle] = []
    private(set) var pageCaptions: [Folio_V1_Caption] = []
    private(set) var credits: [Folio_V1_Credit] = []
    private(set) var diagnostics: [Folio_V1_Diagnostic] = []
    private var current: DraftArticle?
    private var sectionIndex: Int?
    /// The page is extractor output (re-flowed visual lines).
    let extracted: Bool
    /// Set for extractor output: a rubric heads its module's story only (see `RubricModules`).
    private var modules: RubricModules?

    init(pageDate: String?, extracted: Bool = false) {
        self.pageDate = pageDate
        self.extracted = extracted
        modules = extracted ? RubricModules() : nil
    }

    mutating func build(_ blocks: [SourceBlock]) {
        // Roles and the flow kinds of text lines in one pass: each line's scalars are read while
        // they are in cache (on a page of very short lines the passes cost a cache miss a line).
        var roles: [LineRole] = []
        var textFlows: [Flow] = []
        roles.reserveCapacity(blocks.count)
        textFlows.reserveCapacity(blocks.count)
        datelines = [:]
        for (i, block) in blocks.enumerated() {
            let role = LineRoles.classify(block, extracted: extracted)
            if case .text = role {
                // A dateline is parsed once, here, with the page date (which only fills in its
                // normalized date), and kept for `handleText`.
                if let match = DatelineParser.parse(block.scalars, line: block.line, pageDate: pageDate) {
                    datelines[i] = match
                    textFlows.append(.dateline)
                } else {
                    textFlows.append(LineRoles.isTitleLike(block.scalars) ? .title : .text)
                }
            } else {
                textFlows.append(.skip)
            }
            roles.append(role)
        }
        LineRoles.markPlaceLabels(&roles, blocks)
        if extracted {
            LineRoles.joinSplitCaptions(&roles, blocks)
            LineRoles.markProvinceLabels(&roles, blocks, pageDate: pageDate)
        }
        flow = Self.flowKinds(roles, textFlows)
        self.blocks = blocks
        blankLinesSeparateBlocks = blocks.dropFirst().contains { $0.gapBefore > 0 }
        for (i, block) in blocks.enumerated() {
            opensExtractorBlock = block.gapBefore > 0
            switch roles[i] {
            case let .rubric(name, latin):
                // A bar read inside a paragraph (it stands beside the column) does not end the story.
                // Nor does one read between a bare headline and what opens its story.
                if !(extracted && (paragraphGoesOnPast(i) || headlineGoesOnPast(i))) { current = nil }
                sections.append(SectionDraft(rubric: name, latin: latin, line: block.line))
                sectionIndex = sections.count - 1
                modules?.rubricRead(sections.count - 1, last: articles.last)
            case let .kicker(text):
                if let a = current, !a.closed, !a.headline.isEmpty, !a.hasText, a.subtitle.isEmpty, a.dateline == nil,
                   a.bylines.isEmpty, let next = nextFlow(after: i),
                   next.kind == .opener || PeopleLines.gluedNames(blocks[next.index]) != nil {
                    // Under a headline and over its authors (飞越某地 / 一句引语——— / 某某某某): a
                    // lead-in of this story, not the kicker of another; nothing follows for it to head.
                    a.subtitle = text
                    a.touch(block.line)
                    continue
                }
                // Above a headline: it opens the next article.
                let a = startArticle(at: block.line)
                a.kicker = text
                a.touch(block.line)
            case .placeLabel:
                // A label after a picture item's caption is another photo's: whatever comes
                // next (an uncredited caption, a story) is not this item's text.
                if extracted, let a = current, !a.hasText, !a.captions.isEmpty { a.closed = true }
                continue
            case .captionHead:
                continue
            case let .pictureTitle(text):
                // A picture item of its own: nothing after it belongs to it.
                startArticle(at: block.line, headline: text).closed = true
            case .jump:
                // The story goes on elsewhere: what follows here is another one.
                current?.closed = true
                current?.diagnostics.append(diagnostic(.info, "jump-line", line: block.line,
                                                       "the story continues on another page: \(block.text)"))
            case .leadMarker:
                settleBand()
                let a = current ?? startArticle(at: block.line)
                a.inLead = true
                a.touch(block.line)
            case let .subtitle(text):
                settleBand()
                if let a = current, !a.hasText, a.subtitle.isEmpty {
                    a.subtitle = text
                    a.touch(block.line)
                } else if !extracted, let a = current, !a.hasText, !a.headline.isEmpty, a.kicker.isEmpty, a.bylines.isEmpty,
                          a.dateline == nil, a.captions.isEmpty, i > 0, blocks[i - 1].text == a.subtitle {
                    // Two titles, then the dashed subtitle (关注春运 / 某地产业群星闪耀 / ——记…): the
                    // first was a kicker without its dashes, the second the headline.
                    a.kicker = a.headline
                    a.headline = a.subtitle
                    a.subtitle = text
                    a.touch(block.line)
                } else {
                    appendParagraph(block.scalars, line: block.line, source: block.sourceUTF8)
                }
            case let .pageCredit(credit):
                credits.append(credit)
            case let .byline(names):
                settleBand()
                // After a closed item (a picture, a story gone to another page): the author of a
                // story read earlier whose text has not come yet (`AwaitingText`), over that text.
                let awaited = extracted && (current?.closed ?? true) ? storyAwaitingText() : nil
                if let awaited { current = awaited }
                let a = current ?? startArticle(at: block.line)
                a.touch(block.line)
                if authorLineSplitsDeck(a, at: i) {
                    // 岁月如歌: a paragraph of deck, 本报记者某某, then the story: the line stays
                    // in the text where it stands, and the story goes on. Read once: as a byline
                    // too, its text was given twice.
                    a.appendBody(DraftBlock(kind: .subheading, scalars: block.scalars, firstLine: block.line))
                    continue
                }
                a.bylines += names
                if a.hasText && awaited == nil {
                    a.closed = true
                }
            case let .caption(caption):
                if let a = current { a.captions.append(caption) } else { pageCaptions.append(caption) }
            case let .captionAndPageCredit(caption, credit):
                if let a = current { a.captions.append(caption) } else { pageCaptions.append(caption) }
                credits.append(credit)
            case let .photoCredit(text):
                attachPhotoCredit(text, line: block.line)
            case let .names(names):
                if provinceLabel(block, index: i) {
                    current!.touch(block.line)
                    continue
                }
                // Under a headline (before any text) a lone name is the author; elsewhere text.
                settleBand()
                if let a = current, !a.closed, !a.headline.isEmpty, !a.hasText, a.dateline == nil {
                    a.bylines += names
                    a.touch(block.line)
                } else if let a = current, !a.closed, a.hasText,
                          (nextFlow(after: i).map({ $0.kind != .text && $0.kind != .dateline }) ?? true)
                            || ((names.count >= 2 || extracted) && a.body.last.map({ $0.kind == .paragraph && $0.endsSentence }) == true) {
                    // After the text and before the next title (or several names after a finished
                    // sentence, whatever follows; in extractor output one name too, since the next
                    // story's headline may have been read elsewhere): the authors signing off.
                    a.bylines += names
                    a.touch(block.line)
                    a.closed = true
                } else if authorBlockOpensText(i) {
                    // An author line in a block of its own over prose (`AuthorBlock`): the text
                    // under it is the story of a headline read earlier without its text, or of one
                    // still to be paired with it; never a headline itself.
                    let a = orphanHeadline() ?? startArticle(at: block.line)
                    current = a
                    a.bylines += names
                    a.touch(block.line)
                } else {
                    handleText(block, index: i, next: nextContent(after: i, roles: roles, blocks: blocks))
                }
            case .text:
                handleText(block, index: i, next: nextContent(after: i, roles: roles, blocks: blocks),
                           isDateline: flow[i] == .dateline)
            }
        }
        if extracted { PictureCaptions.apply(&articles) }
    }

    private enum Next: Equatable { case none, opener, text }

    /// The current story's last paragraph stops mid-sentence and the line after `i` is more
    /// prose (neither a title nor a dateline): the paragraph goes on past line `i`.
    private func paragraphGoesOnPast(_ i: Int) -> Bool {
        guard let a = current, !a.closed, !a.inLead, let last = a.body.last, last.kind == .paragraph,
              !last.endsSentence, i + 1 < flow.count else { return false }
        return flow[i + 1] == .text
    }

    /// The current story is a bare headline and the line after `i` opens a story (an author, a
    /// subtitle, 核心提示, a dateline): the headline's opener. `pdftotext`'s default order reads
    /// a module's bar (over the module beside or under the headline) between the two; ending the
    /// story at the bar made the author a headline of its own and left the headline without its
    /// text (dev default 0.845 -> 0.847, no page lower). The bar still heads the next new story.
    private func headlineGoesOnPast(_ i: Int) -> Bool {
        guard let a = current, HeadlineBand.isBare(a), let next = nextFlow(after: i) else { return false }
        return next.kind == .opener || next.kind == .dateline
    }

    /// The kind of each line in the text flow, for looking ahead.
    private enum Flow { case skip, opener, rubric, dateline, title, text }
    private var flow: [Flow] = []
    private var blocks: [SourceBlock] = []

    /// `textFlows`: each text line's kind (`textFlow`), read with its role.
    private static func flowKinds(_ roles: [LineRole], _ textFlows: [Flow]) -> [Flow] {
        var out: [Flow] = []
        out.reserveCapacity(roles.count)
        for i in roles.indices {
            switch roles[i] {
            case .caption, .captionAndPageCredit, .pageCredit, .photoCredit, .jump, .placeLabel, .captionHead: out.append(.skip)
            case .subtitle, .byline, .leadMarker, .names: out.append(.opener)
            case .rubric, .kicker, .pictureTitle: out.append(.rubric)
            case .text: out.append(textFlows[i])
            }
        }
        return out
    }

    /// The dateline each text line of the flow opens with, by line index (`Flow.dateline`).
    private var datelines: [Int: DatelineParser.Match] = [:]

    /// The first flow kind after line `i` (captions and credits skipped) and its line: the per-line
    /// look-ahead, without building an array.
    private func nextFlow(after i: Int) -> (kind: Flow, index: Int)? {
        var j = i + 1
        while j < flow.count {
            if flow[j] != .skip { return (flow[j], j) }
            j += 1
        }
        return nil
    }

    /// An author line after a short opening paragraph (a deck: a sentence or two, which an
    /// extractor may cut in two) of a story with a headline, followed by more prose: it divides
    /// the deck from the story's text instead of signing the story off.
    private func authorLineSplitsDeck(_ a: DraftArticle, at i: Int) -> Bool {
        guard !a.closed, !a.headline.isEmpty, a.lead.isEmpty, !a.hasSubheading,
              (1...2).contains(a.paragraphCount), a.body.count == a.paragraphCount,
              a.body.reduce(0, { $0 + $1.scalars.count }) <= Self.deckMax,
              let next = nextFlow(after: i) else { return false }
        return next.kind == .text
    }

    /// Longest deck, in scalars.
    static let deckMax = 100

    /// What follows a title: an article opener (subtitle, byline, 核心提示, a dateline, or a
    /// fragment standing above a dateline), more text, or nothing (rubric, end of page).
    private func nextContent(after i: Int, roles: [LineRole], blocks: [SourceBlock]) -> Next {
        guard let (first, firstIndex) = nextFlow(after: i) else { return .none }
        let second = nextFlow(after: firstIndex)?.kind
        switch first {
        case .opener, .dateline: return .opener
        case .rubric: return .none
        case .text where second == .dateline: return .opener
        case .title where second == .text && penNameFollows(i): return .opener
        default: return .text
        }
    }

    /// Whether the next line in the flow after `i` is a lone pen name.
    private func penNameFollows(_ i: Int) -> Bool {
        var j = i + 1
        while j < flow.count, flow[j] == .skip { j += 1 }
        return j < flow.count && PeopleLines.penName(blocks[j]) != nil
    }

    /// Whether the title at `i` opens a run of subheadings: another title follows within a few
    /// paragraphs, and that one does not open an article (on extractor output, a title after text
    /// signed by its author, `…。（某某）`, does).
    private func startsSubheadingSeries(_ i: Int) -> Bool {
        var paragraphs = 0
        var lastText = -1
        var j = i + 1
        while j < flow.count && paragraphs <= 12 {
            switch flow[j] {
            case .skip: break
            case .text:
                paragraphs += 1
                lastText = j
            case .title:
                guard paragraphs > 0, !(extracted && Self.signsOff(blocks[lastText].scalars)) else { return false }
                var k = j + 1
                while k < flow.count && flow[k] == .skip { k += 1 }
                return k < flow.count && flow[k] == .text
            default: return false
            }
            j += 1
        }
        return false
    }

    /// On extractor output in blocks, a title read inside a run of text (no blank line before or
    /// after it, prose before it, a paragraph opening after it), shorter than that paragraph's first
    /// line and not a sentence (`…呢？` is a paragraph), is set in the column like its paragraphs: a
    /// subheading. An extractor puts a story's headline in a block of its own; a full line there is
    /// a paragraph's, cut off. The paragraph after it may read as title-shaped itself (its first
    /// line has no punctuation: `城东公园管理处的负责人` over `王明介绍说，…`); a unit of several
    /// lines opening short by the indent is prose all the same.
    private func titleInsideText(_ i: Int) -> Bool {
        guard extracted, blankLinesSeparateBlocks, i > 0, i + 1 < flow.count,
              blocks[i].gapBefore == 0, blocks[i + 1].gapBefore == 0, flow[i - 1] == .text,
              flow[i + 1] == .text || (flow[i + 1] == .title && blocks[i + 1].edges.opens),
              !CharacterClass.endsSentence(blocks[i].scalars) else { return false }
        let next = blocks[i + 1].edges
        return next.opens && blocks[i].edges.firstWidth + CutParagraphs.widthSlack < next.firstWidth
    }

    /// A title-shaped line inside an extractor block, after a sentence ends, narrower than the line
    /// under it: a paragraph's first line (`FirstLineInsideBlock`).
    private func titleShapedLineInsideBlock(_ block: SourceBlock, index: Int) -> Bool {
        guard extracted, blankLinesSeparateBlocks, index > 0, index + 1 < blocks.count, flow[index - 1] == .text,
              let a = current, !a.closed, let last = a.body.last ?? a.lead.last, last.kind == .paragraph else { return false }
        return FirstLineInsideBlock.isProse(block, next: blocks[index + 1], afterSentenceEnd: last.endsSentence)
    }

    /// `isDateline`: whether the line opens with a dateline, when its flow kind tells already
    /// (the line is then parsed with the page date only where the dateline opens an article).
    private mutating func handleText(_ block: SourceBlock, index: Int, next: Next, isDateline known: Bool? = nil) {
        let s = block.scalars
        // A province's name alone under a picture's title, with no dateline after it: the label
        // of a photo (`钻井忙` / `江苏` / `辽宁` / its caption), neither an author nor a headline. (Over
        // a dateline it heads a region's part of a round-up.)
        if provinceLabel(block, index: index) {
            current!.touch(block.line)
            return
        }
        // A dateline opens an article; in the middle of one (a second wire story) it stays text.
        let parsed = known == nil ? DatelineParser.parse(s, line: block.line, pageDate: pageDate) : known! ? datelines[index] : nil
        let isDateline = known ?? (parsed != nil)
        var waiting = false
        let banded = isDateline && settleBand()
        if extracted, isDateline, !banded, let orphan = orphanHeadline() ?? SecondDateline.owner(in: articles, current: current),
           orphan !== current {
            current = orphan  // the story under a headline read earlier, away from its text
            waiting = true
        }
        if isDateline, current == nil || current!.closed || waiting
            || (current!.dateline == nil && current!.paragraphCount <= 1),
           let match = parsed ?? DatelineParser.parse(s, line: block.line, pageDate: pageDate) {
            let a = (current == nil || current!.closed) ? startArticle(at: block.line) : current!
            a.dateline = match.dateline
            a.inLead = false
            a.touch(block.line)
            // Text standing above the dateline is out of place: fragments to put back.
            a.floatBodyParagraphs()
            if match.dateline.repaired {
                a.diagnostics.append(diagnostic(.info, "dateline-repaired", line: block.line,
                                                "dateline \(Folded.string(s.prefix(2))) lost its first glyph: restored as \(match.dateline.agency)"))
            }
            let rest = SourceLines.trimmedRange(s[match.length...])
            if !rest.isEmpty { appendParagraph(Array(s[rest]), line: block.line, source: block.sourceUTF8(of: rest)) }
            return
        }
        if extracted, PeopleLines.penName(block) != nil { settleBand() }
        if let a = current, !a.closed, !a.headline.isEmpty, !a.hasText, a.bylines.isEmpty, a.dateline == nil,
           let names = PeopleLines.gluedNames(block) {
            a.bylines += names  // the authors under the headline, run together (徐建中陈波赵川东)
            a.touch(block.line)
            return
        }
        if let a = current, !a.closed, let names = PeopleLines.penName(block) {
            let after = nextFlow(after: index)?.kind
            if !a.headline.isEmpty && !a.hasText && a.bylines.isEmpty && a.dateline == nil {
                a.bylines += names  // the author under the headline
                a.touch(block.line)
                return
            }
            if a.hasText && (after == nil || after == .title || after == .rubric || after == .opener) {
                a.bylines += names  // the author signing off
                a.touch(block.line)
                a.closed = true
                return
            }
        }
        // A decree's signer and date close its text; the decree goes on under them.
        if extracted, let a = current, !a.closed, a.hasText,
           SignatureBlock.belongs(s, next: nextFlow(after: index).map { blocks[$0.index].scalars }) {
            a.appendBody(DraftBlock(kind: .subheading, scalars: s, firstLine: block.line))
            a.touch(block.line)
            return
        }
        // An interview's turn (问：…？) or a table's row inside a story: text, whatever its length.
        // (Counted once for `ListItems.isTableRow` here and the paragraph joiner later.)
        let gaps = ListItems.rowGaps(s)
        if let a = current, !a.closed, !a.headline.isEmpty, ListItems.opensSpeakerTurn(s) || gaps >= ListItems.tableRowGaps {
            appendParagraph(s, line: block.line, edges: block.edges, laterLines: block.laterLines, source: block.sourceUTF8,
                            rowGaps: gaps)
            return
        }
        // A short exclamation or question after the text and before the next title, rubric or the
        // page's end (让我们共同努力！): the story's closing line, not a title with nothing under it.
        if !extracted, let end = s.last, end == "！" || end == "？" || end == "!" || end == "?",
           let a = current, !a.closed, a.hasText, nextFlow(after: index).map({ $0.kind == .title || $0.kind == .rubric }) ?? true {
            appendParagraph(s, line: block.line, edges: block.edges, laterLines: block.laterLines, source: block.sourceUTF8,
                            rowGaps: gaps)
            return
        }
        // Titles seldom have inner commas: such a line is a title only when an article opens after it.
        let hasComma = s.contains { $0.mark == "，" || $0.mark == "、" || $0 == "," }
        // (The flow kind of a text line says already whether it is title-like.)
        if !isDateline, known != nil ? flow[index] == .title : LineRoles.isTitleLike(s), !(extracted && ParagraphAtColumnFoot.opens(block)),
           !continuesParagraph(s), !runsOnIntoNext(s, index: index),
           !hasComma || next == .opener || commaTitleStandsAlone(s, index: index),
           !opensCutParagraph(s, hasComma: hasComma, index: index) {
            placeTitle(block, index: index, next: next)
            return
        }
        appendParagraph(s, line: block.line, edges: block.edges, laterLines: block.laterLines, source: block.sourceUTF8,
                        rowGaps: gaps)
    }

    /// On extractor output, a province's name alone under a picture's title that has nothing else
    /// yet, with no dateline after it: the label of a photo (`钻井忙` / `江苏` / `辽宁` / its
    /// caption), neither its author nor a headline.
    private func provinceLabel(_ block: SourceBlock, index: Int) -> Bool {
        guard extracted, block.scalars.count <= 4, let a = current, !a.closed, !a.headline.isEmpty, !a.hasText,
              a.dateline == nil, a.bylines.isEmpty else { return false }
        let glyphs = block.scalars.filter { !CharacterClass.isSpace($0) }
        return PeopleLines.isProvince(glyphs) && nextFlow(after: index)?.kind != .dateline
    }

    /// On extractor output, the first story of a band of bare headlines read together takes the
    /// text read after the band (`HeadlineBand`); whether `current` moved.
    @discardableResult
    private mutating func settleBand() -> Bool {
        // Only what the extractor read in a block of its own: text in the headline's block is its own.
        guard extracted, opensExtractorBlock, let first = HeadlineBand.first(of: articles, current: current) else { return false }
        current = first
        return true
    }

    /// The line being placed opens a block of the extractor's (a blank line before it).
    private var opensExtractorBlock = false
    /// The extractor marks its blocks with blank lines (`pdftotext` by default; `-raw` does not).
    private var blankLinesSeparateBlocks = false

    /// How far back a headline left without its text is looked for.
    static let orphanLookBack = 4

    /// A recent article that has a headline and nothing else yet. Extractors read headlines
    /// set side by side (or spanning a module) before the text under them, so a dateline that
    /// arrives inside another story, or after it, opens the text of that headline.
    private func orphanHeadline() -> DraftArticle? {
        for a in articles.suffix(Self.orphanLookBack).reversed()
        where !a.headline.isEmpty && !a.hasText && a.dateline == nil && a.captions.isEmpty && !a.closed {
            return a
        }
        return nil
    }

    /// A recent story with a headline and no body, dateline, author or caption yet, still open
    /// (a 核心提示 box may stand under it): `AwaitingText`.
    private func storyAwaitingText() -> DraftArticle? {
        AwaitingText.story(in: articles.suffix(Self.orphanLookBack))
    }

    /// A line cut mid-word at a column break: its last character and the next text line's first
    /// one are a word by the bigram model learnt from PFR (a title ends on a word boundary).
    private func runsOnIntoNext(_ s: [Unicode.Scalar], index: Int) -> Bool {
        var j = index + 1
        while j < flow.count, flow[j] == .skip { j += 1 }
        guard j < flow.count, flow[j] == .text else { return false }
        // An English sentence wrapped after the line (`Markets (in Asia)` / `are stabilizing.`).
        if Reflow.continuesLatinSentence(s, blocks[j].scalars) { return true }
        guard let last = s.last, CharacterClass.isHan(last),
              let first = blocks[j].scalars.first, CharacterClass.isHan(first) else { return false }
        let model = BigramModel.shared
        return model.count(last, first) >= Self.runOnMinCount
            && model.joinScore(tail: s[...], head: blocks[j].scalars[...]) >= Self.runOnFloor
    }

    /// Log-odds (`TitleFragments`) over which a title-like line is a cut paragraph's start: with a
    /// comma (titles seldom have one) / without. Dev split (days 1–12 → 13–15): with a comma 3 catches
    /// 8 cuts in 10 and lost 0 of 43 titles; without, 12 catches 2 in 10 and lost 0 of 548 titles
    /// but dates (1990年7月, left out: a chronology's subheadings).
    static let cutWithComma: Float = 3
    static let cutWithoutComma: Float = 12

    /// A short title-like line that reads as the first words of a paragraph a column break cut off,
    /// inside an open story and with prose right after it: that paragraph's start, not a title.
    private func opensCutParagraph(_ s: [Unicode.Scalar], hasComma: Bool, index: Int) -> Bool {
        guard let a = current, !a.closed, (4...24).contains(s.count), let first = s.first,
              !CharacterClass.isDigit(first), nextFlow(after: index)?.kind == .text else { return false }
        return TitleFragments.shared.fragmentLogOdds(s) > (hasComma ? Self.cutWithComma : Self.cutWithoutComma)
    }

    /// A 核心提示 box holds a paragraph or two; a title after a longer run is not evidence of subheadings.
    static let leadBoxMax = 3
    static let runOnFloor = 5.0
    static let runOnMinCount: UInt32 = 5  // rare characters give a high PMI from a single sighting

    /// A short line with a comma (`塞纳河，女人河`) after a finished text — the article closed by its
    /// author line, or the last paragraph ending a sentence — and before a paragraph is a title.
    private func commaTitleStandsAlone(_ s: [Unicode.Scalar], index: Int) -> Bool {
        guard s.count <= 14 else { return false }
        // Right over a caption (a line the flow skips): a picture item's title.
        if extracted && index + 1 < flow.count && flow[index + 1] == .skip { return true }
        var j = index + 1
        while j < flow.count, flow[j] == .skip { j += 1 }
        guard j < flow.count, flow[j] == .text, blocks[j].scalars.count >= 16 else { return false }
        guard let a = current, !a.closed else { return true }
        guard let last = a.body.last ?? a.lead.last else { return !a.headline.isEmpty || !a.bylines.isEmpty }
        return last.kind == .paragraph && last.endsSentence
    }

    /// The article's text ends with its author's signature, as PFR stories do: a sentence end
    /// followed by a short bracket of names, e.g. `…服务诚！”（陈万钧　杨光）`. A title after it opens a new article.
    static func signedOff(_ a: DraftArticle) -> Bool {
        guard let last = a.body.last, last.kind == .paragraph else { return false }
        return signsOff(last.scalars)
    }

    /// A paragraph ending with a sentence and then a short bracket of names, or of a wire's
    /// dateline (`（新华社北京１２月３１日电）`, the end of an agency story).
    static func signsOff(_ s: [Unicode.Scalar]) -> Bool {
        guard let close = s.last, close.mark == "）" || close == ")",
              let open = s.lastIndex(where: { $0.mark == "（" || $0 == "(" }) else { return false }
        let inner = s[(open + 1)..<(s.count - 1)]
        let wire = inner.last.map(Folded.fold.fold) == DatelineParser.wire  // 电 or 電
        guard inner.count >= 2, inner.count <= 16,
              inner.allSatisfy({ CharacterClass.isHan($0) || CharacterClass.isSpace($0) || $0.mark == "、" || CharacterClass.isNameDot($0)
                                 || (wire && CharacterClass.isDigit($0)) }) else { return false }
        return open == 0 || CharacterClass.isSentenceEnd(s[open - 1]) || CharacterClass.isClosing(s[open - 1])
    }

    /// A short line that is really the rest of a paragraph: the first line of a 核心提示 box,
    /// or a line with inner commas right after a paragraph cut mid-sentence.
    private func continuesParagraph(_ s: [Unicode.Scalar]) -> Bool {
        guard let a = current, !a.closed else { return false }
        if a.inLead && a.lead.isEmpty { return true }
        let last = a.inLead ? a.lead.last : a.body.last
        guard let last, last.kind == .paragraph, !last.endsSentence else { return false }
        return s.contains { $0.mark == "，" || $0.mark == "、" || $0.mark == "；" }
    }

    private mutating func placeTitle(_ block: SourceBlock, index: Int, next: Next) {
        let text = block.text
        defer {
            // The headline's last visual line, for its wrapped rest under it.
            if let a = current, a.headlineLine == block.line, a.headlineWidth == 0 { a.headlineWidth = block.edges.lastWidth }
        }
        guard let a = current, !a.closed else {
            startArticle(at: block.line, headline: text)
            return
        }
        if a.headline.isEmpty && !a.hasText && a.dateline == nil && a.bylines.isEmpty {
            a.headline = text
            a.headlineLine = block.line
            a.diagnostics.removeAll { $0.code == "headline-missing" }
            a.touch(block.line)
        } else if !a.headline.isEmpty && !a.hasText && a.subtitle.isEmpty && a.dateline == nil
                    && a.bylines.isEmpty && a.captions.isEmpty && !a.inLead && next != .none {
            if extracted && index + 1 < blocks.count && PictureCaptions.number(block.scalars) == nil,
               let caption = CaptionTitle.caption([blocks[index + 1].scalars][...]),
               CaptionTitle.titles(block.scalars, caption: caption, apartFrom: Array(a.headline.unicodeScalars)) {
                // The title of the photo whose caption follows, under a headline read apart from
                // its story: an item of its own.
                startArticle(at: block.line, headline: text)
            } else if extracted && block.gapBefore > 0 && block.scalars.first?.mark != "—" {
                // Extractors keep a subtitle's dash (`——…`, a line role of its own): a bare title
                // in a block of its own is the headline of a story set beside this one, its text
                // read later. (Right under the headline it may be the headline's wrapped rest.)
                startArticle(at: block.line, headline: text)
            } else if extracted && block.scalars.first?.mark != "—" && a.headlineWidth > 0
                        && block.edges.firstWidth <= a.headlineWidth + CutParagraphs.widthSlack {
                // Right under the headline in its run, a bare title no wider than the headline's
                // last line is its wrapped rest (re-flow joins a title's lines only when the
                // bigram model reads a word across the break): the PDF bed's gold subtitles all
                // keep their dash. A wider line is a deck or a paragraph's first line.
                a.headline += text
                a.headlineWidth = block.edges.lastWidth
                a.touch(block.line)
            } else {
                a.subtitle = text  // a second title line under the headline (副题)
                a.touch(block.line)
            }
        } else if next == .opener || Self.signedOff(a) || (extracted && !a.hasText && !a.captions.isEmpty)
                    || (extracted && SignOffNote.closes(a)) {
            // (A picture item, its title and caption and no text, is done at the next title.)
            startArticle(at: block.line, headline: text)
        } else if titleInsideCutParagraph(block, of: a) {
            // A title opening an extractor block while this story's paragraph is cut mid-sentence:
            // the extractor read another story's headline at the column break (`TitleAtColumnBreak`).
            startArticle(at: block.line, headline: text)
        } else if rubricWaits(since: a) {
            // A bar read since this story began heads a module whose first story has not come yet:
            // a title now is that story's headline, not this story's subheading.
            startArticle(at: block.line, headline: text)
        } else if (a.inLead && !a.lead.isEmpty && a.body.isEmpty && a.lead.count <= Self.leadBoxMax) || a.hasSubheading
                    || (a.dateline == nil && startsSubheadingSeries(index)) || titleInsideText(index) {
            a.inLead = false
            a.appendBody(DraftBlock(kind: .subheading, scalars: block.scalars, firstLine: block.line))
            a.touch(block.line)
        } else if titleShapedLineInsideBlock(block, index: index) {
            // Inside an extractor block, after a sentence: a paragraph's first line (`FirstLineInsideBlock`).
            appendParagraph(block.scalars, line: block.line, edges: block.edges, laterLines: block.laterLines,
                            source: block.sourceUTF8)
        } else {
            startArticle(at: block.line, headline: text)
        }
    }

    /// On extractor output in blocks, a line of names standing in a block of its own with prose
    /// after it (`AuthorBlock`).
    private func authorBlockOpensText(_ i: Int) -> Bool {
        guard extracted, blankLinesSeparateBlocks, let next = nextFlow(after: i) else { return false }
        return AuthorBlock.opensText(blocks[i], next: blocks[next.index], nextIsProse: next.kind == .text || next.kind == .dateline)
    }

    /// On extractor output in blocks, a title opening a block right after `a`'s paragraph broke off
    /// mid-sentence (`TitleAtColumnBreak`).
    private func titleInsideCutParagraph(_ block: SourceBlock, of a: DraftArticle) -> Bool {
        guard extracted, blankLinesSeparateBlocks, !a.inLead, let last = a.body.last else { return false }
        return TitleAtColumnBreak.opensStory(block, after: last)
    }

    /// On extractor output, whether a rubric bar read after `a` began still waits for its story.
    private func rubricWaits(since a: DraftArticle) -> Bool {
        guard let front = modules?.waiting, front != a.sectionIndex else { return false }
        return sections[front].line > a.firstLine
    }

    /// `source`: where `s` stands in the page text, when known (`SourceBlock.sourceUTF8`);
    /// `rowGaps`: `ListItems.rowGaps(s)`, when counted already.
    private mutating func appendParagraph(_ s: [Unicode.Scalar], line: UInt32, edges: ColumnEdges = ColumnEdges(),
                                          laterLines: [UInt32] = [], source: Range<Int>? = nil, rowGaps: Int? = nil) {
        settleBand()
        let a = (current == nil || current!.closed) ? startArticle(at: line) : current!
        var block = DraftBlock(kind: .paragraph, scalars: s, firstLine: line, sourceUTF8: source)
        block.edges = edges
        block.laterLines = laterLines
        block.rowGaps = rowGaps
        if a.inLead { a.lead.append(block) } else { a.appendBody(block) }
        a.touch(line)
    }

    private mutating func attachPhotoCredit(_ text: String, line: UInt32) {
        if let a = current, let last = a.captions.indices.last, a.captions[last].credit.isEmpty {
            a.captions[last].credit = text
            a.captions[last].lines.append(line)
            return
        }
        var credit = Folio_V1_Credit()
        credit.text = text
        credit.line = line
        let inner = Array(text.unicodeScalars.dropFirst().dropLast())
        var hi = inner.count
        if let shot = inner.lastIndex(of: "摄") ?? inner.lastIndex(of: "攝") { hi = shot }
        credit.photographers = PeopleLines.reporterNames(inner[0..<hi])
        credits.append(credit)
    }

    @discardableResult
    private mutating func startArticle(at line: UInt32, headline: String = "") -> DraftArticle {
        if modules != nil {
            let rubric = modules!.sectionForNewArticle(after: articles.last)
            if let rubric {
                sectionIndex = rubric
            } else if let i = sectionIndex, !sections[i].rubric.isEmpty {
                sectionIndex = nil  // past the rubric's module: an unnamed section from here
            }
        }
        let a = Self.newDraft(at: line, headline: headline, sections: &sections, sectionIndex: &sectionIndex)
        articles.append(a)
        current = a
        return a
    }

    /// A draft article in the current section (a page without a rubric gets one unnamed section);
    /// a missing headline is a diagnostic. Shared with `LaidOutBuilder`.
    static func newDraft(at line: UInt32, headline: String, sections: inout [SectionDraft],
                         sectionIndex: inout Int?) -> DraftArticle {
        if sectionIndex == nil {
            sections.append(SectionDraft(rubric: "", latin: "", line: 0))
            sectionIndex = sections.count - 1
        }
        let index = sectionIndex!
        let a = DraftArticle(sectionIndex: index, section: sections[index].rubric, line: line)
        a.headline = headline
        a.headlineLine = headline.isEmpty ? 0 : line
        if headline.isEmpty {
            a.diagnostics.append(diagnostic(.warning, "headline-missing", line: line,
                                            "article starts without a headline"))
        }
        return a
    }
}
