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

/// Mention offsets kept pointing into text a conversion changes the length of (Taiwan's phrases:
/// 内存 → 記憶體): a field with mentions is then converted piece by piece between the mentions'
/// ends, and each offset moves to where its piece now starts. A conversion that keeps the length
/// (per character: Simplified, Traditional) keeps the offsets and the whole-text conversion.
struct MentionOffsets {
    var entities: [Folio_V1_Entity]

    init(_ entities: [Folio_V1_Entity]) { self.entities = entities }

    mutating func map(_ text: String, _ field: Folio_V1_TextField, _ block: Int,
                      _ convert: (String) throws -> String) rethrows -> String {
        let whole = try convert(text)
        let scalars = Array(text.unicodeScalars)
        guard whole.unicodeScalars.count != scalars.count else { return whole }
        func into(_ m: Folio_V1_Mention) -> Bool {
            m.field == field && (field == .headline || field == .subtitle || Int(m.block) == block)
        }
        var cuts: Set<Int> = [0, scalars.count]
        for e in entities { for m in e.mentions where into(m) { cuts.formUnion([Int(m.start), Int(m.end)].map { min($0, scalars.count) }) } }
        guard cuts.count > 2 else { return whole }
        let (out, moved) = try PiecewiseConversion.convert(scalars, cuts: cuts, convert)
        for e in entities.indices {
            for k in entities[e].mentions.indices where into(entities[e].mentions[k]) {
                let m = entities[e].mentions[k]
                entities[e].mentions[k].start = UInt32(moved[min(Int(m.start), scalars.count)]!)
                entities[e].mentions[k].end = UInt32(moved[min(Int(m.end), scalars.count)]!)
            }
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
        var out = String.UnicodeScalarView()
        for (from, to) in zip(sorted, sorted.dropFirst()) {
            moved[from] = out.count
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: scalars[from..<to])
            out.append(contentsOf: try convert(String(piece)).unicodeScalars)
        }
        moved[scalars.count] = out.count
        return (String(out), moved)
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
