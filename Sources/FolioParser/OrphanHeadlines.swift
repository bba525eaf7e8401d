/// An extractor that reads a page in runs (pdftotext's default order puts a title spanning
/// columns before, or among, other stories' columns) leaves a headline with no text of its own,
/// and elsewhere a story's text with no headline, or under another story's headline. A headline
/// belongs to the text its words open: the bare headline that shares the most pairs of
/// characters with the text's opening, when that is at least two pairs and no other bare
/// headline shares as many.
enum OrphanHeadlines {
    /// Scalars of a text's opening compared with the headlines.
    static let opening = 200
    /// More bare headlines than a page holds: not a page's titles (and the pairing stays linear).
    static let mostBare = 48

    static func pair(_ articles: [DraftArticle]) -> [DraftArticle] {
        let bare = articles.indices.filter { isBareHeadline(articles[$0]) }
        guard !bare.isEmpty, bare.count <= mostBare else {
            MisfitHeadlines.repair(articles)
            return articles
        }
        var headlinePairs = bare.map { HanPairs.of(articles[$0].headline) }
        // A story's first paragraph that shares nothing with its headline but enough with a bare
        // one: the two headlines were read in each other's place. Each headline moves once.
        var exchanged: Set<Int> = []
        for t in articles.indices where !articles[t].headline.isEmpty && hasText(articles[t]) {
            let own = HanPairs.of(articles[t].headline)
            let text = HanPairs.of(opening(of: articles[t], paragraphs: 1))
            guard own.count >= HanPairs.leastShared, own.isDisjoint(with: text),
                  let h = bestHeadline(for: text, among: headlinePairs, skipping: exchanged) else { continue }
            exchange(articles[bare[h]], articles[t])
            headlinePairs[h] = HanPairs.of(articles[bare[h]].headline)
            exchanged.insert(h)
        }
        var matches: [(shared: Int, text: Int, headline: Int)] = []
        var taken: Set<Int> = []
        for t in articles.indices where isHeadlessText(articles[t]) {
            let text = HanPairs.of(opening(of: articles[t]))
            guard let h = bestHeadline(for: text, among: headlinePairs, skipping: []) else { continue }
            matches.append((headlinePairs[h].intersection(text).count, t, h))
        }
        for m in matches.sorted(by: { $0.shared > $1.shared }) where !taken.contains(m.headline) {
            taken.insert(m.headline)
            give(articles[bare[m.headline]], to: articles[m.text])
        }
        let dropped = Set(taken.map { bare[$0] })
        let kept = dropped.isEmpty ? articles : articles.indices.filter { !dropped.contains($0) }.map { articles[$0] }
        MisfitHeadlines.repair(kept)
        return kept
    }

    /// The bare headline sharing the most pairs with `text`: at least `HanPairs.leastShared`, and
    /// more than any other.
    private static func bestHeadline(for text: Set<UInt64>, among headlines: [Set<UInt64>], skipping: Set<Int>) -> Int? {
        let shared = headlines.indices.map { skipping.contains($0) ? 0 : headlines[$0].intersection(text).count }
        guard let best = shared.max(), best >= HanPairs.leastShared, shared.filter({ $0 == best }).count == 1 else { return nil }
        return shared.firstIndex(of: best)
    }

    /// A headline (with its kicker, subtitle and bylines) and nothing else.
    static func isBareHeadline(_ a: DraftArticle) -> Bool {
        !a.headline.isEmpty && a.lead.isEmpty && a.body.isEmpty && a.captions.isEmpty && a.dateline == nil
    }

    /// Text (a paragraph at least) under no headline, kicker or subtitle.
    static func isHeadlessText(_ a: DraftArticle) -> Bool {
        a.headline.isEmpty && a.kicker.isEmpty && a.subtitle.isEmpty && hasText(a)
    }

    private static func hasText(_ a: DraftArticle) -> Bool {
        a.lead.contains { $0.kind == .paragraph } || a.body.contains { $0.kind == .paragraph }
    }

    /// The first `opening` scalars of the article's first `paragraphs` paragraphs, folded.
    static func opening(of a: DraftArticle, paragraphs: Int = .max) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for block in (a.lead + a.body).lazy.filter({ $0.kind == .paragraph }).prefix(paragraphs) {
            out += block.scalars.prefix(opening - out.count)
            if out.count >= opening { break }
        }
        return Folded.of(out)
    }

    /// Swaps the headlines (with their lines, kickers, subtitles and the sections they stood in)
    /// of `a` and `b`.
    private static func exchange(_ a: DraftArticle, _ b: DraftArticle) {
        let heading = a.heading
        b.heading.put(on: a)
        heading.put(on: b)
    }

    private static func give(_ from: DraftArticle, to a: DraftArticle) {
        from.heading.put(on: a)
        a.bylines = from.bylines + a.bylines
        a.diagnostics = a.diagnostics.filter { $0.code != "headline-missing" } + from.diagnostics
        a.touch(from.firstLine)
        a.touch(from.lastLine)
    }
}
