import FolioText

/// Paragraphs cut at a column break whose rest the extractor read far away, under another
/// story, are put back together before paragraphs are joined.
///
/// A cut is a paragraph ending an extractor block with a full line and no sentence end, that
/// nothing after it in its story continues; a rest is a paragraph opening a block with a full
/// line, that nothing before it in its story runs into. Each rest goes back to the nearest cut
/// read before it whose last line is as wide as its first (the same column width): `pdftotext`
/// reads down the page before it reads the column beside, so a column's rest comes after its
/// cut, and the cuts of the blocks read in between are mostly continued already. A farther cut
/// wins only when a word runs across it into the rest far more clearly (`BigramModel.joinScore`).
enum CutParagraphs {
    /// Widths differing by less than this (full-width characters) are one column width.
    static let widthSlack: Float = 0.6
    /// The same for a story of bare text opening with the rest (see `isBareText`).
    static let bareTextSlack: Float = 1.2
    /// How many open cuts are weighed for one rest (a page has a handful).
    static let candidates = 8

    /// Returns the articles left: a story of bare text whose first paragraph went back to its
    /// cut goes there whole, and is gone.
    static func rejoin(_ articles: [DraftArticle]) -> [DraftArticle] {
        var open: [Open] = []
        var seen = 0
        var emptied: Set<ObjectIdentifier> = []
        var unpaired: [Unpaired] = []
        for a in articles {
            var k = 0
            while k < a.body.count {
                let b = a.body[k]
                seen += 1
                // Bare text must go on somewhere, and a word cut at the foot runs on: a first line
                // shortened by justification is let in.
                let slack = k == 0 && (isBareText(a) || isWordEndRest(a, k)) ? bareTextSlack : widthSlack
                if isFloatingRest(a, k) {
                    // Fragments read under the headline, before the story's own dateline: the rest
                    // of a cut the headline interrupted, with the lines read on after it.
                    if let c = cut(continuedBy: b, in: open, slack: bareTextSlack) {
                        let (target, at, _) = open.remove(at: c)
                        var n = 0
                        repeat {
                            var block = a.removeBody(at: k)
                            block.floating = false
                            target.insertBody(block, at: at + 1 + n)
                            n += 1
                        } while k < a.body.count && a.body[k].floating
                            && a.body[k].firstLine == target.body[at + n].lastLine + 1
                        for m in open.indices where open[m].article === target && open[m].index > at { open[m].index += n }
                        if isCut(target, at + n) { open.append((target, at + n, seen)) }
                        continue
                    }
                    k += 1
                    continue
                }
                if isRest(a, k) {
                    guard let c = cut(continuedBy: b, in: open, slack: slack) else {
                        unpaired.append((a, b, slack, seen))
                        if isCut(a, k) { open.append((a, k, seen)) }
                        k += 1
                        continue
                    }
                    let (target, at, _) = open.remove(at: c)
                    // Bare text (no headline, no opener of its own) that starts with the rest is
                    // the cut story's next column: all of it goes on there.
                    let whole = k == 0 && target !== a && isBareText(a)
                    let moving = whole ? a.body.count : 1
                    for n in 0..<moving { target.insertBody(a.removeBody(at: k), at: at + 1 + n) }
                    // Positions after the insertion in the same story move down.
                    for n in open.indices where open[n].article === target && open[n].index > at { open[n].index += moving }
                    if whole {
                        for n in (at + 1)..<(at + 1 + moving) where isCut(target, n) { open.append((target, n, seen)) }
                        emptied.insert(ObjectIdentifier(a))
                        break
                    }
                    // A rest cut again at its own block end (a paragraph over three columns) waits
                    // for its own rest, read later.
                    if isCut(target, at + 1) { open.append((target, at + 1, seen)) }
                    if target === a { k += 1 }
                    continue
                }
                if isCut(a, k) { open.append((a, k, seen)) }
                k += 1
            }
        }
        laterCuts(open, unpaired, &emptied)
        return emptied.isEmpty ? articles : articles.filter { !emptied.contains(ObjectIdentifier($0)) }
    }

    /// An open cut: its story, its paragraph's place there, when it was read (blocks read so far).
    typealias Open = (article: DraftArticle, index: Int, seq: Int)
    /// A rest no cut read before it took: its story, its paragraph (found again by its first line
    /// when it moves), its width slack, when it was read.
    typealias Unpaired = (article: DraftArticle, rest: DraftBlock, slack: Float, seq: Int)

    /// How well the halves of a paragraph must read as one text for a rest to go back to a cut
    /// read after it (`laterCuts`): no nearness vouches for the pair.
    static let laterJoin = 0.0

    /// Cuts still open at the page's end whose rest was read before them: `pdftotext` read a
    /// column before the one left of it (a story's columns beside a picture or a box). Each takes,
    /// in reading order, the unpaired rest read before it, as wide as its last line, whose first
    /// characters run on from its last best, when they run on well enough (`laterJoin`).
    private static func laterCuts(_ open: [Open], _ unpaired: [Unpaired], _ emptied: inout Set<ObjectIdentifier>,
                                  model: BigramModel = .shared) {
        guard !open.isEmpty, !unpaired.isEmpty else { return }
        var taken = [Bool](repeating: false, count: unpaired.count)
        var work = open.map { (article: $0.article, line: $0.article.body[$0.index].firstLine, seq: $0.seq) }
        var w = 0
        while w < work.count {
            let (target, line, seq) = work[w]
            w += 1
            guard let at = target.body.firstIndex(where: { $0.firstLine == line }) else { continue }
            let cut = target.body[at]
            var best: (n: Int, score: Double)?
            for n in unpaired.indices where !taken[n] && unpaired[n].seq < seq {
                let r = unpaired[n]
                guard abs(cut.edges.lastWidth - r.rest.edges.firstWidth) < r.slack else { continue }
                let score = model.joinScore(tail: cut.scalars[...], head: r.rest.scalars[...])
                if score >= (best?.score ?? laterJoin) { best = (n, score) }
            }
            guard let best else { continue }
            taken[best.n] = true
            let source = unpaired[best.n].article
            let restLine = unpaired[best.n].rest.firstLine
            // A story of bare text gone whole to another cut took the rest along.
            guard !emptied.contains(ObjectIdentifier(source)),
                  let k = source.body.firstIndex(where: { $0.firstLine == restLine }) else { continue }
            // Bare text opening with the rest goes whole, as when the cut is read first.
            let whole = k == 0 && source !== target && isBareText(source)
            var moving: [DraftBlock] = []
            for _ in 0..<(whole ? source.body.count : 1) { moving.append(source.removeBody(at: k)) }
            // Found again: taking the rest out of the same story may have moved the cut up.
            let after = target.body.firstIndex(where: { $0.firstLine == line })! + 1
            for (n, block) in moving.enumerated() {
                target.insertBody(block, at: after + n)
                if isCut(target, after + n) { work.append((target, block.firstLine, seq)) }
            }
            if whole { emptied.insert(ObjectIdentifier(source)) }
        }
    }

    /// How much better another cut's last words must run on into the rest than the nearest's.
    static let betterJoin = 2.0

    /// The open cut a rest goes back to: of the last `candidates` cuts as wide as its first line,
    /// the nearest, unless another one's last characters run on into the rest's first clearly
    /// better (`…棉帐篷` + `里，很快…` over `…１１月２` + `里，很快…`).
    private static func cut(continuedBy rest: DraftBlock, in open: [Open], slack: Float,
                            model: BigramModel = .shared) -> Int? {
        var nearest: (index: Int, score: Double)?
        var best: (index: Int, score: Double)?
        for c in open.indices.suffix(candidates).reversed() {
            let cut = open[c].article.body[open[c].index]
            guard abs(cut.edges.lastWidth - rest.edges.firstWidth) < slack else { continue }
            let score = model.joinScore(tail: cut.scalars[...], head: rest.scalars[...])
            if nearest == nil { nearest = (c, score) }
            if best == nil || score > best!.score { best = (c, score) }
        }
        guard let nearest, let best else { return nil }
        return best.score >= nearest.score + betterJoin ? best.index : nearest.index
    }

    /// An article of body text only: no headline, kicker, subtitle, author, dateline, lead or
    /// caption of its own.
    static func isBareText(_ a: DraftArticle) -> Bool {
        a.headline.isEmpty && a.kicker.isEmpty && a.subtitle.isEmpty && a.bylines.isEmpty && a.dateline == nil
            && a.lead.isEmpty && a.captions.isEmpty
    }

    /// A paragraph cut at a block end that the paragraph joiner would not continue in its story.
    private static func isCut(_ a: DraftArticle, _ k: Int) -> Bool {
        let b = a.body[k]
        guard b.kind == .paragraph, b.edges.cut, !b.floating, !b.endsSentence else { return false }
        guard k + 1 < a.body.count else { return true }
        let next = a.body[k + 1]
        return next.kind != .paragraph || next.floating || next.edges.opens
    }

    /// A paragraph opening a block with a full line that nothing before it in its story runs into;
    /// or a headline's first paragraph that opens with a word's last glyph (`opensWithWordEnd`).
    private static func isRest(_ a: DraftArticle, _ k: Int) -> Bool {
        let b = a.body[k]
        guard b.kind == .paragraph, !b.floating else { return false }
        if isWordEndRest(a, k) { return true }
        guard b.edges.continues else { return false }
        guard k > 0 else { return a.lead.isEmpty }
        let before = a.body[k - 1]
        return before.kind != .paragraph || before.endsSentence
    }

    /// A story's first paragraph, read under its headline before its dateline came (floated), whose
    /// first line is not short by an indent.
    private static func isFloatingRest(_ a: DraftArticle, _ k: Int) -> Bool {
        guard k == 0, a.dateline != nil, a.body[k].kind == .paragraph, a.body[k].floating else { return false }
        return !a.body[k].edges.opens && a.body[k].edges.firstWidth > 0
    }

    /// A headline's first paragraph (no dateline, no lead) opening with a word's last glyph.
    private static func isWordEndRest(_ a: DraftArticle, _ k: Int) -> Bool {
        k == 0 && a.lead.isEmpty && a.dateline == nil && !a.headline.isEmpty && k < a.body.count
            && a.body[k].kind == .paragraph && opensWithWordEnd(a.body[k].scalars)
    }

    /// One glyph, then a clause or sentence mark (`遍。如饥似渴…`, `模，使…`): no sentence opens
    /// so; it is the last glyph of a word cut at a column foot, whose rest the extractor read
    /// under another story's headline in the same block.
    static func opensWithWordEnd(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 4, CharacterClass.isHan(s[0]) else { return false }
        let m = s[1].mark
        return m == "，" || m == "。" || m == "、" || m == "；"
    }
}
