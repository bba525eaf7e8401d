import FolioWire
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

    /// Whether a delete of this page id left its retired ids.
    func leftRetiredIDs(_ id: String) -> Bool { Self.isListed(retiredPath(id)) }

    /// The retired anchors a deleted page left; none when it left none. A file there that cannot be
    /// read (cut short by a copy, damaged) is a DATA_LOSS error: taken for "none", its ids would go
    /// to the next stories stored under the id.
    func retiredAnchors(of id: String) throws -> [ArticleAnchor] {
        let path = retiredPath(id)
        guard Self.isListed(path) else { return [] }
        let bytes = try Self.contents(path, id: id)
        guard let anchors = try? JSONDecoder().decode([ArticleAnchor].self, from: Data(bytes)) else {
            throw StatusError(.dataLoss, "the article ids page \(id) retired (pages/\(Self.retiredPrefix)\(id).anchors) cannot be read: "
                              + "it was cut short or damaged, and a page stored as \(id) now could give them to other stories "
                              + "(put the file back from a backup, or move it away to give those ids up)")
        }
        return anchors
    }

    /// The anchors a page's file names (with those a delete of its id left), or, with no file, those
    /// a delete left. A page file whose text is damaged but whose metadata line is whole still names
    /// its stories' ids (a replace of it must not give them to other stories); none when unreadable.
    /// Throws when the retired ids cannot be read (see `retiredAnchors`).
    func anchors(of id: String) throws -> [ArticleAnchor] {
        guard exists(id) else { return try retiredAnchors(of: id) }
        let retired = try retiredAnchors(of: id)
        if let file = try? loadFile(id) { return Self.adding(retired, to: file.anchors) }
        let recordPath = pagesDirectory + "/" + id + Self.recordExtension
        guard let bytes = try? Self.contents(recordPath, id: id),
              let named = (try? Self.decodeHeader(bytes, id: id))?.0.articles else { return retired }
        return Self.adding(retired, to: named)
    }

    /// `anchors` and then the retired ones it does not name.
    static func adding(_ retired: [ArticleAnchor], to anchors: [ArticleAnchor]) -> [ArticleAnchor] {
        let ids = Set(anchors.map(\.id))
        return anchors + retired.filter { !ids.contains($0.id) }
    }

    /// Drops the retired anchors of a page stored again (its page file holds them now).
    func forgetRetired(_ id: String) {
        unlink(retiredPath(id))
    }
}
