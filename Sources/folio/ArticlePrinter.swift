import FolioModel

/// Human rendering of articles and pages: what a reader wants first, with source lines so
/// that any claim can be checked against the page.
enum ArticlePrinter {
    static func print(_ article: Folio_V1_Article) {
        if !article.kicker.isEmpty { Terminal.out(article.kicker) }
        Terminal.out(Terminal.bold(article.headline.isEmpty ? "(no headline)" : article.headline))
        if !article.subtitle.isEmpty { Terminal.out("—— \(article.subtitle)") }
        var facts = [article.id, article.date, article.section].filter { !$0.isEmpty }
        if article.hasLines { facts.append("lines \(article.lines.first)–\(article.lines.last)") }
        Terminal.out(Terminal.dim(facts.joined(separator: " · ")))
        if !article.bylines.isEmpty {
            Terminal.out(article.bylines.map { [$0.role, $0.name].filter { !$0.isEmpty }.joined(separator: " ") }
                .joined(separator: "，"))
        }
        if article.hasDateline && !article.dateline.text.isEmpty {
            let repaired = article.dateline.repaired ? Terminal.dim(" (first glyph restored)") : ""
            Terminal.out(Terminal.dim("dateline: ") + article.dateline.text + repaired)
        }
        if !article.lead.isEmpty {
            Terminal.out("")
            Terminal.out(Terminal.bold("核心提示"))
            for block in article.lead { printBlock(block) }
        }
        Terminal.out("")
        for block in article.body { printBlock(block) }
        for caption in article.captions {
            Terminal.out(Terminal.dim("[圖] ") + caption.text + (caption.credit.isEmpty ? "" : " " + caption.credit))
        }
        if !article.entities.isEmpty {
            Terminal.out("")
            let grouped = Dictionary(grouping: article.entities, by: { EntityNames.label($0.type) })
            for label in grouped.keys.sorted() {
                let names = grouped[label]!.map(\.text)
                Terminal.out(Terminal.dim("\(label): ") + names.joined(separator: "、"))
            }
        }
        for diagnostic in article.diagnostics {
            Terminal.out(Terminal.dim("note (line \(diagnostic.line)): \(diagnostic.message)"))
        }
    }

    private static func printBlock(_ block: Folio_V1_Block) {
        let text = (block.startsMidSentence ? "…" : "") + block.text + (block.endsMidSentence ? "…" : "")
        Terminal.out(block.kind == .subheading ? Terminal.bold(text) : "　　" + text)
    }

    static func print(_ page: Folio_V1_Page) {
        let info = [page.info.publication, page.info.date, page.info.pageLabel.isEmpty ? "" : "page \(page.info.pageLabel)",
                    page.info.section]
            .filter { !$0.isEmpty }.joined(separator: " · ")
        Terminal.out(Terminal.bold(page.id) + (info.isEmpty ? "" : "  " + info))
        Terminal.out(Terminal.dim("source \(page.source), \(page.lineCount) lines, \(page.articles.count) articles"))
        let headlines = Dictionary(page.articles.map { ($0.id, $0.headline) }, uniquingKeysWith: { first, _ in first })
        var listed = Set<String>()
        for section in page.sections {
            let name = section.rubric.isEmpty ? "(no rubric)" : section.rubric
            Terminal.out("")
            Terminal.out(Terminal.bold("■ \(name)") + (section.rubricLatin.isEmpty ? "" : " \(section.rubricLatin)"))
            for id in section.articleIds {
                listed.insert(id)
                Terminal.out("  \(id)  \(headlines[id].map { $0.isEmpty ? "(no headline)" : $0 } ?? "")")
            }
        }
        let unlisted = page.articles.filter { !listed.contains($0.id) }
        if !unlisted.isEmpty {
            Terminal.out("")
            for article in unlisted { Terminal.out("  \(article.id)  \(article.headline)") }
        }
        for caption in page.captions { Terminal.out(Terminal.dim("[圖] ") + caption.text) }
        for credit in page.credits { Terminal.out(Terminal.dim("[credit] ") + credit.text) }
        if !page.diagnostics.isEmpty {
            Terminal.out(Terminal.dim("\(page.diagnostics.count) diagnostics (see --json)"))
        }
    }
}
