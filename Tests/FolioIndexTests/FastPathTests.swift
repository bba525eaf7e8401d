import FolioModel
import FolioTestSupport
import Testing
@testable import FolioIndex

/// The query fast paths (streamed phrase counting on the varint streams, per-segment ranking by
/// article-id rank, snippet matching on stored UTF-16) give exactly what the general paths give.
@Suite(.enabled(if: SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) struct FastPathTests {
    static var index: SearchIndex { SearchPropertyTests.index }

    /// Weighted phrase counts from positions equal a count on the stored text, headline included.
    @Test func positionalCountsEqualTextCounts() throws {
        var random = SplitMix64(seed: 7)
        let state = Self.index.state
        var compared = 0
        for _ in 0..<50 {
            let run = SearchPropertyTests.randomRun(&random)
            guard let phrase = Phrase(run), phrase.unitCount >= 3 else { continue }
            for segment in state.segments {
                let plan = PhrasePlan(phrase, stats: state.stats)
                guard plan.isolated.isEmpty, plan.gaps.isEmpty else { continue }
                let ids = plan.cover.compactMap { segment.termID(for: $0) }
                guard ids.count == plan.cover.count else { continue }
                var fromPositions: [Int: UInt32] = [:]
                SegmentMatcher(segment: segment, stats: state.stats)
                    .forEachPositionalMatch(plan.cover, ids: ids, checked: false, accept: { _ in true }) { doc, count in
                        fromPositions[doc] = count
                    }
                for doc in 0..<segment.docCount {
                    let fromText = PhraseVerifier.count(plan.units, gaps: plan.gaps, in: segment, doc: doc)
                    #expect(fromPositions[doc, default: 0] == fromText, "\(run) in \(segment.articleIDs[doc])")
                    if fromText > 0 { compared += 1 }
                }
            }
        }
        #expect(compared > 25)  // documents where the phrase occurs: the comparison is not vacuous
    }

    /// Snippet ranges found on UTF-16 code units equal those of the analyzer over the field's String.
    @Test func unitScanEqualsAnalyzerScan() throws {
        var random = SplitMix64(seed: 11)
        let segment = try #require(Self.index.state.segments.first)
        var nonEmpty = 0
        for round in 0..<60 {
            let run = SearchPropertyTests.randomRun(&random)
            let other = SearchPropertyTests.randomRun(&random)
            let query = try ParsedQuery.parse(round % 3 == 0 ? "\(run) OR \(other)" : run)
            let finder = MatchFinder(query.clauses.flatMap { $0 })
            for doc in stride(from: round % 7, to: segment.docCount, by: 7) {
                let units = segment.units(of: doc)
                units.withUnsafeBufferPointer { text in
                    for field in fieldRanges(text) {
                        let fieldUnits = UnsafeBufferPointer(rebasing: text[field])
                        let fromUnits = finder.ranges(in: fieldUnits)
                        #expect(fromUnits == finder.ranges(in: stringFromUTF16(fieldUnits)), "\(run) in doc \(doc)")
                        if !fromUnits.isEmpty { nonEmpty += 1 }
                    }
                }
            }
        }
        #expect(nonEmpty > 50)
    }

    /// The snippet window placed from the earliest match with bounded scans equals the general
    /// path's (whole field, then window), text and highlights, for any window length.
    @Test func fastSnippetEqualsGeneralSnippet() throws {
        var random = SplitMix64(seed: 23)
        let state = Self.index.state
        var compared = 0
        for round in 0..<80 {
            let run = SearchPropertyTests.randomRun(&random)
            let other = SearchPropertyTests.randomRun(&random)
            let text = round % 4 == 0 ? "\(run) OR \(other)" : run
            let query = try ParsedQuery.parse(text)
            let length = [1, 3, 8, 20, 80, 200][round % 6]
            let fast = SnippetRenderer(query: query, snippetChars: length, script: .original)
            var general = fast
            general.allowsFastPath = false
            var request = Folio_V1_SearchRequest()
            request.query = text
            let execution = try SearchExecution(state: state, request: request)
            for hit in try execution.allHits().prefix(20) {
                let segment = state.segments[hit.ref.segment]
                let a = fast.render(hit, in: segment), b = general.render(hit, in: segment)
                #expect(a.snippet == b.snippet && a.highlights == b.highlights && a.headline == b.headline,
                        "\(text) (\(length)) in \(hit.articleID)")
                compared += 1
            }
        }
        #expect(compared > 200)
    }

    /// The segment's byte code gives back exactly the text it was built from, every field of every
    /// document, and the headline read up to the first newline byte is the first field.
    @Test func storedTextRoundTrips() throws {
        let articles = SearchPropertyTests.articles
        let segment = try #require(Self.index.state.segments.first)
        var byID: [String: Folio_V1_Article] = [:]
        for article in articles { byID[article.id] = article }
        var compared = 0
        for doc in 0..<segment.docCount {
            guard let article = byID[segment.articleIDs[doc]] else { continue }
            let fields = DocSource(article: article).fields
            #expect(segment.fields(of: doc) == fields, "\(article.id)")
            compared += 1
        }
        #expect(compared > 100)
        // Smaller than the UTF-16 it replaces.
        let units = (0..<segment.docCount).reduce(0) { $0 + segment.units(of: $1).count }
        #expect(segment.textBytes.count < units * 2 * 4 / 5)
        // Units outside any table slot (rare characters, surrogates, U+FFFD) take the escape.
        let rare = TextCodec(coding: Array("中中中国\n".utf16))
        var bytes: [UInt8] = []
        let codes = rare.encodingTable()
        let sample = Array("中\u{10437}国\u{FFFD}\n字".utf16)
        for unit in sample { TextCodec.append(unit, codes: codes, to: &bytes) }
        var decoded: [UInt16] = []
        bytes.withUnsafeBufferPointer { rare.decode($0, 0..<bytes.count, into: &decoded) }
        #expect(decoded == sample)
        #expect(bytes.withUnsafeBufferPointer(TextCodec.isWellFormed))
        #expect(!bytes.dropLast().withUnsafeBufferPointer(TextCodec.isWellFormed))
    }

    /// Identical articles under different ids in several segments tie on score: pages follow the
    /// article ids, the ids-only answer equals the full one, and paging visits every match once.
    @Test func tiesFollowArticleIDsAcrossSegments() throws {
        let base = Array(SearchPropertyTests.articles.prefix(40))
        let index = SearchIndex()
        for replica in [3, 1, 2] { index.add(articles: PFRCorpus.replicate(base, replica: replica)) }
        #expect(index.segmentCount > 1)
        for query in ["中国", "人民", "发展的", "经济", "中国 发展", "人民 日 报"] {
            let all = try index.matchingArticleIDs(query)
            let top = try index.topArticleIDs(query, limit: 7)
            var request = Folio_V1_SearchRequest()
            request.query = query
            request.limit = 7
            var paged: [String] = []
            var scores: [Double] = []
            var first = true
            repeat {
                let response = try index.search(request)
                if first {
                    #expect(response.hits.map(\.articleID) == top.ids)
                    #expect(Int(response.total) == top.total && top.total == all.count)
                    first = false
                }
                paged += response.hits.map(\.articleID)
                scores += response.hits.map(\.score)
                request.pageToken = response.nextPageToken
            } while !request.pageToken.isEmpty
            #expect(paged == all, "\(query)")
            for index in scores.indices.dropFirst() where scores[index] == scores[index - 1] {
                #expect(paged[index - 1] < paged[index], "tie order for \(query)")
            }
        }
    }
}
