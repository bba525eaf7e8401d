import FolioModel
import FolioStore
import FolioWire

/// ExportArticles: every article a filter selects, whole, one stream frame each, in
/// ListArticles' order. Runs on a worker thread; stored bytes go out as they are (no decode)
/// unless another script is asked for.
extension CallRouter {
    func exportArticles(_ context: CallContext) throws -> CallReply {
        let request = try context.decode(Folio_V1_ExportArticlesRequest.self)
        let (order, corpus) = store.snapshotForListing()
        let filter = try ArticleFilter(request.filter, text: text, keys: corpus.keys, search: search)
        let pageIDs = filter.pageID.map { id in order.contains(id) ? [id] : [] } ?? order
        for pageID in pageIDs {
            guard let page = corpus.pages[pageID] else { continue }
            for articleID in page.articleIDs {
                guard let stored = corpus.articles[articleID], filter.matches(stored) else { continue }
                if context.cancellation.isCancelled { throw StatusError(.cancelled, "call cancelled") }
                if request.script == .original {
                    context.sendStreamBody(try stored.body.serialized(limits: config.limits))
                } else {
                    try context.stream(try text.converting(stored.body.article(limits: config.limits), to: request.script))
                }
            }
        }
        return .endOfStream
    }
}
