/// Placed lines → page text in the form the parser reads best: one block per line (a whole
/// paragraph, headline, caption…), blocks separated by a blank line.
struct SeedWriter {
    let bodySize: Double

    /// A block being gathered: its style and its lines in reading order.
    private struct Block {
        var style: LineStyle
        var lines: [PlacedLine]
    }

    func text(_ placed: [PlacedLine]) -> String {
        let blocks = gather(placed)
        var out: [String] = []
        for block in blocks where block.style != .pictureLabel {
            let joined = Self.join(block.lines.map(\.line.text))
            if !joined.isEmpty { out.append(joined) }
        }
        return out.joined(separator: "\n\n") + (out.isEmpty ? "" : "\n")
    }

    private func gather(_ placed: [PlacedLine]) -> [Block] {
        var blocks: [Block] = []
        for line in placed {
            let style = LineStyle.of(line, bodySize: bodySize)
            if var last = blocks.last, last.style == style, continues(last, with: line) {
                last.lines.append(line)
                blocks[blocks.count - 1] = last
            } else {
                blocks.append(Block(style: style, lines: [line]))
            }
        }
        return blocks
    }

    /// Whether `next` goes on in the block: flowing text goes on across a column break unless a
    /// paragraph ended (short last line) or starts (indent); display lines go on only right below.
    private func continues(_ block: Block, with next: PlacedLine) -> Bool {
        guard let previous = block.lines.last else { return false }
        let em = max(next.line.size, bodySize * 0.5)
        switch block.style {
        case .body, .caption:
            let endedShort = previous.columnRight - previous.line.x1 > 1.0 * em
            let indented = next.line.x0 - next.columnLeft > 1.5 * em
            return !endedShort && !indented
        case .flushRight, .rubric, .pictureLabel:
            return false
        case .headline, .deck, .byline, .subheading:
            let below = next.line.y0 - previous.line.y1
            let overlapX = min(next.line.x1, previous.line.x1) - max(next.line.x0, previous.line.x0)
            return below >= -0.2 * em && below < 0.8 * em && overlapX > 0
        }
    }

    /// Visual lines of one block as one line: CJK joins directly, Latin words keep a space.
    static func join(_ parts: [String]) -> String {
        var out = ""
        for part in parts {
            let piece = part.trimmingCharacters(in: .whitespaces)
            if let last = out.last, let first = piece.first, last.isASCII && last.isLetter && first.isASCII && first.isLetter {
                out.append(" ")
            }
            out += piece
        }
        return out
    }
}
