import FolioModel
import FolioText

/// Converts every human-readable text of a parsed page to another script with OpenCC's
/// phrase-level conversion (for display; offsets of entity mentions refer to the original).
public enum ScriptOutput {
    public static func convert(_ page: Folio_V1_Page, to form: OutputForm) -> Folio_V1_Page {
        guard form != .original else { return page }
        let c = ScriptConverter.shared
        func t(_ s: String) -> String { c.convertOrOriginal(s, to: form) }
        var p = page
        for i in p.sections.indices { p.sections[i].rubric = t(p.sections[i].rubric) }
        for i in p.captions.indices { p.captions[i].text = t(p.captions[i].text) }
        for i in p.credits.indices {
            p.credits[i].text = t(p.credits[i].text)
            p.credits[i].photographers = p.credits[i].photographers.map(t)
        }
        p.articles = p.articles.map { convert($0, to: form) }
        return p
    }

    public static func convert(_ article: Folio_V1_Article, to form: OutputForm) -> Folio_V1_Article {
        guard form != .original else { return article }
        let c = ScriptConverter.shared
        func t(_ s: String) -> String { c.convertOrOriginal(s, to: form) }
        var a = article
        a.section = t(a.section)
        a.kicker = t(a.kicker)
        a.headline = t(a.headline)
        a.subtitle = t(a.subtitle)
        for i in a.bylines.indices {
            a.bylines[i].name = t(a.bylines[i].name)
            a.bylines[i].role = t(a.bylines[i].role)
        }
        if a.hasDateline {
            a.dateline.agency = t(a.dateline.agency)
            a.dateline.place = t(a.dateline.place)
            a.dateline.text = t(a.dateline.text)
            a.dateline.reporters = a.dateline.reporters.map(t)
        }
        for i in a.lead.indices { a.lead[i].text = t(a.lead[i].text) }
        for i in a.body.indices { a.body[i].text = t(a.body[i].text) }
        for i in a.captions.indices {
            a.captions[i].text = t(a.captions[i].text)
            a.captions[i].credit = t(a.captions[i].credit)
        }
        for i in a.entities.indices { a.entities[i].text = t(a.entities[i].text) }
        return a
    }
}
