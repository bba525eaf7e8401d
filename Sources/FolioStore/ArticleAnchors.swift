import FolioIndex
import FolioModel

/// What names an article of a stored page, kept in its page file: its id with its headline, first
/// source line and opening words. A later parse of the same text (another foliod version, a
/// repaired snapshot) gives each of its articles the id of the anchor with the same headline and
/// much the same opening words (stories share headlines: 图片新闻, 简讯), else (an article or
/// an anchor without a headline) the same first line, and for two stories without headlines the
/// same opening words, wherever they start; an article no anchor matches gets an id no anchor had. So an id never comes to name
/// another story: it names the same one, or none. The stories a replace dropped stay as retired
/// anchors: their ids are not given to new stories (a story with the same headline coming back
/// gets its id again). Headlines and openings are compared script-blind (as search folds them:
/// Traditional and Simplified, full- and half-width, upper and lower case alike): a page corrected
/// to another script (示范 → 示範, a whole page through OpenCC s2t) holds the same stories.
struct ArticleAnchor: Codable, Equatable, Sendable {
    var id: String
    var line: UInt32
    var headline: String
    /// A story of an earlier version of the page, no longer on it (absent in files before this).
    var retired: Bool?
    /// The story's first words after its headline (absent in files before this; for stories with
    /// a headline, in files before those were kept too). Two stories without a headline at one
    /// line, or two of one headline, are one story only if they open alike.
    var opening: String?
}

enum ArticleAnchors {
    static func of(_ page: Folio_V1_Page) -> [ArticleAnchor] {
        page.articles.map { ArticleAnchor(id: $0.id, line: $0.lines.first, headline: $0.headline, opening: opening(of: $0)) }
    }

    /// How many characters of a headline-less story's first text name it.
    static let openingLength = 24

    /// The first words of a story after its headline (its subtitle, lead, text or caption), nil for
    /// a story with no text.
    static func opening(of article: Folio_V1_Article) -> String? {
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
        of(page) + retired(earlier, after: page)
    }

    /// The anchors of `earlier` of the page whose ids `page` no longer uses, retired. foliod keeps
    /// them with the page it serves (and in the snapshot) too: a page file put back from an older
    /// backup does not name those a later version retired.
    static func retired(_ earlier: [ArticleAnchor], after page: Folio_V1_Page) -> [ArticleAnchor] {
        guard !earlier.isEmpty else { return [] }
        let ids = Set(page.articles.map(\.id))
        return earlier.filter { !ids.contains($0.id) && belongs($0.id, to: page.id) }.map { anchor in
            var retired = anchor
            retired.retired = true
            return retired
        }
    }

    /// The anchors of the version served (`served`, current, then those foliod keeps retired with
    /// it), those of its page file (`stored`, which may be older or newer: a backup put back, a file
    /// changed behind foliod's back) that the served version does not name, then the retired ones
    /// the file does not name (an older file lacks what later versions retired): no id foliod served,
    /// retired or the file names is given to another story. Within one archive an id never names two
    /// stories; where the current ones name one id for different stories, the model served came from
    /// another archive (a snapshot of another copy restored here): the page file, the source of
    /// truth, keeps its ids.
    static func merging(served: [ArticleAnchor], stored: [ArticleAnchor]) -> [ArticleAnchor] {
        guard !served.isEmpty else { return stored }
        let current = served.filter { $0.retired != true }
        let storedByID = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        if current.contains(where: { anchor in storedByID[anchor.id].map { !sameStory(anchor, $0) } ?? false }) { return stored }
        var ids = Set(current.map(\.id))
        let named = current + stored.filter { ids.insert($0.id).inserted }
        return named + served.filter { $0.retired == true && ids.insert($0.id).inserted }
    }

    /// Whether two anchors describe one story: one headline (and, without one, the same opening),
    /// in whichever script.
    static func sameStory(_ a: ArticleAnchor, _ b: ArticleAnchor) -> Bool {
        guard key(a.headline) == key(b.headline) else { return false }
        guard a.headline.isEmpty, let first = a.opening, let second = b.opening else { return true }
        return key(first) == key(second)
    }

    /// The form a headline or opening is compared in: folded as search folds text (Traditional →
    /// Simplified per character, full → half width, upper → lower case), so the same words in
    /// another script are the same words. Text that folding leaves alone is returned as it is.
    static func key(_ text: String) -> String {
        let fold = IndexFold.shared
        guard text.unicodeScalars.contains(where: { fold.fold($0) != $0 }) else { return text }
        return fold.fold(text)
    }

    /// `page` with its articles' ids (and its sections' lists of them) taken from `anchors`.
    static func apply(_ anchors: [ArticleAnchor], to page: Folio_V1_Page) -> Folio_V1_Page {
        let anchors = anchors.filter { belongs($0.id, to: page.id) }
        guard !anchors.isEmpty else { return page }
        var used = Set<Int>()
        var byHeadline: [String: [Int]] = [:]
        var byLine: [UInt32: [Int]] = [:]
        var byOpening: [String: [Int]] = [:]
        // Headlines and openings compared folded (see `key`): the same story in another script.
        let openings = anchors.map { $0.opening.map(key) }
        for (k, anchor) in anchors.enumerated() {
            if !anchor.headline.isEmpty { byHeadline[key(anchor.headline), default: []].append(k) }
            if anchor.headline.isEmpty, let opening = openings[k] { byOpening[opening, default: []].append(k) }
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
        // A headline is not enough where stories share one (图片新闻, 简讯): the story must also open
        // much as it did (a corrected word keeps its id, another story under that headline is new),
        // the most alike first. Anchors from before openings were kept match by headline alone.
        let articleOpenings = page.articles.map { opening(of: $0).map(key) }
        var ids: [String?] = page.articles.enumerated().map { n, article in
            guard !article.headline.isEmpty, let candidates = byHeadline[key(article.headline)] else { return nil }
            let opening = articleOpenings[n]
            var best: (k: Int, resemblance: Double)?
            for k in candidates where !used.contains(k) {
                let alike = openings[k].flatMap { known in opening.map { resemblance(known, $0) } } ?? 1
                if alike >= sameStory && alike > best?.resemblance ?? -1 { best = (k, alike) }
            }
            guard let best else { return nil }
            used.insert(best.k)
            return anchors[best.k].id
        }
        // Two stories without headlines: the same opening words, wherever they start now (another
        // caption set at the same line is another story; the same caption moved down is the same).
        for n in page.articles.indices where ids[n] == nil {
            guard let opening = articleOpenings[n] else { continue }
            ids[n] = take(byOpening[opening]).map { anchors[$0].id }
        }
        for (n, article) in page.articles.enumerated() where ids[n] == nil {
            let opening = articleOpenings[n]
            let candidates = byLine[article.lines.first]?.filter { k in
                guard article.headline.isEmpty || anchors[k].headline.isEmpty else { return false }
                // Openings tell two headline-less stories apart; anchors written before openings
                // were kept match by line alone.
                guard article.headline.isEmpty, anchors[k].headline.isEmpty, let known = openings[k], let opening
                else { return true }
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

    /// How alike two openings must be for one headline to name one story.
    static let sameStory = 0.5

    /// Dice coefficient of the character bigrams of two openings (of their characters when one is a
    /// single character): 1 the same, 0 nothing in common.
    static func resemblance(_ a: String, _ b: String) -> Double {
        if a == b { return 1 }
        func grams(_ s: String) -> Set<String> {
            let c = Array(s)
            return c.count < 2 ? Set(c.map(String.init)) : Set((1..<c.count).map { String(c[$0 - 1]) + String(c[$0]) })
        }
        let (x, y) = (grams(a), grams(b))
        guard !x.isEmpty || !y.isEmpty else { return 1 }
        return 2 * Double(x.intersection(y).count) / Double(x.count + y.count)
    }

    /// The parser's form of an article id: the page id and a two-digit ordinal.
    static func fresh(_ pageID: String, _ n: Int) -> String {
        pageID + "-" + (n < 10 ? "0\(n)" : "\(n)")
    }
}
