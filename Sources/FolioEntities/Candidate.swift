import FolioModel

/// A span the scanners propose; the recognizer keeps the best non-overlapping ones.
struct Candidate {
    var type: Folio_V1_EntityType
    var start: Int
    var end: Int
    /// Higher wins an overlap before length does (gazetteer and numeric forms are surer).
    var rank: Int
    /// Set by the numeric scanners; names are normalized by folding their text.
    var normalized: String? = nil
    var quantity: Folio_V1_Quantity? = nil
    /// A date written out in full (2022年) rather than relative to the page (今年).
    var explicit = true

    var length: Int { end - start }
}

/// Overlap ranks.
enum Rank {
    static let rule = 1
    static let context = 2
    static let gazetteer = 3
    static let numeric = 4
}
