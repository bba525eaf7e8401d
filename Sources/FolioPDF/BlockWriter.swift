import Foundation

/// Placed lines → role-marked blocks: lines of one style that follow on gather into a block
/// (a whole paragraph across column breaks, a headline over several lines), then each block
/// gets its role from its style and its neighbours.
struct BlockWriter {
    let bodySize: Double
    /// The page's image boxes: text right under or beside one is its caption.
    var images: [Box] = []

    /// Lines of one style in reading order.
    struct Block {
        var style: LineStyle
        var lines: [PlacedLine]

        var text: String {
            var parts: [String] = []
            for (i, placed) in lines.enumerated() {
                // Pieces of one row (split at an ideographic space) keep a space between them.
                if i > 0, BlockWriter.sameRow(lines[i - 1].line, placed.line) { parts[parts.count - 1] += "\u{3000}" }
                parts.append(placed.line.text)
            }
            return BlockWriter.join(parts)
        }
        var first: PlacedLine { lines[0] }
        var last: PlacedLine { lines[lines.count - 1] }
    }

    /// A caption this close above a headline (in body em) belongs to the story under it.
    static let captionAboveHeadlineEm = 0.9

    func blocks(_ placed: [PlacedLine]) -> [PDFBlock] {
        let gathered = bridgingCaptions(withoutPullQuotes(withTableHeads(gather(placed))))
        var out: [PDFBlock] = []
        var rubricRegion: Int?
        var inLead = false
        var captioning = false
        for (index, block) in gathered.enumerated() {
            let text = block.text
            if text.isEmpty { continue }
            if let region = rubricRegion, !block.first.regions.contains(region) {
                out.append(PDFBlock(.endRubric, ""))
                rubricRegion = nil
            }
            var role = self.role(of: block, text: text, previous: index > 0 ? gathered[index - 1] : nil,
                                 next: index + 1 < gathered.count ? gathered[index + 1] : nil, inLead: &inLead)
            // Under a picture-only item's title (标题（图片）) its text is the photo's caption, in
            // whatever type, up to the credit that ends it.
            if captioning, [.paragraph, .subheading, .caption, .captionNext].contains(role) {
                if Self.endsWithCredit(text) { captioning = false }
                if let last = out.last, last.role == .caption, index > 0, gathered[index - 1].style == block.style {
                    // Lines of one caption that the type made blocks of their own (heavy lines part).
                    out[out.count - 1] = PDFBlock(.caption, Self.join([last.text, text]))
                    continue
                }
                role = .caption
            } else {
                captioning = role == .headline && Self.isPictureItem(text)
            }
            if role == .rubric {
                if rubricRegion != nil { out.append(PDFBlock(.endRubric, "")) }
                // The module is what the story's text shares with the rubric, not only its headline.
                let storyText = gathered[(index + 1)...].first { ![.headline, .deck, .rubric, .pictureLabel].contains($0.style) }
                rubricRegion = scope(ofRubric: block, next: storyText ?? (index + 1 < gathered.count ? gathered[index + 1] : nil))
            }
            out.append(PDFBlock(role, text))
        }
        if rubricRegion != nil { out.append(PDFBlock(.endRubric, "")) }
        return out
    }

    private func role(of block: Block, text: String, previous: Block?, next: Block?, inLead: inout Bool) -> PDFBlock.Role {
        let wasInLead = inLead
        inLead = false
        switch block.style {
        case .rubric:
            // A summary box's heading set as a bar.
            if text.trimmingCharacters(in: .whitespaces) == Self.leadHeading {
                inLead = true
                return .leadMarker
            }
            return .rubric
        case .headline:
            // A smaller display line right over a headline is its kicker, right under it its subtitle
            // (a picture-only item's title, 标题（图片）, is an item of its own).
            if Self.isPictureItem(text) { return .headline }
            if isSubheadingInStory(block, previous: previous, next: next) { return .subheading }
            if let next, next.style == .headline, next.first.line.size > Self.titleSizeStep * block.last.line.size
                || Self.endsWithDash(text), Self.rightBelow(block.last, next.first) { return .kicker }
            if let previous, previous.style == .headline, previous.last.line.size > Self.titleSizeStep * block.first.line.size
                || Self.opensWithDash(text), Self.rightBelow(previous.last, block.first) { return .subtitle }
            return .headline
        case .deck:
            if Self.endsWithDash(text) { return .kicker }
            if Self.opensWithDash(text) { return .subtitle }
            return next?.style == .headline ? .kicker : .subtitle
        case .byline: return .byline
        case .subheading:
            // Right under a summary box's heading, heavy text is the summary set bold.
            if wasInLead, previous?.text.trimmingCharacters(in: .whitespaces) == Self.leadHeading {
                inLead = true
                return .lead
            }
            // A heading is a line or two: a longer run of heavy text is a paragraph set bold.
            if block.lines.count > Self.longestSubheadingLines { return .paragraph }
            if Self.isJumpLine(text) { return .jump }
            // Under a title, before any text: its authors (某某　某某, 某某行长　某某) in heavy type.
            if let previous, [.headline, .deck].contains(previous.style), Self.isNameLine(text) { return .byline }
            if text.trimmingCharacters(in: .whitespaces) == Self.leadHeading {
                inLead = true
                return .leadMarker
            }
            return .subheading
        case .body:
            if captionsImage(block, text: text, previous: previous) { return .caption }
            if wasInLead && !isIndented(block.first) {
                inLead = true
                return .lead
            }
            return .paragraph
        case .caption:
            // Right under a title of its own (a photo item's), a caption is that item's.
            if let previous, previous.style == .headline, Self.rightBelow(previous.last, block.first) { return .caption }
            return captionHeadsNext(block, next) ? .captionNext : .caption
        case .pictureLabel:
            // A place's name on a photo of a series; longer text in that type is a caption set in a
            // sans face (nothing of a page is dropped for its type).
            return Self.isPlaceLabel(text) ? .label : .caption
        case .flushRight:
            if Self.isJumpLine(text) { return .jump }
            return .byline  // a line of prose set flush right is text again in LaidOutBuilder
        }
    }

    /// Heavy type under this many body sizes, between paragraphs, is a heading inside the story.
    static let subheadingRatio = 1.15

    /// A heading inside a story set a little larger than the body (another typesetter's 1.08×):
    /// heavy, a line or two within its column, with body text right before and after it. A new
    /// story's title sits under a rule or a gap, or is larger.
    func isSubheadingInStory(_ block: Block, previous: Block?, next: Block?) -> Bool {
        guard let previous, previous.style == .body, let next, next.style == .body,
              block.lines.count <= Self.longestSubheadingLines else { return false }
        return block.lines.allSatisfy { placed in
            placed.line.heavy && placed.line.size < Self.subheadingRatio * bodySize
                && placed.line.x1 - placed.line.x0 <= placed.columnRight - placed.columnLeft + 1
        }
    }

    /// Han characters a place label of a photo series has at most (`黑龙江`, `内蒙古`).
    static let placeLabelMax = 4

    static func isPlaceLabel(_ text: String) -> Bool {
        let s = text.unicodeScalars.filter { !$0.properties.isWhitespace }
        return !s.isEmpty && s.count <= placeLabelMax && s.allSatisfy { $0.properties.isIdeographic }
    }

    /// The region a rubric heads: the innermost one it shares with what follows it (its module).
    private func scope(ofRubric rubric: Block, next: Block?) -> Int? {
        guard let next else { return rubric.first.regions.last }
        return rubric.first.regions.last { next.first.regions.contains($0) } ?? rubric.first.regions.last
    }

    /// Text set right under an image box (or beside it, level with it) that ends with the
    /// photographer's credit `（…摄）`, or is short, flush left and not the rest of a paragraph cut
    /// by the image: the image's caption, whatever its type size.
    private func captionsImage(_ block: Block, text: String, previous: Block?) -> Bool {
        let first = block.first.line
        let em = bodySize
        let credited = text.hasSuffix("摄）") || text.hasSuffix("攝）") || text.hasSuffix("摄)") || text.hasSuffix("攝)")
        if !credited {
            guard block.lines.count <= Self.captionLinesMax, !isIndented(block.first) else { return false }
            if let previous, previous.style == .body,
               previous.last.columnRight - previous.last.line.x1 <= Self.shortLineEm * em { return false }
        }
        return images.contains { image in
            let overlapX = min(first.x1, image.x1) - max(first.x0, image.x0)
            let under = first.y0 - image.y1 > -0.3 * em && first.y0 - image.y1 < Self.captionGapEm * em
                && overlapX > 0.5 * min(first.x1 - first.x0, image.x1 - image.x0)
            let beside = first.x0 - image.x1 > -0.3 * em && first.x0 - image.x1 < Self.captionGapEm * em
                && first.y0 >= image.y0 - 0.3 * em && first.y1 <= image.y1 + 0.3 * em
            return under || beside
        }
    }

    /// A paragraph that goes on past a photo's caption — under it in the same column, or at the
    /// top of the next column under the photo — is one paragraph: the caption is read after it.
    /// It goes on when its last line before the caption is full and the text after the caption
    /// starts flush (as across a column break), in the flow after it (right of it, or below it).
    private func bridgingCaptions(_ gathered: [Block]) -> [Block] {
        var blocks = gathered
        var k = 0
        while k < blocks.count {
            guard blocks[k].style == .body, !isCaption(blocks, k) else { k += 1; continue }
            var j = k + 1
            while j < blocks.count, isCaption(blocks, j) { j += 1 }
            guard j > k + 1, j < blocks.count, blocks[j].style == .body, goesOn(blocks[k].last, blocks[j].first) else {
                k += 1
                continue
            }
            // Stay on the paragraph: it may go on past another caption.
            blocks[k].lines += blocks.remove(at: j).lines
            // Pieces of a caption the paragraph's lines were read between are one caption again.
            if j < blocks.count, blocks[j].style == blocks[j - 1].style, isCaption(blocks, j),
               continues(blocks[j - 1], with: blocks[j].first) {
                blocks[j - 1].lines += blocks.remove(at: j).lines
            }
        }
        return blocks
    }

    /// A table's head row: heavy small words (a picture's label by their type) on one row, each
    /// right over a column of cells set flush under it in caption type. A head is read with its
    /// cells, as the table's text (a photo's place label has one caption under it, not cells).
    private func withTableHeads(_ gathered: [Block]) -> [Block] {
        var blocks = gathered
        var k = 0
        while k + 1 < blocks.count {
            let head = blocks[k].first, cells = blocks[k + 1]
            // Another head on its row: a head row, not a photo's label alone.
            let inRow = { gathered.contains { other in
                other.style == .pictureLabel && other.first.line.x0 != head.line.x0
                    && min(other.first.line.y1, head.line.y1) - max(other.first.line.y0, head.line.y0) > 0.5 * head.line.height
            } }
            if blocks[k].style == .pictureLabel, blocks[k].lines.count == 1, cells.style == .caption, cells.lines.count >= 2,
               Self.rightBelow(head, cells.first), cells.lines.allSatisfy({ abs($0.line.x0 - head.line.x0) < 0.5 * bodySize }),
               inRow() {
                blocks[k + 1].lines.insert(head, at: 0)
                blocks.remove(at: k)
            }
            k += 1
        }
        return blocks
    }

    /// A pull quote (引语): display type a few lines long set within one column of running text,
    /// body text right before and after it, a sentence (quoted, or with clause marks: a headline
    /// the story's first paragraph repeats has none) that repeats the story's own words. It is no
    /// new story's title; its words are the story's, so it is left out, and a paragraph it was set
    /// inside goes on past it.
    private func withoutPullQuotes(_ gathered: [Block]) -> [Block] {
        var blocks = gathered
        var k = 1
        while k + 1 < blocks.count {
            guard [.headline, .deck].contains(blocks[k].style), blocks[k - 1].style == .body, blocks[k + 1].style == .body,
                  blocks[k].lines.count <= Self.pullQuoteLinesMax,
                  blocks[k].lines.allSatisfy({ $0.line.x1 - $0.line.x0 <= $0.columnRight - $0.columnLeft + 1 }),
                  repeatsStory(blocks, k) else { k += 1; continue }
            blocks.remove(at: k)
            if goesOn(blocks[k - 1].last, blocks[k].first) { blocks[k - 1].lines += blocks.remove(at: k).lines }
        }
        return blocks
    }
    static let pullQuoteLinesMax = 4
    /// Characters of a pull quote's opening looked for in the story's text.
    static let pullQuoteProbe = 12

    /// Whether block `k`'s words (quotation marks aside) open with words of the running text before
    /// it, up to the headline above; or, set in quotation marks, of the text after it (a new
    /// story's headline may open its own first paragraph, never the story's above it).
    private func repeatsStory(_ blocks: [Block], _ k: Int) -> Bool {
        let marks: Set<Character> = ["“", "”", "‘", "’", "「", "」", "『", "』", "\"", "'", " ", "\u{3000}"]
        let text = blocks[k].text
        let quoted = (text.hasPrefix("“") && text.hasSuffix("”")) || (text.hasPrefix("「") && text.hasSuffix("」"))
        guard quoted || text.contains(where: { "，。：；！？".contains($0) }) else { return false }
        let words = String(text.filter { !marks.contains($0) }.prefix(Self.pullQuoteProbe))
        guard words.count == Self.pullQuoteProbe else { return false }
        let before = blocks[..<k].reversed().prefix { $0.style != .headline }
        let after = blocks[(k + 1)...].prefix { $0.style != .headline }
        let repeats = { (block: Block) in block.style == .body && block.text.filter { !marks.contains($0) }.contains(words) }
        return before.contains(where: repeats) || (quoted && after.contains(where: repeats))
    }

    /// Whether block `index` is a caption: in caption type, or text the image over it captions.
    private func isCaption(_ blocks: [Block], _ index: Int) -> Bool {
        let block = blocks[index]
        switch block.style {
        case .caption: return true
        case .pictureLabel: return true
        case .body: return captionsImage(block, text: block.text, previous: index > 0 ? blocks[index - 1] : nil)
        default: return false
        }
    }

    /// `next` goes on from `last` across something set between them: `last` is full, `next` flush
    /// left in its column, and next to it in the flow (in a column right of it, or below it).
    private func goesOn(_ last: PlacedLine, _ next: PlacedLine) -> Bool {
        let em = bodySize
        guard max(last.line.size, next.line.size) <= 1.05 * min(last.line.size, next.line.size) else { return false }
        let full = last.columnRight - last.line.x1 <= Self.shortLineEm * em
        let indented = next.line.x0 - next.columnLeft > 1.5 * em
        guard full, !indented else { return false }
        return next.line.x0 >= last.line.x1 - em || next.line.y0 >= last.line.y1 - 0.5 * last.line.height
    }

    /// A caption without a credit is at most this many lines.
    static let captionLinesMax = 4
    /// White space between an image and its caption, at most (in body em).
    static let captionGapEm = 1.2

    /// Whether an image box stands between two lines of a column (the text goes on under a photo).
    private func imageBetween(_ upper: TextLine, _ lower: TextLine) -> Bool {
        images.contains { image in
            image.y0 >= upper.y1 - 1 && image.y1 <= lower.y0 + 1
                && min(image.x1, lower.x1) - max(image.x0, lower.x0) > 0
        }
    }

    /// A caption right above a headline (a photo over the story's title) belongs to that story.
    private func captionHeadsNext(_ caption: Block, _ next: Block?) -> Bool {
        guard let next, next.style == .headline || next.style == .deck else { return false }
        let gap = next.first.line.y0 - caption.last.line.y1
        let overlap = min(next.first.line.x1, caption.last.line.x1) - max(next.first.line.x0, caption.last.line.x0)
        return gap >= -1 && gap < Self.captionAboveHeadlineEm * bodySize && overlap > 0
    }

    /// The caption block a credit line (`（…摄）`) sits right under, among the last few blocks.
    private func creditsCaption(_ line: PlacedLine, in blocks: [Block]) -> Int? {
        let text = line.line.text.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("（") || text.hasPrefix("("), text.hasSuffix("摄）") || text.hasSuffix("攝）") || text.hasSuffix("摄)") || text.hasSuffix("攝)")
        else { return nil }
        for k in blocks.indices.reversed().prefix(Self.creditLookBack) where [.caption, .pictureLabel].contains(blocks[k].style) {
            let above = blocks[k].last.line
            let gap = line.line.y0 - above.y1
            if gap >= -0.5 * above.height && gap < 0.8 * above.size && line.line.x0 > above.x0 { return k }
        }
        return nil
    }
    static let creditLookBack = 4

    private func isIndented(_ line: PlacedLine) -> Bool {
        line.line.x0 - line.columnLeft > 1.5 * bodySize
    }

    private func gather(_ placed: [PlacedLine]) -> [Block] {
        var blocks: [Block] = []
        var leadEnds = -1  // the last line of a heavy lead-in found above
        for (k, line) in placed.enumerated() {
            var style = LineStyle.of(line, bodySize: bodySize)
            if style == .subheading {
                if k <= leadEnds { style = .body }
                else if let end = leadIn(placed, at: k) {
                    style = .body
                    leadEnds = end
                } else if Self.isBracketedNames(line.line.text) { style = .byline }
            }
            // The rubric's Latin name is set smaller on the same row.
            let rubricTail = blocks.last?.style == .rubric && Self.sameRow(blocks.last!.last.line, line.line)
                && line.line.x0 - blocks.last!.last.line.x1 < Self.rowGapEm * bodySize
            if var last = blocks.last, last.style == style || rubricTail, rubricTail || continues(last, with: line) {
                last.lines.append(line)
                blocks[blocks.count - 1] = last
            } else if style == .caption || style == .pictureLabel, let k = creditsCaption(line, in: blocks) {
                // A photo's credit set on a line of its own, flush right under its caption, may be
                // read in the next column: it ends that caption.
                blocks[k].lines.append(line)
            } else {
                blocks.append(Block(style: style, lines: [line]))
            }
        }
        return blocks
    }

    /// A paragraph that opens with a run of heavy type (a dateline, 本报北京1月5日电, set bold):
    /// the heavy run ends within the line, or fills it and goes on into the next, body line.
    /// A subheading is heavy to its end and the text under it starts in body type.
    /// Returns the index of the run's last heavy line, nil for a heading.
    private func leadIn(_ placed: [PlacedLine], at k: Int) -> Int? {
        var line = placed[k]
        let opensParagraph = isIndented(line) && line.line.x0 - line.columnLeft < 3 * bodySize
        for n in (k + 1)..<min(k + Self.longestHeavyLead, placed.count) + 1 {
            guard let last = line.line.glyphs.last else { return nil }
            if !last.heavy { return n - 1 }
            guard n < placed.count else { return nil }
            let next = placed[n]
            let gap = next.line.y0 - line.line.y1
            guard let first = next.line.glyphs.first, abs(next.line.size - line.line.size) < 0.05 * bodySize,
                  abs(next.columnLeft - line.columnLeft) < 0.5 * bodySize, gap > -0.2 * bodySize, gap < 0.8 * bodySize,
                  line.columnRight - line.line.x1 < Self.shortLineEm * bodySize else { return nil }
            // The heavy run ends with a full line, a paragraph's first line indented above it and
            // its text going on flush under it.
            if !first.heavy {
                return opensParagraph && !isIndented(next) && LineStyle.of(next, bodySize: bodySize) == .body ? n - 1 : nil
            }
            line = next
        }
        return nil
    }
    static let leadHeading = "核心提示"

    /// `（下转第三版）`, `（上接第一版）`: the story goes on elsewhere.
    static func isJumpLine(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespaces)
        return (t.hasPrefix("（下转") || t.hasPrefix("（上接") || t.hasPrefix("（转")) && t.hasSuffix("）") && t.count <= 16
    }

    /// Names apart by spaces, the last a name of two or three characters (a four-character last
    /// part is a heading's phrase: 抓好春耕　保障供应), no punctuation but the middle dot.
    static func isNameLine(_ text: String) -> Bool {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "　" })
        guard parts.count >= 2, parts.count <= 6, let last = parts.last, (2...3).contains(last.count) else { return false }
        return parts.allSatisfy { $0.count <= 12 && $0.allSatisfy { $0.isLetter || $0 == "·" } }
    }
    static let longestSubheadingLines = 2

    /// A photo credit closing a caption: （新华社记者某某摄）, （新华社发美联社照片）.
    static func endsWithCredit(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.hasSuffix("）") || t.hasSuffix(")"), let open = t.lastIndex(where: { $0 == "（" || $0 == "(" }) else { return false }
        let inner = t[t.index(after: open)...].dropLast()
        return inner.hasSuffix("摄") || inner.hasSuffix("攝") || inner.hasSuffix("照片") || inner.hasSuffix("供图") || inner.hasSuffix("供圖")
    }
    /// Lines a heavy lead-in may fill before the text goes on in body type.
    static let longestHeavyLead = 3

    /// A line of names in brackets, （孟西安　祁勇）: the reporters of the story above, in any type.
    static func isBracketedNames(_ text: String) -> Bool {
        let inner = text.trimmingCharacters(in: .whitespaces)
        guard inner.hasPrefix("（"), inner.hasSuffix("）"), !isJumpLine(inner) else { return false }
        let names = inner.dropFirst().dropLast()
        return (2...16).contains(names.count) && names.allSatisfy { $0.isLetter || $0 == " " || $0 == "　" || $0 == "、" || $0 == "·" }
    }

    /// Whether `next` goes on in the block: flowing text goes on across a column break unless a
    /// paragraph ended (short last line) or starts (indent); display lines go on only right below.
    private func continues(_ block: Block, with next: PlacedLine) -> Bool {
        let previous = block.last
        let em = bodySize
        if block.style != .body, Self.sameRow(previous.line, next.line) {
            let gap = next.line.x0 - previous.line.x1
            return gap > -0.1 * em && gap < Self.rowGapEm * next.line.size
        }
        if imageBetween(previous.line, next.line) { return false }
        switch block.style {
        case .body, .caption, .pictureLabel:
            // CJK lines are not stretched: a full line may stop up to a glyph or two short. A caption
            // is set to its photo's width, which may be narrower than the column it was read in (a
            // caption in a sans face reads as a picture's label line by line: a label stops short).
            let right = block.style != .body ? block.lines.map(\.line.x1).max() ?? previous.columnRight : previous.columnRight
            // A line that stops short because the next line's first word (a Latin word, which is
            // not broken) did not fit in the room left goes on.
            let shortBy = right - previous.line.x1
            let endedShort = shortBy > Self.shortLineEm * em
                && (shortBy >= Self.leadingWordWidth(next.line) + Self.wordSpaceEm * em || Self.endsSentence(previous.line.text))
            let indented = next.line.x0 - next.columnLeft > 1.5 * em
            return !endedShort && !indented
        case .flushRight, .rubric:
            return false
        case .headline, .deck, .byline, .subheading:
            // A picture-only item (标题（图片）) is complete in itself.
            if block.style == .headline, Self.isPictureItem(previous.line.text) { return false }
            // A subheading that stops short of its column is whole: what is under it is another.
            if block.style == .subheading,
               previous.line.x1 - previous.line.x0 < 0.85 * (previous.columnRight - previous.columnLeft) {
                return false
            }
            // Display lines of clearly different sizes are different titles (a kicker over its
            // headline, a subtitle under it), however close; so are a kicker's line ending in a dash
            // and the line under it, and a subtitle's line opening with one and the line over it.
            if block.style != .subheading, Self.endsWithDash(previous.line.text) || Self.opensWithDash(next.line.text) {
                return false
            }
            let sizes = (previous.line.size, next.line.size)
            if max(sizes.0, sizes.1) > Self.titleSizeStep * min(sizes.0, sizes.1) { return false }
            return Self.rightBelow(previous, next, within: 0.8 * next.line.size)
        }
    }

    /// The width of a line's first unbreakable run: a Latin word with the brackets and marks that
    /// hold on to it (（Reuters）), else its first glyph.
    static func leadingWordWidth(_ line: TextLine) -> Double {
        let g = line.glyphs
        guard let first = g.first else { return 0 }
        var end = 0
        while end + 1 < g.count, g[end + 1].character.isASCII, !g[end + 1].character.isWhitespace,
              g[end + 1].x0 - g[end].x1 < 0.2 * g[end + 1].size, g[end].character.isASCII || end == 0 && isOpening(g[end].character) {
            end += 1
        }
        if g[end].character.isASCII {
            while end + 1 < g.count, g[end + 1].isClosingMark { end += 1 }
        }
        return g[end].x1 - first.x0
    }
    /// Room for the word space before a Latin word (in body em).
    static let wordSpaceEm = 0.5
    static func isOpening(_ c: Character) -> Bool { "（(《“「『‘".contains(c) }

    /// A line ending a sentence (。！？ and a closing quote after one) may end its paragraph, however the next line opens.
    static func endsSentence(_ text: String) -> Bool {
        let core = text.reversed().drop { $0 == " " || $0 == "\u{3000}" || "”’」』）)".contains($0) }
        return core.first.map { "。！？!?".contains($0) } ?? false
    }

    /// `lower` starts under `upper`, overlapping it across, less than `within` (points) below it
    /// (by default a line of the larger type).
    static func rightBelow(_ upper: PlacedLine, _ lower: PlacedLine, within: Double? = nil) -> Bool {
        let below = lower.line.y0 - upper.line.y1
        let overlapX = min(lower.line.x1, upper.line.x1) - max(lower.line.x0, upper.line.x0)
        let reach = within ?? 1.2 * max(upper.line.size, lower.line.size)
        return below >= -0.5 * upper.line.height && below < reach && overlapX > 0
    }

    static func endsWithDash(_ text: String) -> Bool { text.hasSuffix("——") || text.hasSuffix("--") }
    static func opensWithDash(_ text: String) -> Bool { text.hasPrefix("——") || text.hasPrefix("--") }

    /// A picture-only item's title (标题（图片）): complete in itself, never another title's part.
    static func isPictureItem(_ text: String) -> Bool {
        text.hasSuffix("（图片）") || text.hasSuffix("（圖片）")
    }

    /// Display lines whose sizes differ by more than this ratio are separate titles.
    static let titleSizeStep = 1.15
    /// Widest gap between pieces of one row of display type, bylines or captions (in their em).
    static let rowGapEm = 2.5
    /// A line of flowing text stopping this far (in body em) before its column's edge ends a paragraph.
    static let shortLineEm = 3.6

    static func sameRow(_ a: TextLine, _ b: TextLine) -> Bool {
        let overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
        return overlap > 0.5 * min(a.height, b.height) && b.x0 >= a.x1 - 1
    }

    /// Visual lines of one block as one line: CJK joins directly, Latin words keep a space.
    static func join(_ parts: [String]) -> String {
        var out = ""
        for part in parts {
            let piece = part.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
            if let last = out.last, let first = piece.first, last.isASCII && last.isLetter && first.isASCII && first.isLetter {
                out.append(" ")
            }
            out += piece
        }
        return out
    }
}
