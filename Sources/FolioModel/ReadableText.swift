/// The text of the model a person reads, listed once: what a script conversion rewrites (`folio parse
/// --script` and every `script` field of the daemon's requests). Ids, sources, dates, diagnostics,
/// `normalized` forms (Simplified by definition) stay as they are; mention offsets keep pointing at the
/// same words of the converted text (see `MentionOffsets`).
extension Folio_V1_Page {
    public func mappingReadableText(_ map: (String) throws -> String) rethrows -> Folio_V1_Page {
        var page = self
        for i in page.sections.indices { page.sections[i].rubric = try map(page.sections[i].rubric) }
        for i in page.captions.indices { page.captions[i].text = try map(page.captions[i].text) }
        for i in page.credits.indices {
            page.credits[i].text = try map(page.credits[i].text)
            page.credits[i].photographers = try page.credits[i].photographers.map(map)
        }
        page.articles = try page.articles.map { try $0.mappingReadableText(map) }
        return page
    }
}

extension Folio_V1_Article {
    public func mappingReadableText(_ map: (String) throws -> String) rethrows -> Folio_V1_Article {
        var article = self
        var offsets = MentionOffsets(article.entities)
        article.section = try map(article.section)
        article.kicker = try map(article.kicker)
        article.headline = try offsets.map(article.headline, .headline, 0, map)
        article.subtitle = try offsets.map(article.subtitle, .subtitle, 0, map)
        for i in article.bylines.indices {
            article.bylines[i].name = try map(article.bylines[i].name)
            article.bylines[i].role = try map(article.bylines[i].role)
        }
        if article.hasDateline {
            article.dateline.agency = try map(article.dateline.agency)
            article.dateline.place = try map(article.dateline.place)
            article.dateline.text = try map(article.dateline.text)
            article.dateline.reporters = try article.dateline.reporters.map(map)
        }
        for i in article.lead.indices { article.lead[i].text = try offsets.map(article.lead[i].text, .block, i, map) }
        let leadCount = article.lead.count
        for i in article.body.indices { article.body[i].text = try offsets.map(article.body[i].text, .block, leadCount + i, map) }
        for i in article.captions.indices {
            article.captions[i].text = try offsets.map(article.captions[i].text, .caption, i, map)
            article.captions[i].credit = try map(article.captions[i].credit)
        }
        article.entities = offsets.entities
        for i in article.entities.indices { article.entities[i].text = try map(article.entities[i].text) }
        return article
    }
}

/// Mention offsets kept pointing into converted text: a field with mentions is converted piece by
/// piece between the mentions' ends, and each offset moves to where its piece now starts (Taiwan's
/// phrases change lengths: 内存 → 記憶體). Also when the length is kept: a phrase across a
/// mention's edge would rewrite the mention (纪念周恩来 → 紀念週恩來), so each is converted alone.
struct MentionOffsets {
    var entities: [Folio_V1_Entity]
    /// The mentions (entity index, mention index) of each field, found once.
    private var byField: [Field: [(entity: Int, mention: Int)]] = [:]

    private struct Field: Hashable {
        let field: Int, block: Int
        init(_ field: Folio_V1_TextField, _ block: Int) {
            self.field = field.rawValue
            self.block = field == .headline || field == .subtitle ? 0 : block
        }
    }

    init(_ entities: [Folio_V1_Entity]) {
        self.entities = entities
        for (e, entity) in entities.enumerated() {
            for (k, m) in entity.mentions.enumerated() { byField[Field(m.field, Int(m.block)), default: []].append((e, k)) }
        }
    }

    mutating func map(_ text: String, _ field: Folio_V1_TextField, _ block: Int,
                      _ convert: (String) throws -> String) rethrows -> String {
        guard let refs = byField[Field(field, block)] else { return try convert(text) }
        let scalars = Array(text.unicodeScalars)
        func clipped(_ offset: UInt32) -> Int { min(Int(offset), scalars.count) }
        var cuts: Set<Int> = []
        for (e, k) in refs {
            let m = entities[e].mentions[k]
            cuts.insert(clipped(m.start))
            cuts.insert(clipped(m.end))
        }
        let (out, moved) = try PiecewiseConversion.convert(scalars, cuts: cuts, convert)
        for (e, k) in refs {
            let m = entities[e].mentions[k]
            entities[e].mentions[k].start = UInt32(moved[clipped(m.start)] ?? 0)
            entities[e].mentions[k].end = UInt32(moved[clipped(m.end)] ?? 0)
        }
        return out
    }
}

/// A conversion of text whose offsets must survive it (mentions, highlights) when it changes the
/// text's length: the text is converted piece by piece between the cuts (the offsets), and each
/// cut moves to where its piece now starts. Cuts are Unicode-scalar offsets within the text.
public enum PiecewiseConversion {
    public static func convert(_ scalars: [Unicode.Scalar], cuts: Set<Int>, _ convert: (String) throws -> String)
        rethrows -> (text: String, moved: [Int: Int]) {
        let sorted = cuts.union([0, scalars.count]).filter { $0 >= 0 && $0 <= scalars.count }.sorted()
        var moved: [Int: Int] = [:]
        // Scalars first, one String at the end: appending to a String's scalar view piece by piece
        // copied the whole of it each time (quadratic on a long field).
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count + scalars.count / 4)
        for (from, to) in zip(sorted, sorted.dropFirst()) {
            moved[from] = out.count
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: scalars[from..<to])
            out.append(contentsOf: try convert(String(piece)).unicodeScalars)
        }
        moved[scalars.count] = out.count
        var text = String.UnicodeScalarView()
        text.append(contentsOf: out)
        return (String(text), moved)
    }
}

extension Folio_V1_Article {
    /// The people an article is by: its bylines, then the reporters its dateline names (once each).
    /// What `author` filters match, and the `authors` of summaries and exports.
    public var authors: [String] {
        var names = bylines.map(\.name)
        for reporter in dateline.reporters where !names.contains(reporter) { names.append(reporter) }
        return names
    }

    /// The section `section` filters match: the article's rubric, else its page's section as the
    /// page header names it (`第A02版 综合新闻`: a page of no rubrics is that section's).
    public func filterSection(pageSection: String) -> String {
        section.isEmpty ? pageSection : section
    }
}

extension Folio_V1_ArticleSummary {
    public func mappingReadableText(_ map: (String) throws -> String) rethrows -> Folio_V1_ArticleSummary {
        var summary = self
        summary.section = try map(summary.section)
        summary.headline = try map(summary.headline)
        summary.authors = try summary.authors.map(map)
        return summary
    }
}

/// Entity answers: the entity's text (its Simplified key) and forms, and each mention's headline and
/// text. Mention offsets stay as stored: they count in the article's own text (GetArticle without a
/// script).
extension Folio_V1_EntitySummary {
    public func mappingReadableText(_ map: (String) throws -> String) rethrows -> Folio_V1_EntitySummary {
        var summary = self
        summary.text = try map(summary.text)
        var forms: [String] = []
        for form in try summary.forms.map(map) where !forms.contains(form) { forms.append(form) }
        summary.forms = forms
        return summary
    }
}

extension Folio_V1_ListEntitiesResponse {
    public func mappingReadableText(_ map: (String) throws -> String) rethrows -> Folio_V1_ListEntitiesResponse {
        var response = self
        response.entities = try entities.map { try $0.mappingReadableText(map) }
        return response
    }
}

extension Folio_V1_GetEntityResponse {
    public func mappingReadableText(_ map: (String) throws -> String) rethrows -> Folio_V1_GetEntityResponse {
        var response = self
        response.entity = try entity.mappingReadableText(map)
        for i in response.mentions.indices {
            response.mentions[i].headline = try map(response.mentions[i].headline)
            response.mentions[i].text = try map(response.mentions[i].text)
        }
        return response
    }
}
