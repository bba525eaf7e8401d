import FolioModel

/// Where an index that keeps no copy of its documents' text reads it: the archive's stored article
/// by id (nil when it is gone). The daemon's store holds every article already, so foliod's index
/// reads snippets, phrase checks and merges from it instead of holding the text twice.
public typealias ArticleLookup = @Sendable (_ articleID: String) -> Folio_V1_Article?
