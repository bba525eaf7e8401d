import FolioModel

extension SearchIndex {
    static let defaultEntityPageSize = 50
    static let maxEntityPageSize = 1000

    /// Entities of the archive, filtered by type and folded prefix, most mentioned first or by text.
    public func listEntities(_ request: Folio_V1_ListEntitiesRequest) throws(QueryError) -> Folio_V1_ListEntitiesResponse {
        let pinned = self.pinned
        let catalog = pinned.state.entities
        let prefix = foldedKey(request.prefix)
        let type = UInt8(clamping: request.type.rawValue)
        var entries = catalog.records.filter { key, _ in
            (type == 0 || key.type == type) && (prefix.isEmpty || key.text.hasPrefix(prefix))
        }.map { ($0.key, $0.value) }
        switch request.order {
        case .text, .UNRECOGNIZED:
            entries.sort { ($0.0.text, $0.0.type) < ($1.0.text, $1.0.type) }
        case .mostMentioned:
            entries.sort { ($1.1.mentions, $0.0.text, $0.0.type) < ($0.1.mentions, $1.0.text, $1.0.type) }
        }
        let asked = "list|\(type)|\(prefix)|\(request.order.rawValue)"
        let offset = try OffsetToken.decode(request.pageToken, generation: pinned.generation, request: asked)
        let size = try pageSize(request.pageSize)
        var response = Folio_V1_ListEntitiesResponse()
        response.total = UInt32(clamping: entries.count)
        let page = entries.dropFirst(offset).prefix(size)
        response.entities = page.map { catalog.summary($0.0, $0.1) }
        if offset + page.count < entries.count {
            response.nextPageToken = OffsetToken.encode(offset + page.count, generation: pinned.generation, request: asked)
        }
        return response
    }

    /// The key of the entity `text` names (its key or one of its forms, either script), for filters
    /// that take an entity: `两个` and `2 个` find the number keyed `2个`. Nil when none does.
    public func entityKey(for text: String) -> String? {
        state.entities.lookup(text: foldedKey(text), type: 0)?.0.text
    }

    /// One entity (either script, any type unless given) and every mention of it across the archive.
    public func getEntity(_ request: Folio_V1_GetEntityRequest, stop: SearchStop = .never) throws(QueryError) -> Folio_V1_GetEntityResponse? {
        try stop.check()
        let pinned = self.pinned, state = pinned.state
        let text = foldedKey(request.text)
        guard !text.isEmpty else { throw QueryError(.emptyQuery, "an entity text is required") }
        guard let (key, record) = state.entities.lookup(text: text, type: UInt8(clamping: request.type.rawValue))
        else { return nil }
        let asked = "get|\(key.type)|\(key.text)"
        let offset = try OffsetToken.decode(request.pageToken, generation: pinned.generation, request: asked)
        let size = try pageSize(request.pageSize)
        // Mentions in page id order, then article id: the same archive lists them alike, whatever
        // order its pages were written in (segments hold them in write order). Only the page's are
        // built, and only their articles' text is read (an entity in 30,000 articles read every one
        // for each page of 50).
        let page = offset..<(offset + size)
        var holders: [(pageID: String, articleID: String, segment: Int, doc: Int)] = []
        for (index, segment) in state.segments.enumerated() {
            if index > 0 { try stop.check() }
            for doc in segment.docs(withEntity: key.type, text: key.text) where !state.tombstones[index].contains(doc) {
                holders.append((segment.pageID(of: doc), segment.articleIDs[doc], index, doc))
            }
        }
        holders.sort { $0.pageID != $1.pageID ? $0.pageID < $1.pageID : $0.articleID < $1.articleID }
        var mentions: [Folio_V1_EntityMention] = []
        var total = 0
        for holder in holders {
            let segment = state.segments[holder.segment], doc = holder.doc
            var fields: [String]? = nil
            segment.forEachEntity(of: doc) { entity in
                guard entity.type == key.type, segment.strings[Int(entity.keyID)] == key.text else { return }
                let first = total
                total += Int(entity.mentionCount)
                guard first < page.upperBound && total > page.lowerBound else { return }
                let text = fields ?? segment.fields(of: doc)
                fields = text
                for (number, mention) in segment.mentions(of: entity).enumerated() where page.contains(first + number) {
                    var item = Folio_V1_EntityMention()
                    item.articleID = holder.articleID
                    item.pageID = holder.pageID
                    item.headline = text.first ?? ""
                    item.text = Self.mentionText(mention, fields: text, blockCount: Int(segment.blockCounts[doc]))
                        ?? segment.strings[Int(entity.formID)]
                    item.mention = mention
                    mentions.append(item)
                }
            }
        }
        var response = Folio_V1_GetEntityResponse()
        response.entity = state.entities.summary(key, record)
        response.mentions = mentions
        if page.upperBound < total {
            response.nextPageToken = OffsetToken.encode(page.upperBound, generation: pinned.generation, request: asked)
        }
        return response
    }

    /// As ListArticles and ListPages: a page size above the most is refused, not cut down silently.
    private func pageSize(_ requested: UInt32) throws(QueryError) -> Int {
        guard requested <= Self.maxEntityPageSize else {
            throw QueryError(.badPageSize, "page_size \(requested) is above the maximum of \(Self.maxEntityPageSize)")
        }
        return requested == 0 ? Self.defaultEntityPageSize : Int(requested)
    }

    /// The mentioned characters as they stand on the page, when the offsets are valid.
    static func mentionText(_ mention: Folio_V1_Mention, fields: [String], blockCount: Int) -> String? {
        let field: Int
        switch mention.field {
        case .headline: field = DocSource.headlineField
        case .subtitle: field = DocSource.subtitleField
        case .block: field = DocSource.firstBlockField + Int(mention.block)
        case .caption: field = DocSource.firstBlockField + blockCount + Int(mention.block)
        case .UNRECOGNIZED: return nil
        }
        guard field < fields.count, mention.start < mention.end else { return nil }
        let scalars = Array(fields[field].unicodeScalars)
        guard Int(mention.end) <= scalars.count else { return nil }
        return String(String.UnicodeScalarView(scalars[Int(mention.start)..<Int(mention.end)]))
    }
}

/// Page tokens for listings ordered by a fixed sort: the offset of the next item and the index
/// generation it counts in (a write shifts every offset after it: such a token is refused).
/// `o<offset>g<generation>r<fingerprint of the request>`: a token names its archive generation and
/// the request it was issued for (a person list's token reused for places went on at its offset).
enum OffsetToken {
    static func encode(_ offset: Int, generation: UInt64, request: String) -> String {
        "o\(offset)g\(String(generation, radix: 16))r\(PageToken.fingerprint(request))"
    }

    static func decode(_ token: String, generation: UInt64, request: String) throws(QueryError) -> Int {
        guard !token.isEmpty else { return 0 }
        let parts = token.dropFirst().split(omittingEmptySubsequences: false) { $0 == "g" || $0 == "r" }
        // No archive holds 2³² entities or mentions: a larger offset is no token of ours (and would
        // overflow the page's end).
        guard token.hasPrefix("o"), parts.count == 3, let offset = Int(parts[0]), offset >= 0, offset <= UInt32.max,
              let issued = UInt64(parts[1], radix: 16) else {
            throw QueryError(.badPageToken, "the page token is not one this server issued")
        }
        guard parts[2] == PageToken.fingerprint(request) else {
            throw QueryError(.badPageToken, "the page token was issued for another request (type, prefix, order or entity)")
        }
        guard issued == generation else { throw QueryError.stalePageToken }
        return offset
    }
}
