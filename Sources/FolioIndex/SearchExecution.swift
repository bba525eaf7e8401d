import Foundation
import FolioModel

/// A scored hit before it is rendered.
struct RankedHit {
    var score: Double
    var articleID: String
    var ref: DocRef

    /// Ranking order: higher score first, then article id ascending (deterministic ties).
    @inline(__always)
    func ranksBefore(_ other: RankedHit) -> Bool {
        score != other.score ? score > other.score : articleID < other.articleID
    }
}

/// One search over one index state: match every segment, keep the top hits after the page cursor
/// in a bounded heap, count all matches, render snippets for the page.
struct SearchExecution {
    static let defaultLimit = 10
    static let maxLimit = 1000
    static let defaultSnippetChars = 80
    static let maxSnippetChars = 2000

    let state: IndexState
    let request: Folio_V1_SearchRequest
    let query: ParsedQuery
    let cursor: PageToken?
    let stats: CorpusStats
    let generation: UInt64
    let stop: SearchStop

    /// `generation`: the state's (SearchIndex.pinned); a page token of another generation is refused.
    init(state: IndexState, request: Folio_V1_SearchRequest, generation: UInt64 = 0,
         stop: SearchStop = .never) throws(QueryError) {
        self.state = state
        self.request = request
        self.generation = generation
        self.stop = stop
        query = try ParsedQuery.parse(request.query).namingEntitiesByKey(state.entities)
        cursor = request.pageToken.isEmpty ? nil
            : try PageToken.decode(request.pageToken, query: request.query, generation: generation)
        stats = state.stats
    }

    var limit: Int {
        request.limit == 0 ? Self.defaultLimit : min(Int(request.limit), Self.maxLimit)
    }

    /// Visits every matching live document of every segment with its score.
    func forEachMatch(_ body: (Double, DocRef) -> Void) throws(QueryError) {
        for index in state.segments.indices {
            try forEachMatch(inSegment: index) { body($0, DocRef(segment: index, doc: $1)) }
        }
    }

    /// Visits every matching live document of one segment with its score.
    func forEachMatch(inSegment index: Int, _ body: (Double, Int) -> Void) throws(QueryError) {
        try stop.check()
        let segmentQuery = SegmentQuery(segment: state.segments[index], stats: stats, tombstones: state.tombstones[index])
        if segmentQuery.streamSingleTerm(query, body) { return }
        let matches = try segmentQuery.evaluate(query, stop: stop)
        for (position, doc) in matches.docs.enumerated() { body(matches.scores[position], Int(doc)) }
    }

    func allHits() throws(QueryError) -> [RankedHit] {
        var hits: [RankedHit] = []
        try forEachMatch { score, ref in
            hits.append(RankedHit(score: score, articleID: state.segments[ref.segment].articleIDs[ref.doc], ref: ref))
        }
        return hits.sorted { $0.ranksBefore($1) }
    }

    func run() throws(QueryError) -> Folio_V1_SearchResponse {
        var (hits, total) = try topHits()
        var response = Folio_V1_SearchResponse()
        response.total = UInt32(clamping: total)
        let before = cursor?.served ?? 0
        // The archive is the one the token ranked (same generation): it was issued with hits after it.
        if cursor != nil && before >= total { throw QueryError(.badPageToken, "the page token is not one this server issued") }
        response.firstRank = UInt32(clamping: before + 1)
        if hits.count > limit {
            hits.removeLast(hits.count - limit)
            if let last = hits.last {
                response.nextPageToken = PageToken(score: last.score, articleID: last.articleID,
                                                   generation: generation, served: before + hits.count)
                    .encode(query: request.query)
            }
        }
        let renderer = SnippetRenderer(query: query, snippetChars: snippetChars, script: request.script)
        warm(hits)
        // Rendering reads each hit's text: a call that ended meanwhile stops here too.
        var rendered: [Folio_V1_SearchHit] = []
        rendered.reserveCapacity(hits.count)
        for hit in hits {
            try stop.check()
            rendered.append(renderer.render(hit, in: state.segments[hit.ref.segment]))
        }
        response.hits = rendered
        return response
    }

    /// Reads what rendering will read for every hit (metadata, then every cache line of the start
    /// of the stored text) before rendering any: the cache misses of ten random documents then
    /// overlap instead of queueing one after another.
    private func warm(_ hits: [RankedHit]) {
        var sum = 0
        for hit in hits {
            let segment = state.segments[hit.ref.segment], doc = hit.ref.doc
            sum &+= segment.textStarts[doc] &+ Int(segment.dates[doc]) &+ Int(segment.pageIDRefs[doc])
                &+ Int(segment.sectionIDs[doc])
        }
        for hit in hits where state.segments[hit.ref.segment].storesText {
            let segment = state.segments[hit.ref.segment], doc = hit.ref.doc
            let start = segment.textStarts[doc], end = min(segment.textStarts[doc + 1], start + 4096)
            segment.textBytes.withUnsafeBufferPointer { text in
                for line in stride(from: start, to: end, by: 64) { sum &+= Int(text[line]) }
            }
        }
        WarmSink.shared.value = sum  // a store the optimizer cannot drop, so neither are the loads
    }

    /// The best `limit + 1` hits after the cursor (one extra tells whether another page follows),
    /// ranked, and the exact number of matches.
    func topHits() throws(QueryError) -> (hits: [RankedHit], total: Int) {
        // Per segment, a heap ordered by (score, rank of the article id in the segment): no string
        // work per hit. The few survivors of every segment are then merged by article id.
        var candidates: [RankedHit] = []
        var total = 0
        for (index, segment) in state.segments.enumerated() {
            var heap = SegmentTopHits(capacity: limit + 1)  // one extra tells whether another page follows
            let hotDocs = segment.hotDocs
            // After the cursor: lower score, or the same score and a greater article id (a rank at or
            // above `rankAfterCursor`).
            let cursorScore = cursor?.score ?? .infinity
            let rankAfterCursor = cursor.map { UInt32(segment.idRankAfter($0.articleID)) } ?? 0
            try forEachMatch(inSegment: index) { score, doc in
                total += 1
                let rank = hotDocs[doc].idRank
                if score > cursorScore || (score == cursorScore && rank < rankAfterCursor) { return }
                heap.offer(SegmentHit(score: score, rank: rank, doc: UInt32(doc)))
            }
            for hit in heap.items {
                let doc = Int(hit.doc)
                candidates.append(RankedHit(score: hit.score, articleID: segment.articleIDs[doc],
                                            ref: DocRef(segment: index, doc: doc)))
            }
        }
        candidates.sort { $0.ranksBefore($1) }
        return (Array(candidates.prefix(limit + 1)), total)
    }

    private var snippetChars: Int {
        request.snippetChars == 0 ? Self.defaultSnippetChars : min(Int(request.snippetChars), Self.maxSnippetChars)
    }
}

/// A hit inside one segment: ties on score are broken by the rank of the article id.
struct SegmentHit {
    var score: Double
    var rank: UInt32
    var doc: UInt32

    @inline(__always)
    func ranksBefore(_ other: SegmentHit) -> Bool {
        score != other.score ? score > other.score : rank < other.rank
    }
}

/// A bounded min-heap keeping the best `capacity` hits of one segment.
struct SegmentTopHits {
    let capacity: Int
    private(set) var items: [SegmentHit] = []

    init(capacity: Int) {
        self.capacity = capacity
        items.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func offer(_ hit: SegmentHit) {
        if items.count < capacity {
            items.append(hit)
            siftUp(items.count - 1)
        } else if hit.ranksBefore(items[0]) {
            items[0] = hit
            siftDown(0)
        }
    }

    // The root is the worst hit: a parent never ranks before its children.
    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[parent].ranksBefore(items[child]) else { return }
            items.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < items.count && items[worst].ranksBefore(items[left]) { worst = left }
            if right < items.count && items[worst].ranksBefore(items[right]) { worst = right }
            if worst == parent { return }
            items.swapAt(parent, worst)
            parent = worst
        }
    }
}

/// A cursor: the ranking key of the last hit of the previous page, bound to its query and to the
/// index generation it ranked (a write changes BM25's statistics, so scores move under the cursor).
struct PageToken {
    var score: Double
    var articleID: String
    var generation: UInt64
    /// Hits on the pages before.
    var served = 0

    func encode(query: String) -> String {
        var payload = "4|"
        payload += Self.fingerprint(query)
        payload += "|"
        payload += String(score.bitPattern, radix: 16)
        payload += ","
        payload += String(generation, radix: 16)
        payload += ","
        payload += String(served, radix: 16)
        payload += "|"
        payload += articleID
        return Self.base64URL(Array(payload.utf8))
    }

    /// Padded base64 with the URL-safe alphabet (`-` and `_`), what `decode` reads back.
    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int((value >> UInt32(shift)) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let value = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out.append(alphabet[Int(value >> 18 & 63)])
            out.append(alphabet[Int(value >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(value >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ token: String, query: String, generation: UInt64) throws(QueryError) -> PageToken {
        let base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            throw QueryError(.badPageToken, "the page token is not one this server issued")
        }
        let parts = text.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, ["2", "3", "4"].contains(parts[0]) else {
            throw QueryError(.badPageToken, "the page token is not one this server issued")
        }
        let numbers = parts[2].split(separator: ",").compactMap { UInt64($0, radix: 16) }
        // Versions 2 and 3 came from daemons before generations: the archive they ranked is gone.
        guard parts[0] == "4", numbers.count == 3 else { throw QueryError.stalePageToken }
        guard parts[1] == fingerprint(query) else {
            throw QueryError(.badPageToken, "the page token belongs to a different query")
        }
        guard numbers[1] == generation else { throw QueryError.stalePageToken }
        // Ranks are 32-bit on the wire: no token this server issued counts more hits (a forged one
        // would overflow the next rank).
        guard numbers[2] <= UInt64(UInt32.max) else { throw QueryError(.badPageToken, "the page token is not one this server issued") }
        return PageToken(score: Double(bitPattern: numbers[0]), articleID: String(parts[3]),
                         generation: numbers[1], served: Int(numbers[2]))
    }

    /// FNV-1a of the request a page token was issued for, in hexadecimal: a token is refused for
    /// any other request (an entity list of another type, another query).
    static func fingerprint(_ query: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in query.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return String(hash, radix: 16)
    }

    private func fingerprint(_ query: String) -> String { Self.fingerprint(query) }
}

/// Receives the result of `SearchExecution.warm` so that its loads are not optimized away.
// @unchecked: a racy write is harmless here: the value is never read, it only keeps the loads alive.
final class WarmSink: @unchecked Sendable {
    static let shared = WarmSink()
    var value = 0
}
