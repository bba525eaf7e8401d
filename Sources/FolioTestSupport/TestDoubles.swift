import FolioModel
import FolioServer
import FolioStore
import FolioWire
import Foundation

/// A small, predictable stand-in for FolioParser so these tests exercise the daemon's
/// plumbing (store, wire, lifecycle) on their own. Each blank-line-separated block is an
/// article: first line the headline, `作者：NAME` lines bylines, `实体：X` lines entities,
/// other lines the body. A page whose text starts with "SLEEP" opens `reachedSlowPage` and is held
/// at `slowPages` until the test opens it (deadlines, cancellation, calls in flight).
public struct BlockPageParser: PageParsing {
    public var slowPages: Gate
    public var reachedSlowPage: Gate

    public init(slowPages: Gate = Gate(), reachedSlowPage: Gate = Gate()) {
        self.slowPages = slowPages
        self.reachedSlowPage = reachedSlowPage
    }

    public func parsePage(text: String, source: String, info: Folio_V1_PageInfo?, pageID: String?) -> Folio_V1_Page {
        if text.hasPrefix("SLEEP") {
            reachedSlowPage.open()
            slowPages.wait()
        }
        var page = Folio_V1_Page()
        page.id = pageID ?? source.split(separator: "/").last.map { String($0.split(separator: ".")[0]) } ?? "page"
        page.source = source
        if let info { page.info = info }
        let blocks = text.components(separatedBy: "\n\n").map { $0.split(separator: "\n").map(String.init) }.filter { !$0.isEmpty }
        for (n, lines) in blocks.enumerated() {
            var article = Folio_V1_Article()
            article.id = page.id + "-" + String(format: "%02d", n + 1)
            article.pageID = page.id
            article.date = page.info.date
            article.headline = lines[0]
            for line in lines.dropFirst() {
                if line.hasPrefix("作者：") {
                    var byline = Folio_V1_Byline()
                    byline.name = String(line.dropFirst(3))
                    article.bylines.append(byline)
                } else if line.hasPrefix("栏目：") {
                    article.section = String(line.dropFirst(3))
                } else if line.hasPrefix("实体：") {
                    var entity = Folio_V1_Entity()
                    entity.type = .place
                    entity.text = String(line.dropFirst(3))
                    article.entities.append(entity)
                } else {
                    var block = Folio_V1_Block()
                    block.kind = .paragraph
                    block.text = line
                    article.body.append(block)
                }
            }
            page.articles.append(article)
        }
        return page
    }
}

/// Folds and converts the handful of characters the tests use (錦/锦, 報/报).
public struct TableTextServices: TextServices {
    public init() {}

    static let t2s: [Character: Character] = ["錦": "锦", "報": "报", "港": "港"]
    public func convert(_ text: String, to script: Folio_V1_OutputScript) throws -> String {
        switch script {
        case .simplified: return String(text.map { Self.t2s[$0] ?? $0 })
        case .traditional, .taiwan:
            let s2t = Dictionary(uniqueKeysWithValues: Self.t2s.map { ($1, $0) })
            return String(text.map { s2t[$0] ?? $0 })
        default: return text
        }
    }
    public func fold(_ text: String) -> String { String(text.lowercased().map { Self.t2s[$0] ?? $0 }) }
}
