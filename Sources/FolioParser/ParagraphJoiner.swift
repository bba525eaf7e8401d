import FolioModel
import FolioText

/// Rejoins paragraphs split at column breaks and puts fragments placed out of order back.
///
/// A paragraph that ends mid-sentence continues in the next paragraph of the flow (captions
/// already taken out), unless a fragment that stood out of place (above the dateline)
/// continues it clearly better by the bigram model learnt from PFR. What cannot be
/// continued is flagged truncated; a paragraph nobody continues into that starts like the
/// middle of a sentence is flagged as an orphan.
struct ParagraphJoiner {
    var model: BigramModel = .shared
    /// A relocated fragment must beat the in-place continuation by this much (log units).
    var relocationMargin = 2.0
    /// ...and must fit at least this well on its own.
    var relocationFloor = 1.0
    /// Out-of-place fragments weighed for one paragraph end (a real page has a handful).
    static let fragmentCandidates = 16

    func join(_ blocks: [DraftBlock], diagnostics: inout [Folio_V1_Diagnostic]) -> [DraftBlock] {
        var used = [Bool](repeating: false, count: blocks.count)
        var continued = [Bool](repeating: false, count: blocks.count)
        var out: [DraftBlock] = []
        var endedAtItem: [Bool] = []  // per block of `out`: a list item ended by a clause mark
        // Fragments not yet put back, in page order; only the first few are candidates, so a
        // page of thousands of fragments still joins in linear time.
        var openFragments = OpenList(blocks.indices.filter { blocks[$0].floating })
        // Each block's table-row gaps, counted once (a block is asked as the next one, then as a start).
        let blockGaps = blocks.map { $0.rowGaps ?? ListItems.rowGaps($0.scalars) }
        for i in blocks.indices where !used[i] && !blocks[i].floating {
            var cur = blocks[i]
            // The table-row test of the paragraph so far, kept as lines join (it was run on the
            // whole growing paragraph at each line: a page of short lines took quadratic time).
            var gaps = blockGaps[i]
            used[i] = true
            var last = i
            var relocated = false
            var itemDone = false
            while cur.kind == .paragraph && !cur.endsSentence {
                let adjacent = relocated ? nil : nextInFlow(after: last, blocks, used)
                var best: (index: Int, score: Double)?
                for j in openFragments.first(Self.fragmentCandidates) {
                    let sc = score(cur, blocks[j])
                    if best == nil || sc > best!.score { best = (j, sc) }
                }
                // The in-place continuation is scored only against a fragment worth moving.
                if let best, best.score >= relocationFloor,
                   best.score >= (adjacent.map { score(cur, blocks[$0]) } ?? -.infinity) + relocationMargin {
                    diagnostics.append(diagnostic(.info, "fragment-relocated", line: blocks[best.index].firstLine,
                                                  "fragment moved to continue the paragraph at line \(cur.firstLine)"))
                    append(blocks[best.index], to: &cur)
                    gaps += blockGaps[best.index]
                    used[best.index] = true
                    openFragments.remove(best.index)
                    continued[best.index] = true
                    last = best.index
                    relocated = true
                } else if let adjacent, !Self.itemEnds(cur.scalars, gaps: gaps, before: blocks[adjacent].scalars,
                                                       beforeGaps: blockGaps[adjacent]) {
                    append(blocks[adjacent], to: &cur)
                    gaps += blockGaps[adjacent]
                    used[adjacent] = true
                    continued[adjacent] = true
                    last = adjacent
                } else {
                    itemDone = adjacent != nil
                    break
                }
            }
            out.append(cur)
            endedAtItem.append(itemDone)
        }
        // Fragments nobody continued stay where they stood (above the dateline).
        let leftovers = blocks.indices.filter { !used[$0] }.map { blocks[$0] }
        out.insert(contentsOf: leftovers, at: 0)
        endedAtItem.insert(contentsOf: [Bool](repeating: false, count: leftovers.count), at: 0)
        for k in out.indices where out[k].kind == .paragraph {
            if !out[k].endsSentence && !endedAtItem[k] {
                out[k].endsMidSentence = true
                diagnostics.append(diagnostic(.warning, "paragraph-truncated", line: out[k].lastLine,
                                              "paragraph ends mid-sentence and no continuation was found"))
            }
            if Self.startsMidSentence(out[k].scalars) {
                out[k].startsMidSentence = true
                diagnostics.append(diagnostic(.warning, "paragraph-orphan", line: out[k].firstLine,
                                              "paragraph starts mid-sentence: its beginning is missing"))
            }
        }
        return out
    }

    private func nextInFlow(after i: Int, _ blocks: [DraftBlock], _ used: [Bool]) -> Int? {
        var j = i + 1
        while j < blocks.count && used[j] { j += 1 }
        guard j < blocks.count, blocks[j].kind == .paragraph, !blocks[j].floating else { return nil }
        // A block opening short of its column opens a paragraph, unless its text cannot open one
        // (`祟。在…`, `好”，…`): the line breaker or justification shortened a cut's rest.
        let b = blocks[j].scalars
        if blocks[j].edges.opens && !CutParagraphs.opensWithWordEnd(b) && !Self.startsMidSentence(b) { return nil }
        return j
    }

    private func score(_ a: DraftBlock, _ b: DraftBlock) -> Double {
        model.joinScore(tail: a.scalars.suffix(2), head: b.scalars.prefix(2))
    }

    private func append(_ b: DraftBlock, to cur: inout DraftBlock) {
        cur.appendLine(b.scalars)
        cur.laterLines.append(b.firstLine)
        cur.laterLines += b.laterLines
    }

    /// A list item ended with a clause mark (`（一）…负总责；`) before the next item (`（二）…`): the
    /// clause mark ends it as a full stop would, and no column break cut it. Likewise a table's rows.
    /// `gaps`: `ListItems.rowGaps(a)`, kept by the caller as `a` grows; `beforeGaps`: `ListItems.rowGaps(b)`.
    static func itemEnds(_ a: [Unicode.Scalar], gaps: Int, before b: [Unicode.Scalar], beforeGaps: Int) -> Bool {
        if gaps >= ListItems.tableRowGaps || beforeGaps >= ListItems.tableRowGaps { return true }  // rows are lines of their own
        guard let last = a.last, "；;，,：:".unicodeScalars.contains(last.mark) else { return false }
        return ListItems.opensNextItem(b)
    }

    /// Starts with punctuation that cannot open a sentence, or closes a quote it never opened.
    static func startsMidSentence(_ s: [Unicode.Scalar]) -> Bool {
        guard let first = s.first else { return false }
        // An ASCII quote before a word opens an English quotation (`"We are…`): it closes nothing.
        let opensLatinQuote = (first == "\"" || first == "'") && s.count > 1 && (CharacterClass.isLatin(s[1]) || CharacterClass.isDigit(s[1]))
        if CharacterClass.cannotStartSentence(first) && !opensLatinQuote { return true }
        for c in s.prefix(24) {
            if c == "“" || c.mark == "《" || c.mark == "「" || c.mark == "（" || c == "(" { return false }
            if c == "”" || c.mark == "》" || c.mark == "」" || c.mark == "）" || c == ")" { return true }
        }
        return false
    }
}

/// Block indices in order with O(1) removal (a linked list over arrays).
private struct OpenList {
    private var next: [Int: Int] = [:]
    private var prev: [Int: Int] = [:]
    private var head: Int?

    init(_ items: [Int]) {
        head = items.first
        for (a, b) in zip(items, items.dropFirst()) { next[a] = b; prev[b] = a }
    }

    func first(_ k: Int) -> [Int] {
        var out: [Int] = []
        var cur = head
        while let c = cur, out.count < k { out.append(c); cur = next[c] }
        return out
    }

    mutating func remove(_ item: Int) {
        let p = prev.removeValue(forKey: item), n = next.removeValue(forKey: item)
        if let p { next[p] = n } else { head = n }
        if let n { prev[n] = p }
    }
}
