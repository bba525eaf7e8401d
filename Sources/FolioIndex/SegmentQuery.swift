/// Evaluates a parsed query on one segment: AND of clauses (each an OR of phrases), minus
/// exclusions, then filters and deleted documents.
struct SegmentQuery {
    let segment: Segment
    let stats: CorpusStats
    let tombstones: Tombstones

    /// The common case, one term and nothing else (a 1- or 2-character query): streams
    /// the postings straight into `body` without building lists. Returns false when not applicable.
    func streamSingleTerm(_ query: ParsedQuery, _ body: (Double, Int) -> Void) -> Bool {
        if query.clauses.count > 1 { return streamTermConjunction(query, body) }
        guard query.clauses.count == 1, query.clauses[0].count == 1, query.exclusions.isEmpty else { return false }
        let plan = PhrasePlan(query.clauses[0][0], stats: stats)
        guard let term = plan.singleTerm else { return streamPositionalPhrase(plan, query, body) }
        guard let id = segment.termID(for: term) else { return true }
        let filters = query.filters.map { ResolvedFilter($0.filter, negated: $0.negated, segment: segment) }
        let positional = term.kind != .unigram
        let checkDeleted = tombstones.count > 0
        let k1 = CorpusStats.k1, b = CorpusStats.b
        let lengthScale = b / max(stats.averageUnits, 1)
        let bytes = segment.postingBytes, hotDocs = segment.hotDocs
        var position = segment.termStarts[Int(id)]
        let end = segment.termStarts[Int(id) + 1]
        var doc = -1
        while position < end {
            let head = PostingCoding.read(bytes, &position)
            doc += Int(head.gap) + 1
            let frequency = Double(head.weighted)
            if positional { PostingCoding.skip(bytes, &position, count: head.count) }
            if checkDeleted && tombstones.contains(doc) { continue }
            if !filters.isEmpty && !filters.allSatisfy({ $0.accepts(doc, in: segment) }) { continue }
            let norm = k1 * (1 - b + lengthScale * Double(hotDocs[doc].units))
            body(plan.idf * frequency * (k1 + 1) / (frequency + norm), doc)
        }
        return true
    }

    /// One phrase that positions alone decide (a 3- or 4-character run): streamed, no lists.
    private func streamPositionalPhrase(_ plan: PhrasePlan, _ query: ParsedQuery, _ body: (Double, Int) -> Void) -> Bool {
        guard !plan.cover.isEmpty, plan.isolated.isEmpty, plan.gaps.isEmpty else { return false }
        var ids: [UInt32] = []
        for term in plan.cover {
            guard let id = segment.termID(for: term) else { return true }
            ids.append(id)
        }
        let filters = query.filters.map { ResolvedFilter($0.filter, negated: $0.negated, segment: segment) }
        let checkDeleted = tombstones.count > 0
        let matcher = SegmentMatcher(segment: segment, stats: stats)
        matcher.forEachPositionalMatch(plan.cover, ids: ids, checked: checkDeleted || !filters.isEmpty, accept: { doc in
            !(checkDeleted && tombstones.contains(doc)) && (filters.isEmpty || filters.allSatisfy { $0.accepts(doc, in: segment) })
        }) { doc, count in
            body(stats.score(idf: plan.idf, frequency: count, units: segment.hotDocs[doc].units), doc)
        }
        return true
    }

    /// Several clauses that are each one term ("中国 人民"): the rarest term drives, the others
    /// follow with skipping cursors, nothing is decoded into lists. Scores add up in clause order.
    private func streamTermConjunction(_ query: ParsedQuery, _ body: (Double, Int) -> Void) -> Bool {
        guard query.exclusions.isEmpty, query.clauses.allSatisfy({ $0.count == 1 }) else { return false }
        var terms: [(id: UInt32, positional: Bool, idf: Double)] = []
        for clause in query.clauses {
            let plan = PhrasePlan(clause[0], stats: stats)
            guard let term = plan.singleTerm else { return false }
            guard let id = segment.termID(for: term) else { return true }  // a term absent here: no match
            terms.append((id, term.kind != .unigram, plan.idf))
        }
        let filters = query.filters.map { ResolvedFilter($0.filter, negated: $0.negated, segment: segment) }
        let checkDeleted = tombstones.count > 0
        var cursors = terms.map { PostingCursor(segment: segment, termID: $0.id, positional: $0.positional) }
        let order = terms.indices.sorted { segment.termDocFrequency[Int(terms[$0].id)] < segment.termDocFrequency[Int(terms[$1].id)] }
        let driver = order[0]
        let followers = Array(order.dropFirst())
        var target = 0
        candidates: while cursors[driver].advance(to: target) {
            let doc = cursors[driver].doc
            target = doc + 1
            for list in followers {
                guard cursors[list].advance(to: doc) else { return true }
                guard cursors[list].doc == doc else {
                    target = cursors[list].doc
                    continue candidates
                }
            }
            if checkDeleted && tombstones.contains(doc) { continue }
            if !filters.isEmpty && !filters.allSatisfy({ $0.accepts(doc, in: segment) }) { continue }
            let units = segment.hotDocs[doc].units
            var score = 0.0
            for (index, term) in terms.enumerated() {
                score += stats.score(idf: term.idf, frequency: cursors[index].frequency, units: units)
            }
            body(score, doc)
        }
        return true
    }

    /// Clauses are matched from the one with the fewest documents at most, each intersected into
    /// the result at once: two lists are held at a time, however many clauses the query has.
    func evaluate(_ query: ParsedQuery, stop: SearchStop = .never) throws(QueryError) -> MatchList {
        let matcher = SegmentMatcher(segment: segment, stats: stats, stop: stop)
        var result: MatchList
        if query.clauses.isEmpty {
            result = MatchList()
            result.docs = (0..<UInt32(segment.docCount)).map { $0 }
            result.scores = [Double](repeating: 0, count: segment.docCount)
        } else {
            let bounds = query.clauses.map { $0.reduce(0) { $0 + matcher.mostDocuments($1) } }
            let order = query.clauses.indices.sorted { (bounds[$0], $0) < (bounds[$1], $1) }
            result = try matchAny(query.clauses[order[0]], matcher, stop)
            for clause in order.dropFirst() where !result.docs.isEmpty {
                result = result.intersection(try matchAny(query.clauses[clause], matcher, stop))
            }
        }
        for phrase in query.exclusions where !result.docs.isEmpty {
            try stop.check()
            result = result.subtracting(try matcher.match(phrase).docs)
        }
        let filters = query.filters.map { ResolvedFilter($0.filter, negated: $0.negated, segment: segment) }
        guard !filters.isEmpty || tombstones.count > 0 else { return result }
        var kept = MatchList()
        for (index, doc) in result.docs.enumerated() {
            let position = Int(doc)
            if tombstones.count > 0 && tombstones.contains(position) { continue }
            if filters.allSatisfy({ $0.accepts(position, in: segment) }) { kept.append(doc, result.scores[index]) }
        }
        return kept
    }

    /// The documents of any of `phrases`, scores added in phrase order. A few phrases are merged
    /// list by list; more are summed into one table of the segment's documents, so that a long OR
    /// costs its postings, not its postings times its phrases.
    private func matchAny(_ phrases: [Phrase], _ matcher: SegmentMatcher, _ stop: SearchStop) throws(QueryError) -> MatchList {
        try stop.check()
        var result = try matcher.match(phrases[0])
        guard phrases.count > 4 else {
            for phrase in phrases.dropFirst() {
                try stop.check()
                result = result.union(try matcher.match(phrase))
            }
            return result
        }
        var scores = [Double](repeating: 0, count: segment.docCount)
        var matched = [Bool](repeating: false, count: segment.docCount)
        for (index, phrase) in phrases.enumerated() {
            if index > 0 {
                try stop.check()
                result = try matcher.match(phrase)
            }
            for (position, doc) in result.docs.enumerated() {
                scores[Int(doc)] += result.scores[position]
                matched[Int(doc)] = true
            }
        }
        result = MatchList()
        for doc in matched.indices where matched[doc] { result.append(UInt32(doc), scores[doc]) }
        return result
    }
}

/// A filter with its value resolved to this segment's interned string ids.
struct ResolvedFilter {
    enum Test {
        case section(UInt32?)
        case author(UInt32?)
        case page(UInt32?)
        case entity(UInt32?)
        case date(UInt32, UInt32)
    }

    let test: Test
    let negated: Bool

    init(_ filter: Filter, negated: Bool, segment: Segment) {
        self.negated = negated
        switch filter {
        case .section(let value): test = .section(segment.stringIDs.id(of: value))
        case .author(let value): test = .author(segment.stringIDs.id(of: value))
        case .page(let value): test = .page(segment.stringIDs.id(of: value))
        case .entity(let value, _): test = .entity(segment.stringIDs.id(of: value))
        case .date(let from, let to): test = .date(from, to)
        }
    }

    @inline(__always)
    func accepts(_ doc: Int, in segment: Segment) -> Bool {
        let matches: Bool
        switch test {
        case .section(let id): matches = id == segment.sectionKeyIDs[doc]
        case .author(let id): matches = id.map { segment.authors(of: doc).contains($0) } ?? false
        case .page(let id): matches = id == segment.pageIDRefs[doc]
        case .entity(let id): matches = id.map { segment.hasEntity(keyID: $0, doc: doc) } ?? false
        case .date(let from, let to): matches = segment.dates[doc] >= from && segment.dates[doc] <= to
        }
        return matches != negated
    }
}
