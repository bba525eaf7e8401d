/// The text of the model a person reads, listed once: what a script conversion rewrites (`folio parse
/// --script` and every `script` field of the daemon's requests). Ids, sources, dates, diagnostics,
/// `normalized` forms (Simplified by definition) and mention offsets (into the original) stay as they are.
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
        article.section = try map(article.section)
        article.kicker = try map(article.kicker)
        article.headline = try map(article.headline)
        article.subtitle = try map(article.subtitle)
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
        for i in article.lead.indices { article.lead[i].text = try map(article.lead[i].text) }
        for i in article.body.indices { article.body[i].text = try map(article.body[i].text) }
        for i in article.captions.indices {
            article.captions[i].text = try map(article.captions[i].text)
            article.captions[i].credit = try map(article.captions[i].credit)
        }
        for i in article.entities.indices { article.entities[i].text = try map(article.entities[i].text) }
        return article
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
