extension Run {
    /// Line `i` starts a unit that runs on, and is short of the column around it: the indent of
    /// a paragraph's first line, lost by the extractor. A paragraph cut at a column break goes on
    /// with a full line instead, so a block opening this way continues nothing before it.
    func indentedFirstLine(_ i: Int) -> Bool {
        if let indented = lines[i].indented { return indented }
        return widths[i] < columnWidth(i) - Reflow.fullSlack
    }
}
