import FolioModel
import FolioText

/// Builds sections and draft articles from a laid-out page (`LaidOutText`): the roles are given,
/// so this only files each block — bylines, datelines, captions and credits are still read from
/// their text by the same rules as for plain pages.
struct LaidOutBuilder {
    let pageDate: String?
    private(set) var sections: [ArticleBuilder.SectionDraft] = []
    private(set) var articles: [DraftArticle] = []
    private(set) var pageCaptions: [Folio_V1_Caption] = []
    private(set) var credits: [Folio_V1_Credit] = []
    private(set) var diagnostics: [Folio_V1_Diagnostic] = []
    private var current: DraftArticle?
    private var sectionIndex: Int?
    private var pendingKicker = ""
    private var pendingCaptions: [Folio_V1_Caption] = []

    init(pageDate: String?) { self.pageDate = pageDate }

    mutating func build(_ blocks: [(block: LaidOutText.Block, line: UInt32, known: Bool)]) {
        for (block, line, known) in blocks {
            if !known {
                diagnostics.append(diagnostic(.warning, "laid-out-role-unknown", line: line,
                                              "unknown role on a laid-out page line: read as a paragraph"))
            }
            let scalars = SourceLines.trim(Array(block.text.unicodeScalars))
            let source = SourceBlock(line: line, gapBefore: 0, scalars: scalars)
            // A reporter's line (`本报记者　王晓明`) set in the body's or a subheading's type between a
            // headline and its text is still the story's byline, as on plain text. (Inside the text
            // it may part a deck from the story: a subheading, as the layout says.)
            if [.paragraph, .lead, .subheading].contains(block.role), current.map({ !$0.hasText }) ?? true,
               PageFurniture.isBylineStart(scalars),
               let names = PeopleLines.byline(source), !names.isEmpty {
                let a = current ?? startArticle(at: line)
                a.bylines += names
                a.touch(line)
                continue
            }
            // Bare names (`李　明`, `张建国　王小红`, `赵　军　孙　红`) set between a headline and its
            // text, in the body's or a subheading's type: the story's authors, as on plain text.
            if block.role == .subheading || block.role == .paragraph, let a = current, !a.hasText, !a.headline.isEmpty,
               let names = Self.bareNames(source) ?? Self.spacedPenName(source)
                ?? (block.role == .subheading ? Self.penName(source) : nil) {
                a.bylines += names
                a.touch(line)
                continue
            }
            switch block.role {
            case .rubric:
                guard case let .rubric(name, latin) = LineRoles.rubric(scalars) else { continue }
                current = nil
                sections.append(ArticleBuilder.SectionDraft(rubric: name, latin: latin, line: line))
                sectionIndex = sections.count - 1
            case .endRubric:
                current = nil
                sectionIndex = nil
            case .kicker:
                pendingKicker = Self.strip(scalars, dashesAtEnd: true)
            case .headline:
                // Display type opening with a dash is the deck of the headline above it (its
                // author's line may stand between); no headline opens with one.
                if Self.isDash(scalars.first), let a = current, !a.hasText, !a.headline.isEmpty, a.subtitle.isEmpty {
                    a.subtitle = Self.strip(scalars, dashesAtEnd: false)
                    a.touch(line)
                    continue
                }
                // A headline ending in a dash with another under it before any text was its kicker.
                if let a = current, !a.hasText, a.kicker.isEmpty, a.subtitle.isEmpty,
                   a.headline.unicodeScalars.last.map({ Self.isDash($0) }) == true {
                    a.kicker = Self.strip(Array(a.headline.unicodeScalars), dashesAtEnd: true)
                    a.headline = Folded.string(scalars)
                    a.headlineLine = line
                    a.touch(line)
                    continue
                }
                startArticle(at: line, headline: Folded.string(scalars)).kicker = pendingKicker
                pendingKicker = ""
            case .subtitle:
                let a = current ?? startArticle(at: line)
                if a.subtitle.isEmpty { a.subtitle = Self.strip(scalars, dashesAtEnd: false) }
                a.touch(line)
            case .byline:
                // A line the layout set like a byline (flush right) that is prose, or has no name
                // in it, is text: a column's lines ending at its edge beside a picture.
                let names = Self.readsAsProse(scalars) ? [] : Self.bylines(source)
                guard !names.isEmpty else {
                    appendParagraph(scalars, line: line, lead: false)
                    continue
                }
                let a = current ?? startArticle(at: line)
                a.bylines += names
                a.touch(line)
            case .leadMarker:
                let a = current ?? startArticle(at: line)
                a.inLead = true
                a.touch(line)
            case .lead, .paragraph:
                appendParagraph(scalars, line: line, lead: block.role == .lead)
            case .subheading:
                let a = current ?? startArticle(at: line)
                a.inLead = false
                a.appendBody(DraftBlock(kind: .subheading, scalars: scalars, firstLine: line))
                a.touch(line)
            case .caption, .captionNext:
                fileCaption(scalars, line: line, ahead: block.role == .captionNext)
            case .jump:
                // As on text: the story goes on elsewhere, and the line is kept in its note.
                current?.diagnostics.append(diagnostic(.info, "jump-line", line: line,
                                                       "the story continues on another page: \(Folded.string(scalars))"))
            case .note:
                // What the layout reader did to read the page (turned it upright…): a warning on the page.
                let parts = block.text.split(separator: " ", maxSplits: 1)
                guard let code = parts.first else { continue }
                diagnostics.append(diagnostic(.warning, String(code), line: line, parts.count > 1 ? String(parts[1]) : String(code)))
            case .masthead:
                continue  // the page header is PageInfo
            case .label:
                // Text inside a picture (a place label of a photo series, a chart's words) is no
                // story's text, but the page keeps it: a note says what the picture reads.
                diagnostics.append(diagnostic(.info, "picture-label", line: line, "text inside a picture: \(Folded.string(scalars))"))
            }
        }
        pageCaptions += pendingCaptions
    }

    /// A clause mark outside brackets: prose, not an author line (`（新华社记者张三、李四）` keeps its 、).
    static func readsAsProse(_ s: [Unicode.Scalar]) -> Bool {
        var depth = 0
        for c in s {
            switch c.mark {
            case "（", "(": depth += 1
            case "）", ")": depth = max(0, depth - 1)
            case "，", "。", "；", "！", "？", ",", ";": if depth == 0 { return true }
            default: break
            }
        }
        return false
    }

    /// A kicker without its trailing dashes, a subtitle without its leading ones.
    static func isDash(_ c: Unicode.Scalar?) -> Bool { c?.mark == "—" || c == "─" }

    private static func strip(_ s: [Unicode.Scalar], dashesAtEnd: Bool) -> String {
        let dash: (Unicode.Scalar) -> Bool = { isDash($0) || $0 == "-" || CharacterClass.isSpace($0) }
        return Folded.string(dashesAtEnd ? Array(s.reversed().drop(while: dash).reversed()) : Array(s.drop(while: dash)))
    }

    /// A line the layout marks as a byline: `本报记者　何　伟`, `（本报记者　何伟）`, `甲　乙　丙　丁`.
    static func bylines(_ block: SourceBlock) -> [Folio_V1_Byline] {
        var s = block.scalars
        if let first = s.first, let last = s.last, first.mark == "（" || first == "(", last.mark == "）" || last == ")" {
            s = SourceLines.trim(Array(s.dropFirst().dropLast()))
        }
        let inner = SourceBlock(line: block.line, gapBefore: 0, scalars: s)
        if let names = PeopleLines.byline(inner) ?? PeopleLines.bareNames(inner) { return names }
        // A role, then names separated by spaces or 、; spaced single glyphs form one name.
        let folded = Folded.of(s)
        let roleLength = PeopleLines.roleLength(folded, at: 0)
        let role = Folded.string(s.prefix(roleLength))
        let tokens = Self.nameTokens(s.dropFirst(roleLength)) { CharacterClass.isSpace($0) || $0.mark == "、" || $0.mark == "，" }
        return tokens.filter { (2...6).contains($0.count) && $0.allSatisfy(PeopleLines.isNameScalar) }.map {
            var b = Folio_V1_Byline()
            b.name = Folded.string($0)
            b.role = role
            b.line = block.line
            return b
        }
    }

    /// A line of bare names whose two-glyph names may be spaced inside (`周建华　吴　越`,
    /// `钱　红　孙　立`): the spaced glyphs are put together as in a byline, then read by the plain
    /// text's rule for bare names (2–3 glyphs each, surnames seen in training).
    static func bareNames(_ block: SourceBlock) -> [Folio_V1_Byline]? {
        let tokens = nameTokens(block.scalars[...], separatedBy: CharacterClass.isSpace)
        let joined = Array(tokens.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\u{3000}").unicodeScalars)
        return PeopleLines.bareNames(SourceBlock(line: block.line, gapBefore: 0, scalars: joined))
    }

    /// Two glyphs set one space apart (`珉　君`): the way a two-character name is set in a byline,
    /// a pen name too, whose first glyph is no surname.
    static func spacedPenName(_ block: SourceBlock) -> [Folio_V1_Byline]? {
        let s = block.scalars
        guard s.count == 3, CharacterClass.isHan(s[0]), CharacterClass.isSpace(s[1]), CharacterClass.isHan(s[2]) else { return nil }
        var b = Folio_V1_Byline()
        b.name = Folded.string([s[0], s[2]])
        return [b]
    }

    /// Two to four glyphs alone, set as a subheading before any text (`粒砂`): a pen name. A
    /// subheading parts a story's text; none comes before it.
    static func penName(_ block: SourceBlock) -> [Folio_V1_Byline]? {
        let s = block.scalars
        guard (2...4).contains(s.count), s.allSatisfy(CharacterClass.isHan) else { return nil }
        var b = Folio_V1_Byline()
        b.name = Folded.string(s)
        return [b]
    }

    /// The words of a line of names cut at `separatedBy`, runs of single glyphs put together as
    /// spaced names (`names(spacedGlyphs:)`).
    static func nameTokens(_ s: ArraySlice<Unicode.Scalar>,
                           separatedBy isSeparator: (Unicode.Scalar) -> Bool) -> [[Unicode.Scalar]] {
        var tokens: [[Unicode.Scalar]] = []
        var singles: [Unicode.Scalar] = []
        var word: [Unicode.Scalar] = []
        func close() {
            guard !word.isEmpty else { return }
            if word.count == 1 { singles += word } else {
                if !singles.isEmpty { tokens += names(spacedGlyphs: singles); singles = [] }
                tokens.append(word)
            }
            word = []
        }
        for c in s {
            if isSeparator(c) { close() } else { word.append(c) }
        }
        close()
        if !singles.isEmpty { tokens += names(spacedGlyphs: singles) }
        return tokens
    }

    /// Single glyphs set apart by spaces: a two-character name is spaced (`何　伟`), longer ones are
    /// not, so an even run of four or more is two-character names one after another.
    static func names(spacedGlyphs s: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        guard s.count >= 4, s.count % 2 == 0 else { return [s] }
        return stride(from: 0, to: s.count, by: 2).map { Array(s[$0..<($0 + 2)]) }
    }

    /// A caption, with its photo credit `（…摄）` apart and a page credit `本版图片由…摄` after it split off.
    private mutating func fileCaption(_ scalars: [Unicode.Scalar], line: UInt32, ahead: Bool) {
        var s = scalars
        if let credit = PeopleLines.pageCredit(SourceBlock(line: line, gapBefore: 0, scalars: s)),
           Folded.has(Folded.of(s), PeopleLines.pageCreditStart, at: 0) {
            credits.append(credit)
            return
        }
        if let cut = Self.pageCreditTail(s) {
            let tail = SourceLines.trim(Array(s[cut...]))
            if let credit = PeopleLines.pageCredit(SourceBlock(line: line, gapBefore: 0, scalars: tail)) {
                credits.append(credit)
                s = SourceLines.trim(Array(s[..<cut]))
            }
        }
        guard !s.isEmpty else { return }
        var caption = Folio_V1_Caption()
        caption.lines = [line]
        if let start = PeopleLines.captionCreditStart(s), start > 0 {
            caption.text = Folded.string(SourceLines.trim(Array(s[0..<start])))
            caption.credit = Folded.string(s[start...])
        } else {
            caption.text = Folded.string(s)
        }
        if ahead {
            pendingCaptions.append(caption)
        } else if let a = current {
            a.captions.append(caption)
        } else {
            pendingCaptions.append(caption)
        }
    }

    /// Where a page credit (本版…) starts after a caption on the same line, after a space.
    private static func pageCreditTail(_ s: [Unicode.Scalar]) -> Int? {
        let folded = Folded.of(s)
        guard let at = Folded.find(folded, PeopleLines.pageCreditStart), at > 0 else { return nil }
        return CharacterClass.isSpace(s[at - 1]) || CharacterClass.isSentenceEnd(s[at - 1]) || s[at - 1].mark == "）" ? at : nil
    }

    private mutating func appendParagraph(_ s: [Unicode.Scalar], line: UInt32, lead: Bool) {
        guard !s.isEmpty else { return }
        let a = current ?? startArticle(at: line)
        var text = s
        // The article's first paragraph may open with its dateline.
        if a.dateline == nil && a.lead.isEmpty && a.body.isEmpty,
           let match = DatelineParser.parse(s, line: line, pageDate: pageDate) {
            a.dateline = match.dateline
            text = SourceLines.trim(Array(s[match.length...]))
        }
        a.touch(line)
        guard !text.isEmpty else { return }
        let block = DraftBlock(kind: .paragraph, scalars: text, firstLine: line)
        if lead { a.lead.append(block) } else {
            a.inLead = false
            a.appendBody(block)
        }
    }

    @discardableResult
    private mutating func startArticle(at line: UInt32, headline: String = "") -> DraftArticle {
        let a = ArticleBuilder.newDraft(at: line, headline: headline, sections: &sections, sectionIndex: &sectionIndex)
        a.captions = pendingCaptions
        pendingCaptions = []
        articles.append(a)
        current = a
        return a
    }
}
