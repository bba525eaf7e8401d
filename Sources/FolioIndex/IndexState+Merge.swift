/// Segment merges, off the writer's path. A write only appends a segment and deletes documents;
/// merges are planned on the state it leaves, built from that state's live documents without any
/// lock (the longest part: a segment of the whole archive is rebuilt when a tenth of it was
/// replaced), and installed in whatever state is current by then, with the documents deleted
/// meanwhile deleted in the merged segment too. Writes and reads never wait for a merge's build.
struct MergePlan: @unchecked Sendable {
    /// The state the merge was planned on, and the segments of it the merge replaces.
    let base: IndexState
    let range: Range<Int>
    /// The text of every live document of `base` as `base` indexed it (a frozen copy of the
    /// archive): a page replaced while the merge builds keeps its article ids, and the merge must
    /// index (and, when deleted meanwhile, uncount) the text its old segment held. Nil: the
    /// segments' own text or lookup.
    let texts: ArticleLookup?

    /// The merged segment; nil when no document of the range is live.
    func build(articles: ArticleLookup?) throws -> Segment? {
        let sources = range.flatMap { base.liveSources(of: $0, texts: texts) }
        return sources.isEmpty ? nil : try SegmentBuilder.build(sources, articles: articles)
    }
}

extension IndexState {
    /// A segment more than `mostDeleted` deleted is rebuilt from its live documents (dropped when
    /// none is left): its postings stop carrying the dead weight.
    static let mostDeleted = 0.10

    func liveCount(_ index: Int) -> Int { segments[index].docCount - tombstones[index].count }

    /// The next merge this state needs, as the segments it replaces by one: first the trailing
    /// segments (binary-counter policy: a segment merges into its predecessor once it has grown as
    /// large, so their number stays logarithmic in the number of writes), then the first segment
    /// more than `mostDeleted` deleted.
    func nextMerge() -> Range<Int>? {
        var start = segments.count - 1
        guard start >= 0 else { return nil }
        var live = liveCount(start)
        while start >= 1 && live >= liveCount(start - 1) {
            live += liveCount(start - 1)
            start -= 1
        }
        if start < segments.count - 1 { return start..<segments.count }
        let stale = segments.indices.first { Double(tombstones[$0].count) > Self.mostDeleted * Double(segments[$0].docCount) }
        return stale.map { $0..<($0 + 1) }
    }

    /// This state with `merged` (built by `plan`) in place of the segments it replaces; nil when
    /// they are no longer here (a reload or snapshot replaced the state). Documents of those
    /// segments deleted since the plan are deleted in `merged` too.
    func installing(_ merged: Segment?, plan: MergePlan) -> IndexState? {
        let range = plan.range
        guard range.upperBound <= segments.count,
              range.allSatisfy({ segments[$0] === plan.base.segments[$0] }) else { return nil }
        // The merged segment holds the range's documents live in the plan, in order.
        var deletedSince: [Int] = []
        var position = 0
        for index in range {
            let before = plan.base.tombstones[index], now = tombstones[index]
            for doc in 0..<segments[index].docCount where !before.contains(doc) {
                if now.contains(doc) { deletedSince.append(position) }
                position += 1
            }
        }
        var newSegments = Array(segments[..<range.lowerBound])
        var newTombstones = Array(tombstones[..<range.lowerBound])
        if let merged {
            newSegments.append(merged)
            let none = Tombstones(docCount: merged.docCount)
            newTombstones.append(deletedSince.isEmpty ? none : none.adding(deletedSince, in: merged, texts: plan.texts))
        }
        newSegments += segments[range.upperBound...]
        newTombstones += tombstones[range.upperBound...]

        var locator = self.locator
        let shift = range.count - (merged == nil ? 0 : 1)
        let firstMoved = merged == nil ? range.lowerBound : range.lowerBound + 1
        if let merged {
            let deleted = newTombstones[range.lowerBound]
            for doc in 0..<merged.docCount where !deleted.contains(doc) {
                locator[merged.articleIDs[doc]] = DocRef(segment: range.lowerBound, doc: doc)
            }
        }
        if shift > 0 {
            for index in firstMoved..<newSegments.count {
                let segment = newSegments[index], deleted = newTombstones[index]
                for doc in 0..<segment.docCount where !deleted.contains(doc) {
                    locator[segment.articleIDs[doc]] = DocRef(segment: index, doc: doc)
                }
            }
        }
        return IndexState(segments: newSegments, tombstones: newTombstones, locator: locator, pages: pages, entities: entities)
    }
}
