import Foundation

/// DATA/pages/.retired-<pageId>.anchors: the anchors of a deleted page, every one retired (JSON),
/// so that a page stored again under its id gives its stories' ids to none but the same stories.
/// A dot file: listings of pages and the start-up manifest pass it by.
extension PageRepository {
    static let retiredPrefix = ".retired-"

    func retiredPath(_ id: String) -> String { pagesDirectory + "/" + Self.retiredPrefix + id + ".anchors" }

    /// Keeps `anchors` (as retired) for when a page with this id is stored again. Written before the
    /// page's files go: a crash in between leaves the page, whose own anchors win.
    func retire(_ anchors: [ArticleAnchor], of id: String) throws {
        guard !anchors.isEmpty else { return }
        try checkStillServed()
        let retired = anchors.map { anchor in
            var kept = anchor
            kept.retired = true
            return kept
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try writeDurably(Array(try encoder.encode(retired)), to: retiredPath(id), name: id)
    }

    /// The retired anchors a deleted page left; none when it left none or they cannot be read (the
    /// stories then get ids afresh: nothing is lost but that promise).
    func retiredAnchors(of id: String) -> [ArticleAnchor] {
        guard Self.isListed(retiredPath(id)), let bytes = try? Self.contents(retiredPath(id), id: id),
              let anchors = try? JSONDecoder().decode([ArticleAnchor].self, from: Data(bytes)) else { return [] }
        return anchors
    }

    /// The anchors a page's file names (with those a delete of its id left), or, with no file, those
    /// a delete left. A page file whose text is damaged but whose metadata line is whole still names
    /// its stories' ids (a replace of it must not give them to other stories); none when unreadable.
    func anchors(of id: String) -> [ArticleAnchor] {
        guard exists(id) else { return retiredAnchors(of: id) }
        if let file = try? load(id) { return file.anchors }
        let recordPath = pagesDirectory + "/" + id + Self.recordExtension
        guard let bytes = try? Self.contents(recordPath, id: id),
              let named = (try? Self.decodeHeader(bytes, id: id))?.0.articles else { return retiredAnchors(of: id) }
        let ids = Set(named.map(\.id))
        return named + retiredAnchors(of: id).filter { !ids.contains($0.id) }
    }

    /// Drops the retired anchors of a page stored again (its page file holds them now).
    func forgetRetired(_ id: String) {
        unlink(retiredPath(id))
    }
}
