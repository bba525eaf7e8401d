import FolioModel

/// What names an article of a stored page, kept in its page file: its id with its headline and
/// first source line (and, without a headline, its opening words). A later parse of the same text
/// (another foliod version, a repaired snapshot) gives each of its articles the id of the anchor
/// with the same headline, else (an article or an anchor without a headline) the same first line,
/// and for two stories without headlines the same opening words, wherever they start; an article
/// no anchor matches gets an id no anchor had. So an id never comes to name
/// another story: it names the same one, or none. The stories a replace dropped stay as retired
/// anchors: their ids are not given to new stories (a story with the same headline coming back
/// gets its id again).
struct ArticleAnchor: Codable, Equatable, Sendable {
    var id: String
    var line: UInt32
    var headline: String
    /// A story of an earlier version of the page, no longer on it (absent in files before this).
    var retired: Bool?
    /// A story without a headline: its first words (absent in files before this, and for stories
    /// with a headline). Two such stories at one line are one story only if they open alike.
    var opening: String?
}

enum ArticleAnchors {
    static func of(_ page: Folio_V1_Page) -> [ArticleAnchor] {
        page.articles.map { ArticleAnchor(id: $0.id, line: $0.lines.first, headline: $0.headline, opening: opening(of: $0)) }
    }

    /// How many characters of a headline-less story's first text name it.
    static let openingLength = 24

    /// The first words of a story without a headline (its subtitle, lead, text or caption), nil
    /// for a story with a headline or no text.
    static func opening(of article: Folio_V1_Article) -> String? {
        guard article.headline.isEmpty else { return nil }
        let first = ([article.subtitle] + article.lead.map(\.text) + article.body.map(\.text) + article.captions.map(\.text))
            .first { !$0.isEmpty }
        return first.map { String($0.prefix(openingLength)) }
    }

    /// Whether `id` is an article id of page `pageID` (`pageID-NN`). A page file copied or renamed
    /// to another page id holds the anchors of the page it came from: their ids are that page's,
    /// and two pages serving one article id would each claim the other's article.
    static func belongs(_ id: String, to pageID: String) -> Bool {
        let prefix = pageID + "-"
        guard id.hasPrefix(prefix), id.utf8.count > prefix.utf8.count else { return false }
        return id.utf8.dropFirst(prefix.utf8.count).allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// What the page file keeps once `page` replaced a version anchored by `earlier`: `page`'s
    /// anchors, then every earlier one of the page whose id `page` no longer uses, retired.
    static func of(_ page: Folio_V1_Page, replacing earlier: [ArticleAnchor]) -> [ArticleAnchor] {
        let current = of(page)
        let ids = Set(current.map(\.id))
        return current + earlier.filter { !ids.contains($0.id) && belongs($0.id, to: page.id) }.map { anchor in
            var retired = anchor
            retired.retired = true
            return retired
        }
    }

    /// The anchors of the version served (`served`, current) and those of its page file (`stored`,
    /// which may be older or newer: a backup put back, a file changed behind foliod's back) that the
    /// served version does not name: no id foliod served or the file names is given to another story.
    static func merging(served: [ArticleAnchor], stored: [ArticleAnchor]) -> [ArticleAnchor] {
        guard !served.isEmpty else { return stored }
        let ids = Set(served.map(\.id))
        return served + stored.filter { !ids.contains($0.id) }
    }

    /// `page` with its articles' ids (and its sections' lists of them) taken from `anchors`.
    static func apply(_ anchors: [ArticleAnchor], to page: Folio_V1_Page) -> Folio_V1_Page {
        let anchors = anchors.filter { belongs($0.id, to: page.id) }
        guard !anchors.isEmpty else { return page }
        var used = Set<Int>()
        var byHeadline: [String: [Int]] = [:]
        var byLine: [UInt32: [Int]] = [:]
        var byOpening: [String: [Int]] = [:]
        for (k, anchor) in anchors.enumerated() {
            if !anchor.headline.isEmpty { byHeadline[anchor.headline, default: []].append(k) }
            if let opening = anchor.opening { byOpening[opening, default: []].append(k) }
            // A retired story's first line says nothing of what starts there now.
            if anchor.retired != true { byLine[anchor.line, default: []].append(k) }
        }
        func take(_ candidates: [Int]?) -> Int? {
            guard let k = candidates?.first(where: { !used.contains($0) }) else { return nil }
            used.insert(k)
            return k
        }
        // Headlines first, over the whole page; then first lines, only where a headline is missing
        // on either side (two headlines that differ are two stories, whatever line they start on).
        var ids: [String?] = page.articles.map { article in
            article.headline.isEmpty ? nil : take(byHeadline[article.headline]).map { anchors[$0].id }
        }
        // Two stories without headlines: the same opening words, wherever they start now (another
        // caption set at the same line is another story; the same caption moved down is the same).
        for (n, article) in page.articles.enumerated() where ids[n] == nil {
            guard let opening = opening(of: article) else { continue }
            ids[n] = take(byOpening[opening]).map { anchors[$0].id }
        }
        for (n, article) in page.articles.enumerated() where ids[n] == nil {
            let opening = opening(of: article)
            let candidates = byLine[article.lines.first]?.filter { k in
                guard article.headline.isEmpty || anchors[k].headline.isEmpty else { return false }
                // Anchors written before openings were kept match by line alone.
                guard let known = anchors[k].opening, let opening else { return true }
                return known == opening
            }
            ids[n] = take(candidates).map { anchors[$0].id }
        }
        // Fresh ids for the rest: numbered after every anchor's and every id taken.
        var taken = Set(anchors.map(\.id))
        var next = anchors.count + 1
        for k in ids.indices where ids[k] == nil {
            var id = fresh(page.id, next)
            while taken.contains(id) { next += 1; id = fresh(page.id, next) }
            taken.insert(id)
            ids[k] = id
            next += 1
        }
        var out = page
        var renamed: [String: String] = [:]
        for k in out.articles.indices {
            renamed[out.articles[k].id] = ids[k]
            out.articles[k].id = ids[k]!
        }
        for s in out.sections.indices {
            out.sections[s].articleIds = out.sections[s].articleIds.map { renamed[$0] ?? $0 }
        }
        return out
    }

    /// The parser's form of an article id: the page id and a two-digit ordinal.
    static func fresh(_ pageID: String, _ n: Int) -> String {
        pageID + "-" + (n < 10 ? "0\(n)" : "\(n)")
    }
}
