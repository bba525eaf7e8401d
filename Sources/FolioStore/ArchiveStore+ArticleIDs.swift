import FolioModel
import FolioWire

/// The article ids of a page as foliod keeps them across versions, deletes and files changed behind
/// its back (see ArticleAnchors): what is served comes first, then what the page file and a
/// delete's retired ids name.
extension ArchiveStore {
    /// Writes a page file read again with the ids it is served with (see `readAgain`); a failure
    /// (a read-only disk) is logged: the page is served all the same.
    func keepIDs(_ file: StoredPageFile, in repository: PageRepository) {
        do {
            _ = try repository.save(file)
            repository.forgetRetired(file.pageID)
        } catch is PageRepository.UnsyncedChange {
            repository.forgetRetired(file.pageID)
        } catch {
            logger.warning("page file not written with the article ids it is served with: a parse of it without the snapshot may number its stories otherwise",
                           metadata: ["page": "\(file.pageID)", "reason": "\(error)"])
        }
    }

    /// The page `file` holds, numbered from the ids it was served with (`served`, then those the
    /// file names: see `ArticleAnchors.merging`) and in stored form. A file that lacks some of
    /// `served` (an older backup, another archive's file, a page file without ids) is written again
    /// with them, so that a parse of the files alone gives the same ids: `rewritten` says so.
    func numbered(_ file: StoredPageFile, served: [ArticleAnchor], in repository: PageRepository?) throws
        -> (page: Folio_V1_Page, prepared: PreparedPage, rewritten: Bool) {
        let merged = ArticleAnchors.merging(served: served, stored: file.anchors)
        let page = ArticleAnchors.apply(merged, to: parser.parsePage(text: file.text, source: file.source,
                                                                     info: file.info, pageID: file.pageID))
        let prepared = try PreparedPage(page, retired: ArticleAnchors.retired(merged, after: page),
                                        textBytes: file.text.utf8.count, limits: limits, text: text)
        guard let repository, !served.isEmpty else { return (page, prepared, false) }
        // Served ids include those retired: an older file lacks what later versions retired.
        let named = Set(file.anchors.map(\.id))
        guard served.contains(where: { !named.contains($0.id) }) else { return (page, prepared, false) }
        var updated = file
        updated.anchors = ArticleAnchors.of(page, replacing: merged)
        keepIDs(updated, in: repository)
        return (page, prepared, true)
    }

    /// The anchors of the page as foliod serves it, then those it keeps retired with it (none when
    /// it serves no such page).
    func servedAnchors(of pageID: String) -> [ArticleAnchor] {
        let (stored, articles) = corpus.withLockedValue { ($0.pages[pageID], $0.articles) }
        guard let stored, let page = try? stored.assembled(articles: articles, limits: limits) else { return [] }
        return ArticleAnchors.of(page) + stored.retired
    }

    /// Every id a page id is known to have named: as served first, then as its file (or the
    /// retired ids a delete left) names them.
    /// `served`: those the page was served with, when the model in memory does not hold them (a
    /// start that parses every page reads them from the snapshot).
    func knownAnchors(of pageID: String, served: [ArticleAnchor]? = nil, in repository: PageRepository) throws -> [ArticleAnchor] {
        ArticleAnchors.merging(served: served ?? servedAnchors(of: pageID), stored: try repository.anchors(of: pageID))
    }

    /// The ids a page was served with and those its file (or an earlier delete) names, kept retired
    /// so that a page stored later under its id gives them to none but the same stories: before a
    /// DeletePage, and when a page's files went behind foliod's back (removed, renamed).
    func retireIDs(of pageID: String, served: [ArticleAnchor]? = nil, in repository: PageRepository) throws {
        try repository.retire(try knownAnchors(of: pageID, served: served, in: repository), of: pageID)
    }

    /// Before a delete (see `retireIDs`). When the ids cannot be written (a full disk) the delete is
    /// refused with that error: nothing changed.
    func retireAnchors(of pageID: String, in repository: PageRepository) throws {
        do {
            try retireIDs(of: pageID, in: repository)
        } catch let error as StatusError {
            let reason = error.message.replacingOccurrences(of: " (the page was not stored)", with: "")
                .replacingOccurrences(of: "; the page was not stored)", with: ")")
            throw StatusError(error.code, "page \(pageID) was not deleted: its article ids could not be kept (\(reason))")
        }
    }

    /// A page whose files went (see `retireIDs`). A failure is logged: the files are gone whatever
    /// foliod does.
    func retireServedAnchors(of pageID: String, served: [ArticleAnchor]? = nil, in repository: PageRepository) {
        do {
            try retireIDs(of: pageID, served: served, in: repository)
        } catch {
            logger.warning("article ids of a page whose files went not kept: a page stored later under its id may give them to other stories",
                           metadata: ["page": "\(pageID)", "reason": "\(error)"])
        }
    }
}
