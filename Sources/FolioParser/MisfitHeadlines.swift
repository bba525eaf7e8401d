/// pdftotext's default order can read a run of stories' texts each under the headline of the
/// story before it: every headline shares nothing with the text under it, and each one's words
/// open another of those texts. Such a headline goes to the text it shares the most pairs of
/// characters with when that text, too, shares the most with it (at least two, no tie); a
/// headline whose text took another and that went nowhere closes the chain: it takes the text
/// whose headline moved first.
enum MisfitHeadlines {
    /// Re-pairs the misfits among `articles` in place.
    static func repair(_ articles: [DraftArticle]) {
        var misfits: [DraftArticle] = [], heads: [Set<UInt64>] = [], texts: [Set<UInt64>] = []
        for a in articles where !a.headline.isEmpty {
            // A headline over no paragraph (a caption at most: a photo's, read after it) is a misfit too.
            let opening = OrphanHeadlines.opening(of: a, paragraphs: 1)
            let own = HanPairs.of(a.headline), text = HanPairs.of(opening)
            guard own.count >= HanPairs.leastShared, own.isDisjoint(with: text) else { continue }
            misfits.append(a); heads.append(own); texts.append(text)
        }
        guard misfits.count >= 2, misfits.count <= OrphanHeadlines.mostBare else { return }
        // to[h]: the text headline h goes to; from[t]: the headline text t takes.
        var to = [Int?](repeating: nil, count: misfits.count), from = to
        for h in misfits.indices {
            guard let t = uniqueBest(misfits.indices.filter { $0 != h }, by: { heads[h].intersection(texts[$0]).count }),
                  uniqueBest(misfits.indices.filter { $0 != t }, by: { heads[$0].intersection(texts[t]).count }) == h
            else { continue }
            to[h] = t
            from[t] = h
        }
        let old = misfits.map(\.heading)
        for h in misfits.indices { if let t = to[h] { old[h].put(on: misfits[t]) } }
        // A chain of moves starts at a text that took no headline and ends at a headline that
        // moved nowhere: that headline takes the chain's first text.
        for start in misfits.indices where to[start] != nil && from[start] == nil {
            var last = to[start]!
            while let next = to[last] { last = next }
            old[last].put(on: misfits[start])
        }
    }

    /// The one candidate with the highest score, when that is at least `HanPairs.leastShared`.
    private static func uniqueBest(_ candidates: [Int], by score: (Int) -> Int) -> Int? {
        var best: Int?, top = HanPairs.leastShared - 1, tie = false
        for c in candidates {
            let s = score(c)
            if s > top { best = c; top = s; tie = false } else if s == top { tie = true }
        }
        return tie ? nil : best
    }
}
