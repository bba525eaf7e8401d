import FolioModel
import FolioTestSupport
import Testing
@testable import FolioStore

/// The index's reading of a stored article keeps exactly the searchable text and steps over the rest.
@Suite(.enabled(if: SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) struct SearchableTextTests {
    /// pfr1998 articles with every other kind of field filled in too.
    static let articles: [Folio_V1_Article] = {
        let base = (try? PFRCorpus.articles(jsonl: SharedCorpus.pfrArticlesPath)) ?? []
        return base.prefix(300).enumerated().map { index, source in
            var article = source
            article.kicker = "引题——"
            article.subtitle = index % 2 == 0 ? "——副题" : ""
            article.date = "1998-01-0\(index % 9 + 1)"
            article.bylines = [.with { $0.name = "何伟"; $0.role = "本报记者"; $0.line = 3 }]
            article.dateline = .with {
                $0.agency = "新华社"; $0.place = "北京"; $0.reporters = ["某某"]; $0.text = "新华社北京电"; $0.line = 7
            }
            article.lead = [.with { $0.text = "核心提示：导语"; $0.lines = [1, 2]; $0.startsMidSentence = true }]
            article.body = article.body.map { block in
                var copy = block
                copy.lines = [4, 5, 300]
                copy.endsMidSentence = true
                return copy
            }
            article.captions = [.with { $0.text = "图为会场"; $0.credit = "某某摄"; $0.lines = [9] }]
            article.entities = [.with {
                $0.type = .person
                $0.text = "何伟"
                $0.normalized = "何伟"
                $0.mentions = [.with { $0.block = 1; $0.start = 2; $0.end = 4 }]
            }]
            article.lines = .with { $0.first = 1; $0.last = 40 }
            return article
        }
    }()

    static func searchable(_ article: Folio_V1_Article) -> Folio_V1_Article {
        var expected = Folio_V1_Article()
        expected.kicker = article.kicker
        expected.headline = article.headline
        expected.subtitle = article.subtitle
        expected.bylines = article.bylines.map { byline in .with { $0.name = byline.name } }
        expected.lead = article.lead.map { block in .with { $0.text = block.text } }
        expected.body = article.body.map { block in .with { $0.text = block.text } }
        expected.dateline = .with { $0.text = article.dateline.text; $0.reporters = article.dateline.reporters }
        expected.captions = article.captions.map { caption in .with { $0.text = caption.text; $0.credit = caption.credit } }
        return expected
    }

    @Test func keepsTheSearchableFieldsOnly() throws {
        #expect(Self.articles.count == 300)
        for article in Self.articles {
            let bytes: [UInt8] = try article.serializedBytes()
            #expect(try SearchableText.article(bytes) == Self.searchable(article), "\(article.id)")
        }
    }

    /// An article of many paragraphs reads back whole (its blocks were appended one by one to the
    /// message's array, which copied it each time: quadratic, 4.6 s for 27,000 paragraphs).
    @Test func anArticleOfManyParagraphsReadsBackWhole() throws {
        var article = Self.articles[0]
        article.body = (0..<20_000).map { index in .with { $0.text = "第\(index)段。" } }
        article.captions = (0..<500).map { index in .with { $0.text = "图\(index)" } }
        let bytes: [UInt8] = try article.serializedBytes()
        #expect(try SearchableText.article(bytes) == Self.searchable(article))
    }

    @Test func damagedBytesGiveAnErrorNotACrash() throws {
        let bytes: [UInt8] = try Self.articles[0].serializedBytes()
        var random = SplitMix64(seed: 3)
        for cut in stride(from: 1, to: bytes.count, by: 7) {
            _ = try? SearchableText.article(Array(bytes[..<cut]))
            var flipped = bytes
            flipped[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            _ = try? SearchableText.article(flipped)
        }
        #expect(throws: (any Error).self) { try SearchableText.article(Array(bytes[..<(bytes.count - 1)])) }
    }
}
