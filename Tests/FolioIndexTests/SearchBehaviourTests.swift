import Foundation
import FolioModel
import FolioTestSupport
import Testing
@testable import FolioIndex

@Suite struct SearchBehaviourTests {
    static func smallIndex() -> SearchIndex {
        let index = SearchIndex()
        index.add(articles: [
            TestCorpus.article(id: "p1-01", page: "p1", headline: "讓“第一動力”更澎湃",
                               body: ["為東北陸海新通道發揮錦州港作用，打造開放新高地。", "錦州港今年吞吐量創新高。"],
                               section: "錦州腳步", date: "2022-10-01", author: "崔治"),
            TestCorpus.article(id: "p2-01", page: "p2", headline: "锦州港扩建",
                               body: ["锦州港二期工程开工。ＡＢＣ公司参与建设。"], section: "经济",
                               date: "2022-11-15", author: "赵一"),
            TestCorpus.article(id: "p2-02", page: "p2", headline: "天气", body: ["港口风大，注意安全。"],
                               section: "经济", date: "2022-12-01"),
        ])
        return index
    }

    @Test func anOpenDateRangeLeavesUndatedArticlesOut() throws {
        let index = Self.smallIndex()
        index.add(articles: [TestCorpus.article(id: "p3-01", page: "p3", headline: "港口新闻", body: ["港口扩建。"], date: "")])
        #expect(Set(try index.matchingArticleIDs("港 date:..2022-10-31")) == ["p1-01"])
        #expect(Set(try index.matchingArticleIDs("港 date:2022-11-01..")) == ["p2-01", "p2-02"])
        #expect(Set(try index.matchingArticleIDs("港 -date:..2022-10-31")).contains("p3-01"))
    }

    /// Hong Kong and Taiwan standard forms (衞, 敍, 著 for the particle 着) match their
    /// Simplified and Traditional twins both ways.
    @Test func regionalStandardFormsMatchTheirTwins() throws {
        let index = SearchIndex()
        index.add(articles: [
            TestCorpus.article(id: "cn", page: "cn", headline: "卫生局", body: ["灵柩上覆盖着党旗，叙述往事。"]),
            TestCorpus.article(id: "hk", page: "hk", headline: "衞生局", body: ["靈柩上覆蓋着黨旗，敍述往事。"]),
            TestCorpus.article(id: "tw", page: "tw", headline: "衛生局", body: ["靈柩上覆蓋著黨旗，敘述往事。"]),
        ])
        for query in ["卫生局", "衞生局", "衛生局", "覆盖着党旗", "覆蓋著黨旗", "叙述", "敍述", "敘述"] {
            #expect(Set(try index.matchingArticleIDs(query)) == ["cn", "hk", "tw"], "\(query)")
        }
    }

    @Test func taiwanSnippetsAreConvertedAndTheirHighlightsStillMarkTheMatch() throws {
        let index = SearchIndex()
        index.add(articles: [TestCorpus.article(id: "t1", page: "t", headline: "用语",
                                                body: ["电脑的内存和博客都很重要，关键词甲子乙在这里，然后内存又出现。"])])
        var request = Folio_V1_SearchRequest()
        request.query = "甲子乙"
        request.script = .taiwan
        let hit = try #require(try index.search(request).hits.first)
        let scalars = Array(hit.snippet.unicodeScalars)
        #expect(hit.snippet.contains("記憶體"))
        for h in hit.highlights {
            #expect(String(String.UnicodeScalarView(scalars[Int(h.start)..<Int(h.end)])) == "甲子乙")
        }
        #expect(!hit.highlights.isEmpty)
    }

    /// Converted whole, 纪念周恩来 reads 紀念週恩來 (念周 taken for a phrase): the words a search
    /// found are converted on their own, as they are in the article.
    @Test func aPhraseAcrossAHighlightsEdgeDoesNotRewriteTheWordsFound() throws {
        let index = SearchIndex()
        index.add(articles: [TestCorpus.article(id: "z1", page: "z", headline: "纪念",
                                                body: ["各界人士纪念周恩来同志诞辰一百周年。"])])
        for script in [Folio_V1_OutputScript.traditional, .taiwan] {
            var request = Folio_V1_SearchRequest()
            request.query = "周恩来"
            request.script = script
            let hit = try #require(try index.search(request).hits.first)
            let scalars = Array(hit.snippet.unicodeScalars)
            #expect(!hit.highlights.isEmpty)
            for h in hit.highlights {
                #expect(String(String.UnicodeScalarView(scalars[Int(h.start)..<Int(h.end)])) == "周恩來", "\(script): \(hit.snippet)")
            }
        }
    }

    @Test func scoresAfterADeleteAreThoseOfTheArchiveIndexedAfresh() throws {
        let articles = (0..<12).map { k in
            TestCorpus.article(id: "p\(k)-01", page: "p\(k)", headline: "港口新闻\(k)",
                               body: [String(repeating: k % 3 == 0 ? "锦州港扩建。" : "天气晴朗，港口风大。", count: 1 + k % 4)])
        }
        let edited = SearchIndex()
        edited.add(articles: articles)
        _ = edited.remove(pageID: "p0")
        _ = edited.remove(pageID: "p3")
        let fresh = SearchIndex()
        fresh.add(articles: articles.filter { $0.pageID != "p0" && $0.pageID != "p3" })
        for query in ["港", "锦州港", "天气 OR 港口"] {
            var request = Folio_V1_SearchRequest()
            request.query = query
            request.limit = 100
            let a = try edited.search(request).hits.map { "\($0.articleID) \($0.score)" }
            let b = try fresh.search(request).hits.map { "\($0.articleID) \($0.score)" }
            #expect(a == b, "\(query)")
        }
    }

    @Test func kickersDatelinesAndPhotoCreditsAreSearchable() throws {
        var article = TestCorpus.article(id: "k1", page: "k", headline: "", body: ["部队为群众办实事。"])
        article.kicker = "大连军人出行真方便"
        article.dateline.text = "新华社大连１月２日电"
        article.dateline.reporters = ["张宿堂"]
        var caption = Folio_V1_Caption()
        caption.text = "军人在车站帮助旅客。"
        caption.credit = "兰红光摄"
        article.captions = [caption]
        let index = Self.smallIndex()
        index.add(articles: [article])
        for query in ["出行", "大连军人", "新华社", "张宿堂", "兰红光"] {
            #expect(try index.matchingArticleIDs(query) == ["k1"], "\(query)")
        }
    }

    @Test func laterPagesSayTheRankOfTheirFirstHit() throws {
        let index = Self.smallIndex()
        var request = Folio_V1_SearchRequest()
        request.query = "港"
        request.limit = 1
        var ranks: [UInt32] = []
        repeat {
            let response = try index.search(request)
            ranks.append(response.firstRank)
            request.pageToken = response.nextPageToken
        } while !request.pageToken.isEmpty
        #expect(ranks == [1, 2, 3])
    }

    /// A page token is plain base64 any reader can edit: a hit count past the wire's 32-bit ranks
    /// (which overflowed the next rank and stopped foliod) or past the query's hits is refused.
    @Test func aPageTokenWithAForgedHitCountIsRefused() throws {
        let index = Self.smallIndex()
        var request = Folio_V1_SearchRequest()
        request.query = "港"
        request.limit = 1
        let token = try index.search(request).nextPageToken
        var payload = String(decoding: try #require(Data(base64Encoded: token.replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/"))), as: UTF8.self)
        var parts = payload.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        var numbers = parts[2].split(separator: ",").map(String.init)
        for forged in ["7fffffffffffffff", "8000000000000000", "fffffffffffffffe", "3"] {
            numbers[2] = forged
            parts[2] = numbers.joined(separator: ",")
            payload = parts.joined(separator: "|")
            request.pageToken = PageToken.base64URL(Array(payload.utf8))
            #expect(throws: QueryError.self, "served \(forged)") { try index.search(request) }
        }
    }

    @Test func traditionalAndSimplifiedFindEachOther() throws {
        let index = Self.smallIndex()
        #expect(Set(try index.matchingArticleIDs("錦州港")) == ["p1-01", "p2-01"])
        #expect(Set(try index.matchingArticleIDs("锦州港")) == ["p1-01", "p2-01"])
        #expect(Set(try index.matchingArticleIDs("港")) == ["p1-01", "p2-01", "p2-02"])
        #expect(Set(try index.matchingArticleIDs("港口")) == ["p2-02"])
        #expect(Set(try index.matchingArticleIDs("abc")) == ["p2-01"])  // full-width and case folded
    }

    @Test func chineseRunIsAContiguousPhrase() throws {
        let index = Self.smallIndex()
        #expect(try index.matchingArticleIDs("州港今年").count == 1)
        #expect(try index.matchingArticleIDs("锦州今年").isEmpty)  // both characters exist, not in a row
        #expect(try index.matchingArticleIDs("\"新通道 發揮\"").isEmpty)  // no separator there
        #expect(try index.matchingArticleIDs("\"风大 注意\"") == ["p2-02"])  // one separator run between
        #expect(try index.matchingArticleIDs("\"港口 注意\"").isEmpty)
    }

    @Test func operatorsAndFilters() throws {
        let index = Self.smallIndex()
        #expect(Set(try index.matchingArticleIDs("锦州港 -工程")) == ["p1-01"])
        #expect(Set(try index.matchingArticleIDs("天气 OR 工程")) == ["p2-01", "p2-02"])
        #expect(Set(try index.matchingArticleIDs("港 section:经济")) == ["p2-01", "p2-02"])
        #expect(Set(try index.matchingArticleIDs("港 section:錦州脚步")) == ["p1-01"])
        #expect(Set(try index.matchingArticleIDs("港 author:\"崔 治\"")) == ["p1-01"])
        #expect(Set(try index.matchingArticleIDs("港 date:2022-11-01..2022-12-31")) == ["p2-01", "p2-02"])
        #expect(Set(try index.matchingArticleIDs("港 date:..2022-10-31")) == ["p1-01"])
        #expect(Set(try index.matchingArticleIDs("page:p2")) == ["p2-01", "p2-02"])
    }

    @Test func headlineMatchesRankFirst() throws {
        let index = Self.smallIndex()
        let ids = try index.matchingArticleIDs("天气 OR 风大")
        #expect(ids.first == "p2-02")
        let ranked = try index.matchingArticleIDs("锦州港")
        #expect(ranked.first == "p2-01")  // in its headline
    }

    /// Text copied from an article searches as text: a negative number (－５℃) is no exclusion, a
    /// quotation mark opened and not closed (“１１０报警) no unclosed phrase; a date in full-width
    /// digits is a date.
    @Test func textCopiedFromAnArticleSearchesAsText() throws {
        let index = Self.smallIndex()
        index.add(article: TestCorpus.article(id: "p3-01", page: "p3", headline: "寒潮来袭",
                                              body: ["今晨气温降到－５℃，市民拨打“１１０报警”求助。"], date: "2022-12-05"))
        #expect(try index.matchingArticleIDs("－５℃") == ["p3-01"])
        #expect(try index.matchingArticleIDs("-5℃") == ["p3-01"])
        #expect(try index.matchingArticleIDs("“１１０报警") == ["p3-01"])
        #expect(try index.matchingArticleIDs("「１１０报警") == ["p3-01"])
        #expect(try index.matchingArticleIDs("报警 date:２０２２－１２－０５") == ["p3-01"])
        #expect(Set(try index.matchingArticleIDs("港 -锦州")) == ["p2-02"])  // a minus before text still excludes
    }

    @Test func badQueriesAreTypedErrors() {
        let index = Self.smallIndex()
        let cases: [(String, QueryError.Code)] = [
            ("\"锦州", .unterminatedQuote), ("OR 港", .misplacedOperator), ("港 OR", .misplacedOperator),
            ("date:2022-13-01", .badFilter), ("date:2022-12-01..2022-01-01", .badFilter), ("section:", .badFilter),
            ("", .emptyQuery), ("   ", .emptyQuery),
        ]
        for (query, code) in cases {
            var request = Folio_V1_SearchRequest()
            request.query = query
            #expect(throws: QueryError.self, "\(query)") { try index.search(request) }
            do {
                _ = try index.search(request)
            } catch {
                #expect(error.code == code, "\(query): \(error)")
            }
        }
        var request = Folio_V1_SearchRequest()
        request.query = "港"
        request.pageToken = "garbage!"
        #expect(throws: QueryError.self) { try index.search(request) }
    }

    @Test func paginationIsCompleteAndATokenFromBeforeAWriteIsRefused() throws {
        let index = SearchIndex()
        index.add(articles: (0..<57).map { number in
            TestCorpus.article(id: String(format: "pg-%02d", number), page: "pg\(number % 5)",
                               headline: "第\(number)号", body: [String(repeating: "港口", count: 1 + number % 4) + "工作。"])
        })
        let all = try index.matchingArticleIDs("港口")
        var collected: [String] = []
        var request = Folio_V1_SearchRequest()
        request.query = "港口"
        request.limit = 10
        var pages = 0
        var firstToken = ""
        repeat {
            let response = try index.search(request)
            #expect(response.total == 57)
            collected += response.hits.map(\.articleID)
            request.pageToken = response.nextPageToken
            if pages == 0 { firstToken = response.nextPageToken }
            pages += 1
        } while !request.pageToken.isEmpty && pages < 20
        #expect(pages == 6)
        #expect(collected == all)
        request.query = "其他"
        request.pageToken = firstToken
        #expect(throws: QueryError.self) { try index.search(request) }  // token of another query
        // A write moves BM25's statistics and so the scores a cursor points into: the token is
        // refused (ABORTED on the wire), never followed into repeated or skipped hits.
        request.query = "港口"
        index.add(article: TestCorpus.article(id: "zz-new", page: "new", headline: "港口", body: ["其他内容"]))
        #expect(throws: QueryError.stalePageToken) { try index.search(request) }
        request.pageToken = ""
        #expect(try index.search(request).total == 58)
    }


    @Test func removeAndReplaceUpdateResults() throws {
        let index = Self.smallIndex()
        #expect(index.remove(pageID: "p2") == 2)
        #expect(try index.matchingArticleIDs("港") == ["p1-01"])
        index.replace(pageID: "p1", with: [TestCorpus.article(id: "p1-01", page: "p1", headline: "新标题", body: ["内容"])])
        #expect(try index.matchingArticleIDs("港").isEmpty)
        #expect(try index.matchingArticleIDs("标题") == ["p1-01"])
        #expect(index.articleCount == 1)
        // Many small writes: segments stay few, results stay exact.
        for number in 0..<40 {
            index.add(article: TestCorpus.article(id: "w-\(number)", page: "w\(number)", headline: "写入", body: ["第\(number)次"]))
        }
        #expect(index.segmentCount <= 7)
        #expect(try index.matchingArticleIDs("写入").count == 40)
        #expect(index.articleCount == 41)
    }

    /// A page replaced is never missing from search: the old version is searched until the new one
    /// is in place (a removal and then an addition, seen apart, left answers without the page).
    @Test func aReplacedPageIsSearchedOldOrNewNeverNeither() throws {
        let index = Self.smallIndex()
        var meanwhile: [String] = []
        let newer = TestCorpus.article(id: "p2-01", page: "p2", headline: "锦州港扩建提速", body: ["锦州港二期工程过半。"])
        try index.replace(pages: ["p2"], with: [(articles: [newer], pageSection: "")]) {
            meanwhile = (try? index.matchingArticleIDs("锦州港")) ?? []
        }
        #expect(Set(meanwhile) == ["p1-01", "p2-01"])
        #expect(Set(try index.matchingArticleIDs("锦州港")) == ["p1-01", "p2-01"])
        #expect(try index.matchingArticleIDs("过半") == ["p2-01"])
        #expect(try index.matchingArticleIDs("天气").isEmpty)
    }

    @Test func queriesRunWhileWritersSwapState() async throws {
        let index = Self.smallIndex()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for number in 0..<60 {
                    index.add(article: TestCorpus.article(id: "c-\(number)", page: "c", headline: "并发", body: ["锦州港"]))
                    if number % 10 == 9 { index.remove(pageID: "c") }
                }
            }
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<200 {
                        let ids = try index.matchingArticleIDs("錦州港")
                        #expect(ids.contains("p1-01") && ids.contains("p2-01"))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// A snippet starts with its paragraph when the match lies in the window's first half (a window
    /// placed a fifth before the match began mid-word: "路部門介紹…"); further in, after the end of a
    /// clause up to two fifths before the match. It ends at a clause end in its last fifth.
    @Test func aSnippetStartsAtItsParagraphOrAfterAClause() throws {
        let opening = "據鐵路部門介紹，因華北地區普降瑞雪，"
        let filler = String(repeating: "旅客紛紛改坐火車回家。", count: 12)
        let index = SearchIndex()
        index.add(articles: [TestCorpus.article(id: "a-01", page: "a", headline: "增開列車",
                                                body: [opening + "北京通往外地的公路運輸受到影響。" + filler + "上海也增開列車。" + filler])])
        var request = Folio_V1_SearchRequest()
        request.snippetChars = 40
        // The window ends after the last clause end in its last fifth (the first), else where it falls.
        for (query, start, prefix, count) in [("北京", 18, opening, 34), ("上海", 11, "旅客紛紛", 40)] {
            request.query = query
            let hit = try #require(try index.search(request).hits.first)
            #expect(hit.snippet.unicodeScalars.count == count)
            #expect(hit.highlights.first?.start == UInt32(start), "\(query)")
            #expect(hit.snippet.hasPrefix(prefix), "\(hit.snippet)")
        }
        // No clause end within reach: a fifth of the window before the match.
        index.add(articles: [TestCorpus.article(id: "b-01", page: "b", headline: "長句",
                                                body: [String(repeating: "旅客紛紛改坐火車回家", count: 6) + "廣州" + String(repeating: "旅客", count: 40)])])
        request.query = "廣州"
        let hit = try #require(try index.search(request).hits.first)
        #expect(hit.highlights.first?.start == 8)
        // Near the field's end: the window ends with the field and starts at the next clause (shorter).
        let tail = "今年春運客流增加北京站最忙"
        index.add(articles: [TestCorpus.article(id: "c-01", page: "c", headline: "春運",
                                                body: [String(repeating: "旅客", count: 15) + "，" + String(repeating: "火車", count: 9) + "站。" + tail])])
        request.query = "北京站"
        let last = try #require(try index.search(request).hits.first { $0.articleID == "c-01" })
        #expect(last.snippet == String(repeating: "火車", count: 9) + "站。" + tail)
        #expect(last.highlights.first?.start == 28)
    }

    @Test func snippetsAndScripts() throws {
        let index = Self.smallIndex()
        var request = Folio_V1_SearchRequest()
        request.query = "锦州港"
        request.snippetChars = 8
        let response = try index.search(request)
        let hit = try #require(response.hits.first { $0.articleID == "p1-01" })
        #expect(hit.snippet.unicodeScalars.count == 8)
        let highlight = try #require(hit.highlights.first)
        let scalars = Array(hit.snippet.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[Int(highlight.start)..<Int(highlight.end)])) == "錦州港")
        #expect(hit.section == "錦州腳步")
        #expect(hit.date == "2022-10-01")
        request.script = .simplified
        let simplified = try #require(try index.search(request).hits.first { $0.articleID == "p1-01" })
        #expect(simplified.section == "锦州脚步")
        #expect(simplified.snippet.contains("锦州港"))
    }
}

@Suite struct QueryRobustnessTests {
    /// Random strings over the query syntax's own characters: every one either answers or throws a
    /// QueryError; nothing crashes.
    @Test func arbitraryQueriesAnswerOrThrowTypedErrors() {
        let index = SearchBehaviourTests.smallIndex()
        let alphabet = Array("錦州港锦 港口-\"“”「」:：OR or section:date:..2022-10-01 page:p1 entity:author:ａＢ１\u{3000}\t")
        var random = SplitMix64(seed: 7)
        var answered = 0
        for _ in 0..<2000 {
            let length = Int.random(in: 0...24, using: &random)
            let query = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
            var request = Folio_V1_SearchRequest()
            request.query = query
            request.limit = 3
            request.snippetChars = UInt32.random(in: 0...20, using: &random)
            do {
                let response = try index.search(request)
                #expect(response.hits.count <= 3)
                for hit in response.hits {
                    let count = UInt32(hit.snippet.unicodeScalars.count)
                    #expect(hit.highlights.allSatisfy { $0.start < $0.end && $0.end <= count }, "\(query)")
                }
                answered += 1
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
        #expect(answered > 500)
    }
}

@Suite struct CalendarDayTests {
    @Test func onlyDaysTheCalendarHas() {
        for good in ["1998-01-31", "2000-02-29", "2024-02-29", "1998-12-31", "0001-01-01"] {
            #expect(CalendarDay(good) != nil, "\(good)")
        }
        for bad in ["1998-02-30", "1900-02-29", "1998-13-01", "1998-00-10", "1998-04-31", "1998-1-01", "garbage",
                    "", "1998-01-01x", "１９９８-01-01", "0000-01-01", "1998/01/01", "-998-01-01"] {
            #expect(CalendarDay(bad) == nil, "\(bad)")
        }
        #expect(CalendarDay("1998-01-02")!.packed == 19980102)
        #expect(CalendarDay("1998-01-02")! < CalendarDay("1998-10-01")!)
    }
}
