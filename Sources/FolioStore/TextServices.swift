import FolioModel
import FolioWire
import Foundation

/// What the server needs from the parser and the text layer, behind protocols so the
/// daemon's plumbing does not depend on how pages are understood.
public protocol PageParsing: Sendable {
    func parsePage(text: String, source: String, info: Folio_V1_PageInfo?, pageID: String?) -> Folio_V1_Page
    /// What, besides the binary, decides the model this parser gives a page (e.g. its name
    /// recognizer): part of the snapshot key, so a snapshot is never read by a differently
    /// configured parser.
    var modelIdentity: String { get }
}

extension PageParsing {
    public var modelIdentity: String { "" }
}

public protocol TextServices: Sendable {
    /// Full OpenCC conversion, for text a person reads.
    func convert(_ text: String, to script: Folio_V1_OutputScript) throws -> String
    /// Per-character fold (Simplified, half-width, lower-case) for matching filters.
    func fold(_ text: String) -> String
}

extension TextServices {
    /// A page, article or summary with its readable text (FolioModel's `mappingReadableText`, the
    /// fields `folio parse --script` converts) in the requested script; ids, sources and
    /// `normalized` forms are left alone.
    package func converting(_ page: Folio_V1_Page, to script: Folio_V1_OutputScript) throws -> Folio_V1_Page {
        script == .original ? page : try page.mappingReadableText { try convert($0, to: script) }
    }

    package func converting(_ article: Folio_V1_Article, to script: Folio_V1_OutputScript) throws -> Folio_V1_Article {
        script == .original ? article : try article.mappingReadableText { try convert($0, to: script) }
    }

    package func converting(_ summary: Folio_V1_ArticleSummary, to script: Folio_V1_OutputScript) throws -> Folio_V1_ArticleSummary {
        script == .original ? summary : try summary.mappingReadableText { try convert($0, to: script) }
    }
}
