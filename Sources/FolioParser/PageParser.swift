import FolioEntities
import FolioModel
import FolioText

/// Page text → `Folio_V1_Page`. A total function: any text gives a page; what was repaired or
/// doubtful is recorded as a diagnostic with its source line. Value type, safe to share
/// between threads.
public struct PageParser: Sendable {
    /// Entity recognition for every article; nil parses structure only.
    public var entityRecognizer: EntityRecognizer?

    public init(entityRecognizer: EntityRecognizer? = .shared) {
        self.entityRecognizer = entityRecognizer
    }

    /// Parses page text. `info` comes from ingest metadata; the date and page label it leaves out
    /// are guessed from `source`. `pageID` defaults to the sanitised file name, else a hash of the text.
    public func parse(text: String, source: String = "", info: Folio_V1_PageInfo? = nil,
                      pageID: String? = nil) -> Folio_V1_Page {
        var page = Folio_V1_Page()
        page.source = source
        page.id = pageID.flatMap { $0.isEmpty ? nil : $0 } ?? PageIdentity.id(fromSource: source) ?? PageIdentity.hashID(text)
        // What the metadata leaves out comes from the file name (rmrb20050102-02.txt), then from
        // the page header: a publication given for a batch keeps each page's own date and label.
        var pageInfo = info ?? PageIdentity.info(fromSource: source)
        if info != nil {
            let named = PageIdentity.info(fromSource: source)
            if pageInfo.date.isEmpty { pageInfo.date = named.date }
            if pageInfo.pageLabel.isEmpty { pageInfo.pageLabel = named.pageLabel }
        }
        page.info = pageInfo
        let (blocks, lineCount, masthead, reflowed, dropped, stats) = PageLines.read(text)
        masthead?.fill(&pageInfo)
        var headerCredits = masthead?.pageCredits ?? []
        // A layout reader gives the page header as a block of its own, read by the same rules;
        // one they cannot read is kept in a note, not dropped.
        if LaidOutText.isLaidOut(text), let header = LaidOutText.masthead(text) {
            if var read = Masthead.find(lines: [Array(header.text.unicodeScalars)]) {
                read.credits = read.credits.map { ($0.text, Int(header.line)) }
                read.fill(&pageInfo)
                headerCredits += read.pageCredits
            } else {
                page.diagnostics.append(diagnostic(.info, "page-header-unread", line: header.line,
                                                   "a page header line read as no header: \(header.text)"))
            }
        }
        page.info = pageInfo
        let pageDate = pageInfo.date.isEmpty ? nil : pageInfo.date

        page.lineCount = UInt32(lineCount)
        page.script.traditionalOnly = UInt32(stats.traditionalOnly)
        page.script.simplifiedOnly = UInt32(stats.simplifiedOnly)
        page.script.dominant = Self.script(stats.dominant)
        if let repaired = dropped.diagnostic { page.diagnostics.append(repaired) }
        if let replaced = ReplacedCharacters.diagnostic(in: text) { page.diagnostics.append(replaced) }
        if blocks.isEmpty {
            page.diagnostics.append(diagnostic(.warning, "page-empty", line: 0, "the page has no text"))
            return page
        }

        let built: Built
        if LaidOutText.isLaidOut(text) {
            // Roles given by a layout reader: paragraphs are whole, nothing to join.
            var builder = LaidOutBuilder(pageDate: pageDate)
            builder.build(LaidOutText.blocks(text))
            built = Built(sections: builder.sections, articles: builder.articles, pageCaptions: builder.pageCaptions,
                          credits: builder.credits, diagnostics: builder.diagnostics, joinsParagraphs: false)
        } else {
            var builder = ArticleBuilder(pageDate: pageDate, extracted: reflowed)
            builder.build(blocks)
            let articles = reflowed ? OrphanHeadlines.pair(CutParagraphs.rejoin(builder.articles)) : builder.articles
            built = Built(sections: builder.sections, articles: articles, pageCaptions: builder.pageCaptions,
                          credits: builder.credits, diagnostics: builder.diagnostics, joinsParagraphs: true)
        }
        let joiner = built.joinsParagraphs ? ParagraphJoiner() : nil
        var sectionArticles = [[String]](repeating: [], count: built.sections.count)
        // The recognizer's scratch space, allocated once for the page's articles.
        let buffers = entityRecognizer.map { _ in RecognizerBuffers() }
        for (n, draft) in built.articles.enumerated() {
            let id = page.id + "-" + (n + 1 < 10 ? "0\(n + 1)" : "\(n + 1)")
            var article = finish(draft, joiner: joiner, text: text)
            article.id = id
            article.pageID = page.id
            article.date = pageInfo.date
            if let recognizer = entityRecognizer {
                // Into a local first: `article` read while its own entities were mutated in place
                // copied its whole storage.
                var entities = recognizer.recognize(fields: Self.entityFields(of: article), pageDate: pageDate,
                                                    buffers: buffers ?? RecognizerBuffers())
                Self.creditedPeople(of: article, into: &entities)
                article.entities = entities
            }
            sectionArticles[draft.sectionIndex].append(id)
            page.articles.append(article)
        }
        for (i, s) in built.sections.enumerated() {
            var section = Folio_V1_Section()
            section.rubric = s.rubric
            section.rubricLatin = s.latin
            section.line = s.line
            section.articleIds = sectionArticles[i]
            page.sections.append(section)
        }
        page.captions = built.pageCaptions
        page.credits = headerCredits + built.credits
        page.diagnostics += built.diagnostics
        return page
    }

    /// What a builder made of the page's lines.
    private struct Built {
        var sections: [ArticleBuilder.SectionDraft]
        var articles: [DraftArticle]
        var pageCaptions: [Folio_V1_Caption]
        var credits: [Folio_V1_Credit]
        var diagnostics: [Folio_V1_Diagnostic]
        var joinsParagraphs: Bool
    }

    /// Parses raw bytes: invalid UTF-8 is decoded with replacement characters and reported as
    /// an error; binary data (NUL bytes, mostly control bytes) gives an empty page with an error.
    public func parse(data: [UInt8], source: String = "", info: Folio_V1_PageInfo? = nil,
                      pageID: String? = nil) -> Folio_V1_Page {
        if let reason = TextCheck.binaryReason(data) {
            var page = Folio_V1_Page()
            page.source = source
            page.id = pageID ?? PageIdentity.id(fromSource: source) ?? "page-binary"
            page.info = info ?? PageIdentity.info(fromSource: source)
            page.diagnostics.append(diagnostic(.error, "input-binary", line: 0, reason))
            return page
        }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let text = String(decoding: bytes, as: UTF8.self)
        var page = parse(text: text, source: source, info: info, pageID: pageID)
        if let bad = InputCheck.firstInvalidUTF8Line(bytes) {
            page.diagnostics.insert(diagnostic(.error, "input-invalid-utf8", line: bad,
                                               "input is not valid UTF-8 (first bad byte on line \(bad)); undecodable bytes became U+FFFD"), at: 0)
        }
        return page
    }

    /// `text`: the page text, where blocks that stand in it as they are copy their text from.
    private func finish(_ d: DraftArticle, joiner: ParagraphJoiner?, text: String) -> Folio_V1_Article {
        var a = Folio_V1_Article()
        a.section = d.section
        a.kicker = d.kicker
        a.headline = d.headline
        a.subtitle = d.subtitle
        a.bylines = d.bylines
        if let dl = d.dateline { a.dateline = dl }
        var diags = d.diagnostics
        var lead = joiner?.join(d.lead, diagnostics: &diags) ?? d.lead
        var body = joiner?.join(d.body, diagnostics: &diags) ?? d.body
        // A 核心提示 box with no body after it: only its first paragraph is the summary.
        if body.isEmpty && lead.count > 1 {
            body = Array(lead.dropFirst())
            lead = [lead[0]]
        }
        a.lead = lead.map { Self.block($0, page: text) }
        a.body = body.map { Self.block($0, page: text) }
        a.captions = d.captions
        a.lines = ArticleLineRange.covering(a, first: d.firstLine, last: d.lastLine)
        a.diagnostics = diags.sorted { $0.line < $1.line }
        return a
    }

    static func block(_ b: DraftBlock, page: String) -> Folio_V1_Block {
        var out = Folio_V1_Block()
        out.kind = b.kind
        out.text = b.text(in: page)
        out.lines = b.lines
        out.startsMidSentence = b.startsMidSentence
        out.endsMidSentence = b.endsMidSentence
        return out
    }

    static func script(_ d: ScriptStats.Dominant) -> Folio_V1_Script {
        switch d {
        case .unknown: return .unspecified
        case .simplified: return .simplified
        case .traditional: return .traditional
        case .mixed: return .mixed
        }
    }
}

/// Checks on raw bytes before they are treated as text.
enum InputCheck {
    /// 1-based line of the first byte sequence that is not valid UTF-8.
    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> UInt32? {
        var line: UInt32 = 1
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A { line += 1; i += 1; continue }
            if b < 0x80 { i += 1; continue }
            let len: Int
            if b & 0xE0 == 0xC0 && b >= 0xC2 { len = 2 } else if b & 0xF0 == 0xE0 { len = 3 } else if b & 0xF8 == 0xF0 && b <= 0xF4 { len = 4 } else { return line }
            guard i + len <= n else { return line }
            for k in 1..<len where bytes[i + k] & 0xC0 != 0x80 { return line }
            if len == 3 {
                let cp = (UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6)
                if cp < 0x800 || (0xD800...0xDFFF).contains(cp) { return line }
            }
            if len == 4 {
                let cp = (UInt32(b & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
                if cp < 0x10000 || cp > 0x10FFFF { return line }
            }
            i += len
        }
        return nil
    }
}
