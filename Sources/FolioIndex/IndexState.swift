/// Deleted documents of one segment. Immutable: a removal makes a new set, so readers holding the
/// old state keep a consistent view.
final class Tombstones: Sendable {
    let bits: [UInt64]
    let count: Int
    /// What the deleted documents add to the segment's document frequencies.
    let frequencies: DeletedFrequencies

    init(docCount: Int) {
        bits = [UInt64](repeating: 0, count: (docCount + 63) / 64)
        count = 0
        frequencies = .none
    }

    /// A deletion set and what its documents add to the document frequencies (read back from a
    /// snapshot: the deleted documents' text is gone by then).
    init(bits: [UInt64], frequencies: DeletedFrequencies) {
        self.bits = bits
        count = bits.reduce(0) { $0 + $1.nonzeroBitCount }
        self.frequencies = frequencies
    }

    @inline(__always)
    func contains(_ doc: Int) -> Bool { bits[doc >> 6] & (1 << UInt64(doc & 63)) != 0 }

    /// These and `docs` of `segment` deleted (their text read from `texts` when given).
    func adding(_ docs: [Int], in segment: Segment, texts: ArticleLookup? = nil) -> Tombstones {
        var copy = bits
        var added: [Int] = []
        for doc in Set(docs).sorted() where !contains(doc) {
            copy[doc >> 6] |= 1 << UInt64(doc & 63)
            added.append(doc)
        }
        return Tombstones(bits: copy, frequencies: frequencies.adding(added, in: segment, texts: texts))
    }
}

struct DocRef: Hashable {
    var segment: Int
    var doc: Int
}

/// One consistent version of the whole index. Queries take the current state and never look at
/// anything else; writers build a new state and swap it in.
// @unchecked: immutable after construction; its segments and tombstones are never written once shared.
package final class IndexState: @unchecked Sendable {
    let segments: [Segment]
    let tombstones: [Tombstones]
    let locator: [String: DocRef]       // article id → where it lives
    let pages: [String: [String]]       // page id → article ids
    let entities: EntityCatalog
    let liveDocuments: Int
    let liveUnits: UInt64

    init(segments: [Segment], tombstones: [Tombstones], locator: [String: DocRef], pages: [String: [String]],
         entities: EntityCatalog) {
        self.segments = segments
        self.tombstones = tombstones
        self.locator = locator
        self.pages = pages
        self.entities = entities
        liveDocuments = locator.count
        var units: UInt64 = 0
        for (index, segment) in segments.enumerated() {
            units += segment.totalUnits
            for doc in 0..<segment.docCount where tombstones[index].contains(doc) {
                units -= UInt64(segment.docUnits[doc])
            }
        }
        liveUnits = units
    }

    static let empty = IndexState(segments: [], tombstones: [], locator: [:], pages: [:], entities: EntityCatalog())

    var stats: CorpusStats {
        let count = Double(max(liveDocuments, 1))
        return CorpusStats(documentCount: count, averageUnits: Double(liveUnits) / count, segments: segments,
                           deleted: tombstones.map(\.frequencies))
    }

    func isLive(_ ref: DocRef) -> Bool { !tombstones[ref.segment].contains(ref.doc) }

    /// Distinct terms held by live documents, over every segment.
    func liveTermCount() -> Int {
        if segments.count == 1 && tombstones[0].count == 0 { return segments[0].termCount }
        var keys = Set<UInt64>(minimumCapacity: segments.map(\.termCount).max() ?? 0)
        for (index, segment) in segments.enumerated() {
            let deleted = tombstones[index].frequencies
            segment.cjkTerms.forEachPair { key, termID in
                if deleted.liveFrequency(termID, in: segment) > 0 { keys.insert(key) }
            }
        }
        return keys.count
    }

    /// Every live document of a segment, for merges and snapshots (text from `texts` when given).
    func liveSources(of segmentIndex: Int, texts: ArticleLookup? = nil) -> [DocSource] {
        let segment = segments[segmentIndex]
        return (0..<segment.docCount).compactMap { doc in
            tombstones[segmentIndex].contains(doc) ? nil : segment.source(of: doc, texts: texts)
        }
    }
}

extension IndexState {
    /// A new state with `sources` added as one segment (replacing articles with the same id) and
    /// articles of `removedPages` deleted. Nothing is merged here: merges are planned on the state a
    /// write leaves and run off the writer's path (IndexState+Merge.swift).
    /// Segments it builds read their text from `articles` when given (`SearchIndex.readTexts`).
    /// Throws `IndexMemoryError` when the new segment's memory cannot be mapped (only when adding).
    func applying(adding sources: [DocSource], removingPages removedPages: [String], articles: ArticleLookup?) throws -> IndexState {
        var locator = self.locator
        var pages = self.pages
        var entities = self.entities
        var deletions: [Int: [Int]] = [:]

        func delete(articleID: String) {
            guard let ref = locator.removeValue(forKey: articleID) else { return }
            deletions[ref.segment, default: []].append(ref.doc)
            let segment = self.segments[ref.segment]
            entities.remove(segment: segment, doc: ref.doc)
            let pageID = segment.pageID(of: ref.doc)
            if var ids = pages[pageID] {
                ids.removeAll { $0 == articleID }
                pages[pageID] = ids.isEmpty ? nil : ids
            }
        }

        for pageID in removedPages {
            for articleID in pages[pageID] ?? [] { delete(articleID: articleID) }
        }
        var unique: [DocSource] = []
        var seen: [String: Int] = [:]
        for source in sources {
            if let earlier = seen[source.articleID] {
                unique[earlier] = source
            } else {
                seen[source.articleID] = unique.count
                unique.append(source)
            }
        }
        for source in unique { delete(articleID: source.articleID) }

        var tombstones = self.tombstones
        for (segment, docs) in deletions { tombstones[segment] = tombstones[segment].adding(docs, in: segments[segment]) }
        var segments = self.segments
        if !unique.isEmpty {
            segments.append(try SegmentBuilder.build(unique, articles: articles))
            tombstones.append(Tombstones(docCount: unique.count))
        }
        return IndexState(segments: segments, tombstones: tombstones, locator: locator, pages: pages, entities: entities)
            .registering(segment: segments.count - 1, newSources: !unique.isEmpty)
    }

    /// Adds the locator, page and entity entries of a freshly appended segment.
    private func registering(segment index: Int, newSources: Bool) -> IndexState {
        guard newSources else { return self }
        var locator = self.locator
        var pages = self.pages
        var entities = self.entities
        let segment = segments[index]
        for doc in 0..<segment.docCount {
            let articleID = segment.articleIDs[doc]
            locator[articleID] = DocRef(segment: index, doc: doc)
            pages[segment.pageID(of: doc), default: []].append(articleID)
        }
        entities.add(segment: segment, docs: Array(0..<segment.docCount))
        return IndexState(segments: segments, tombstones: tombstones, locator: locator, pages: pages,
                          entities: entities)
    }
}
