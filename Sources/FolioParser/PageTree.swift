import FolioModel

/// A readable, stable dump of a parsed page: what `folio parse` prints and what the golden
/// tests compare. One node per line, indented, with source lines in brackets.
public enum PageTree {
    public static func render(_ page: Folio_V1_Page) -> String {
        var out = ""
        func line(_ depth: Int, _ text: String) {
            out += String(repeating: "  ", count: depth) + text + "\n"
        }
        line(0, "page \(page.id)  source=\(page.source)  lines=\(page.lineCount)")
        let info = page.info
        if !info.date.isEmpty || !info.pageLabel.isEmpty || !info.publication.isEmpty || !info.section.isEmpty {
            line(1, "info publication=\(info.publication) date=\(info.date) label=\(info.pageLabel)"
                + (info.section.isEmpty ? "" : " section=\(info.section)"))
        }
        line(1, "script traditional-only=\(page.script.traditionalOnly) simplified-only=\(page.script.simplifiedOnly) dominant=\(name(page.script.dominant))")
        for c in page.credits {
            line(1, "credit [\(c.line)] \(c.text)  photographers=\(c.photographers.joined(separator: ","))")
        }
        for c in page.captions { line(1, "caption \(lines(c.lines)) \(c.text)\(c.credit.isEmpty ? "" : "  " + c.credit)") }
        let byID = Dictionary(page.articles.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for s in page.sections {
            line(1, "section [\(s.line)] \(s.rubric.isEmpty ? "(none)" : s.rubric)\(s.rubricLatin.isEmpty ? "" : " / " + s.rubricLatin)")
            for id in s.articleIds {
                guard let a = byID[id] else { continue }
                render(a, depth: 2, line: line)
            }
        }
        for d in page.diagnostics { line(1, diag(d)) }
        return out
    }

    static func render(_ a: Folio_V1_Article, depth: Int, line: (Int, String) -> Void) {
        line(depth, "article \(a.id) [\(a.lines.first)-\(a.lines.last)] \(a.headline.isEmpty ? "(no headline)" : a.headline)")
        let d = depth + 1
        if !a.subtitle.isEmpty { line(d, "subtitle \(a.subtitle)") }
        for b in a.bylines { line(d, "byline [\(b.line)] \(b.name)\(b.role.isEmpty ? "" : " (" + b.role + ")")") }
        if a.hasDateline {
            let dl = a.dateline
            var parts = ["agency=\(dl.agency)"]
            if !dl.place.isEmpty { parts.append("place=\(dl.place)") }
            if !dl.date.isEmpty { parts.append("date=\(dl.date)") }
            if !dl.normalizedDate.isEmpty { parts.append("iso=\(dl.normalizedDate)") }
            if !dl.reporters.isEmpty { parts.append("reporters=\(dl.reporters.joined(separator: ","))") }
            if dl.repaired { parts.append("repaired") }
            line(d, "dateline [\(dl.line)] " + parts.joined(separator: " "))
        }
        for b in a.lead { line(d, "lead " + block(b)) }
        for b in a.body { line(d, (b.kind == .subheading ? "subheading " : "para ") + block(b)) }
        for c in a.captions { line(d, "caption \(lines(c.lines)) \(c.text)\(c.credit.isEmpty ? "" : "  " + c.credit)") }
        for e in a.entities { line(d, "entity \(name(e.type)) \(e.text) → \(e.normalized) ×\(e.mentions.count)") }
        for g in a.diagnostics { line(d, diag(g)) }
    }

    static func block(_ b: Folio_V1_Block) -> String {
        var flags = ""
        if b.startsMidSentence { flags += " «orphan»" }
        if b.endsMidSentence { flags += " «truncated»" }
        return "\(lines(b.lines))\(flags) \(b.text)"
    }

    static func lines(_ l: [UInt32]) -> String { "[" + l.map(String.init).joined(separator: ",") + "]" }

    static func diag(_ d: Folio_V1_Diagnostic) -> String {
        "\(name(d.severity)) line \(d.line) \(d.code): \(d.message)"
    }

    static func name(_ s: Folio_V1_Severity) -> String {
        switch s {
        case .info: return "info"
        case .warning: return "warning"
        case .error: return "error"
        default: return "note"
        }
    }

    static func name(_ s: Folio_V1_Script) -> String {
        switch s {
        case .simplified: return "simplified"
        case .traditional: return "traditional"
        case .mixed: return "mixed"
        default: return "unknown"
        }
    }

    static func name(_ t: Folio_V1_EntityType) -> String {
        switch t {
        case .person: return "person"
        case .organization: return "organization"
        case .place: return "place"
        case .quantity: return "quantity"
        case .date: return "date"
        default: return "entity"
        }
    }
}
