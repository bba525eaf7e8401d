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

    init(pageDate: String?) { self.pageDate = pageDate }

    mutating func build(_ blocks: [SourceBlock]) {
        let roles = blocks.map(LineRoles.classify)
        for (i, block) in blocks.enumerated() {
            switch roles[i] {
            case let .rubric(name, latin):
                current = nil
                sections.append(SectionDraft(rubric: name, latin: latin, line: block.line))
                sectionIndex = sections.count - 1
            case .leadMarker:
                let a = current ?? startArticle(at: block.line)
                a.inLead = true
                a.touch(block.line)
            case let .subtitle(text):
                if let a = current, !a.hasText, a.subtitle.isEmpty {
                    a.subtitle = text
                    a.touch(block.line)
                } else {
                    appendParagraph(block.scalars, line: block.line)
                }
            case let .pageCredit(credit):
                credits.append(credit)
            case let .byline(names):
                let a = current ?? startArticle(at: block.line)
                a.bylines += names
                a.touch(block.line)
                if a.hasText { a.closed = true }
            case let .caption(caption):
                if let a = current { a.captions.append(caption) } else { pageCaptions.append(caption) }
            case let .photoCredit(text):
                attachPhotoCredit(text, line: block.line)
            case .text:
                handleText(block, next: nextContent(after: i, roles: roles, blocks: blocks))
            }
        }
    }

    private enum Next { case none, opener, text }

    /// What the next line that belongs to the text flow is (captions and credits skipped).
    private func nextContent(after i: Int, roles: [LineRole], blocks: [SourceBlock]) -> Next {
        var j = i + 1
        while j < roles.count {
            switch roles[j] {
            case .caption, .pageCredit, .photoCredit: j += 1; continue
            case .subtitle, .byline, .leadMarker: return .opener
            case .rubric: return .none
            case .text:
                if DatelineParser.parse(blocks[j].scalars, line: blocks[j].line, pageDate: nil) != nil { return .opener }
                return .text
            }
        }
        return .none
    }

    private mutating func handleText(_ block: SourceBlock, next: Next) {
        let s = block.scalars
        if current == nil || current!.closed || current!.dateline == nil,
           let match = DatelineParser.parse(s, line: block.line, pageDate: pageDate) {
            let a = (current == nil || current!.closed) ? startArticle(at: block.line) : current!
            a.dateline = match.dateline
            a.inLead = false
            a.touch(block.line)
            // Text standing above the dateline is out of place: fragments to put back.
            for k in a.body.indices where a.body[k].kind == .paragraph { a.body[k].floating = true }
            if match.dateline.repaired {
                a.diagnostics.append(diagnostic(.info, "dateline-repaired", line: block.line,
                                                "dateline \(Folded.string(s.prefix(2))) lost its first glyph: restored as \(match.dateline.agency)"))
            }
            let rest = SourceLines.trim(Array(s[match.length...]))
            if !rest.isEmpty { appendParagraph(rest, line: block.line) }
            return
        }
        if LineRoles.isTitleLike(s) {
            placeTitle(block, next: next)
            return
        }
        appendParagraph(s, line: block.line)
    }

    private mutating func placeTitle(_ block: SourceBlock, next: Next) {
        let text = block.text
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
                    && a.bylines.isEmpty && !a.inLead && next != .none {
            a.subtitle = text  // a second title line under the headline (副题)
            a.touch(block.line)
        } else if next == .opener {
            startArticle(at: block.line, headline: text)
        } else if !a.lead.isEmpty || a.hasSubheading || a.dateline == nil {
            a.inLead = false
            a.body.append(DraftBlock(kind: .subheading, scalars: block.scalars, lines: [block.line]))
            a.touch(block.line)
        } else {
            startArticle(at: block.line, headline: text)
        }
    }

    private mutating func appendParagraph(_ s: [Unicode.Scalar], line: UInt32) {
        let a = (current == nil || current!.closed) ? startArticle(at: line) : current!
        let block = DraftBlock(kind: .paragraph, scalars: s, lines: [line])
        if a.inLead { a.lead.append(block) } else { a.body.append(block) }
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
        if sectionIndex == nil {
            sections.append(SectionDraft(rubric: "", latin: "", line: 0))
            sectionIndex = sections.count - 1
        }
        let idx = sectionIndex!
        let a = DraftArticle(sectionIndex: idx, section: sections[idx].rubric, line: line)
        a.headline = headline
        a.headlineLine = headline.isEmpty ? 0 : line
        if headline.isEmpty {
            a.diagnostics.append(diagnostic(.warning, "headline-missing", line: line,
                                            "article starts without a headline"))
        }
        articles.append(a)
        current = a
        return a
    }
}
