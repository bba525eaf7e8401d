import FolioText

/// The page's lines in the parser's form (one line per paragraph or title), whatever wrote
/// them: the one-paragraph-per-line form as it is, extractor output re-flowed, `-layout`
/// output split into columns first. The page header is taken off the top.
enum PageLines {
    /// `reflowed`: the text was extractor output (visual lines joined back into paragraphs).
    /// `script`: the text's `ScriptStats.count`, taken while its lines are read.
    static func read(_ text: String) -> (blocks: [SourceBlock], lineCount: Int, masthead: Masthead?, reflowed: Bool,
                                         dropped: SourceLines.DroppedControls, script: ScriptStats) {
        let read = SourceLines.blocksAndScript(of: text)
        var blocks = read.blocks
        let (lineCount, dropped, script) = (read.lineCount, read.dropped, read.script)
        let masthead = Masthead.find(in: blocks)
        let headerEnd: UInt32 = masthead.map { $0.blockCount > 0 ? blocks[$0.blockCount - 1].line : 0 } ?? 0
        let layout = LayoutColumns.looksLayout(text)
        // The one-paragraph-per-line form with no header stays as read unless it is extractor
        // output: no copy of its lines is made to find that out.
        if !layout && headerEnd == 0 {
            let asRead = blocks.lazy.map { VisualLine(line: $0.line, gapBefore: $0.gapBefore, scalars: $0.scalars, indented: nil) }
            if InterleavedColumns.mayHold(asRead) {
                let untangled = InterleavedColumns.untangle(Array(asRead))
                if Reflow.looksExtracted(untangled) { return (Reflow.reflow(untangled), lineCount, masthead, true, dropped, script) }
            }
            guard Reflow.looksExtracted(asRead) else { return (blocks, lineCount, masthead, false, dropped, script) }
            return (Reflow.reflow(Array(asRead)), lineCount, masthead, true, dropped, script)
        }
        var visual: [VisualLine]
        if layout {
            visual = LayoutColumns.lines(of: text)
        } else {
            visual = blocks.map { VisualLine(line: $0.line, gapBefore: $0.gapBefore, scalars: $0.scalars, indented: nil) }
        }
        if headerEnd > 0 {
            visual.removeAll { $0.line <= headerEnd }
            if let first = visual.first, first.gapBefore == 0 { visual[0].gapBefore = 1 }
        }
        if !layout, InterleavedColumns.mayHold(visual) { visual = InterleavedColumns.untangle(visual) }
        let reflowed = Reflow.looksExtracted(visual)
        if reflowed {
            blocks = Reflow.reflow(visual)
        } else if headerEnd > 0 || visual.contains(where: { $0.indented != nil }) {
            blocks = visual.map { SourceBlock(line: $0.line, gapBefore: $0.gapBefore, scalars: $0.scalars) }
        }
        return (blocks, lineCount, masthead, reflowed, dropped, script)
    }
}
