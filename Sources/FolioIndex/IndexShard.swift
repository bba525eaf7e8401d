import FolioModel

/// Part of a whole-corpus index, built by one worker while it parses its share of the pages
/// (start-up and reload): a page is turned into index documents right away and can be dropped,
/// so the parsed archive is never held at once. `SearchIndex.reset(shards:)` installs the parts.
public struct IndexShard: Sendable {
    let segment: Segment?

    public var documents: Int { segment?.docCount ?? 0 }
}

public struct IndexShardBuilder {
    private let articles: ArticleLookup?
    private var builder: SegmentBuilder
    public private(set) var documents = 0

    /// `articles`: where the shard's segment reads its text (`SearchIndex.makeShardBuilder`); nil keeps it.
    public init(articles: ArticleLookup? = nil) {
        self.articles = articles
        builder = SegmentBuilder(articles: articles)
    }

    /// Adds every article of a parsed page (they carry the page id and, for date filters, the page's date).
    public mutating func add(page: Folio_V1_Page) {
        for article in page.articles {
            // Start-up and full reloads: no single call to fail here (see SearchIndex.orFail).
            do {
                try builder.add(DocSource(article: article, pageID: page.id, pageDate: page.info.date, pageSection: page.info.section))
            } catch {
                fatalError("out of memory for the index build: \(error)")
            }
            documents += 1
        }
    }

    /// The shard of the pages added so far; the builder starts over empty.
    public mutating func finish() -> IndexShard {
        defer { self = IndexShardBuilder(articles: articles) }
        return IndexShard(segment: documents == 0 ? nil : builder.finish())
    }
}

/// The entities of shards, counted off the thread that installs them (on several threads): the
/// index then takes the catalog as it is instead of reading every document's entities on one thread.
public struct ShardEntities: Sendable {
    var catalog = EntityCatalog()
    var documents = 0

    public init() {}

    public mutating func count(_ shard: IndexShard) {
        guard let segment = shard.segment else { return }
        catalog.add(segment: segment, docs: Array(0..<segment.docCount))
        documents += segment.docCount
    }

    /// Adds the counts of other shards (consumed: the larger catalog is kept and grows, not copied).
    public mutating func add(_ other: consuming ShardEntities) {
        if other.catalog.count > catalog.count { swap(&self, &other) }
        catalog.merge(other.catalog)
        documents += other.documents
    }
}

extension SearchIndex {
    /// Replaces the whole content by shards built off to the side (reload, start-up). `entities`:
    /// those of all the shards, when counted already (else they are counted here).
    public func reset(shards: [IndexShard], entities: ShardEntities? = nil) {
        let segments = shards.compactMap(\.segment)
        let complete = entities.map { $0.documents == segments.reduce(0) { $0 + $1.docCount } } ?? false
        replaceState(with: IndexState.assembling(segments: segments, entities: complete ? entities?.catalog : nil))
    }
}

extension IndexState {
    /// A state over freshly built segments. An article id present in more than one is kept in the
    /// last (the order in which the pages were given), as an ingest would. `entities`: those of
    /// every document, when counted already (used only when no document is replaced).
    static func assembling(segments: [Segment], entities: EntityCatalog? = nil) -> IndexState {
        var tombstones = segments.map { Tombstones(docCount: $0.docCount) }
        var seen: [String: DocRef] = [:]  // the last of each id: the locator
        seen.reserveCapacity(segments.reduce(0) { $0 + $1.docCount })
        var replaced: [Int: [Int]] = [:]
        for (index, segment) in segments.enumerated() {
            for doc in 0..<segment.docCount {
                if let earlier = seen.updateValue(DocRef(segment: index, doc: doc), forKey: segment.articleIDs[doc]) {
                    replaced[earlier.segment, default: []].append(earlier.doc)
                }
            }
        }
        for (segment, docs) in replaced { tombstones[segment] = tombstones[segment].adding(docs, in: segments[segment]) }
        return restoring(segments: segments, tombstones: tombstones, locator: seen,
                         entities: replaced.isEmpty ? entities : nil)
    }
}
