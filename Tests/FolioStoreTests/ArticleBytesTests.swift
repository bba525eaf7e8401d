import FolioModel
import FolioTestSupport
import SwiftProtobuf
import Testing
@testable import FolioStore

/// `ArticleBytes.serialized` writes the bytes swift-protobuf's `serializedBytes()` writes.
struct ArticleBytesTests {
    static func expectSame(_ article: Folio_V1_Article, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected: [UInt8] = try article.serializedBytes()
        #expect(try ArticleBytes.serialized(article) == expected, "article \(article.id)", sourceLocation: sourceLocation)
    }

    /// Every entity of every kind the recognizer and the corpus give, and values at the edges.
    static func entity(_ k: Int) -> Folio_V1_Entity {
        var entity = Folio_V1_Entity()
        entity.type = [.unspecified, .person, .place, .organization, .quantity, .date, .UNRECOGNIZED(300)][k % 7]
        entity.text = ["", "李鹏", "锦州市自然资源局", "１７．２万平方米", String(repeating: "长", count: 60)][k % 5]
        entity.normalized = ["", "李鹏", "1998-01-02", "172000 平方米"][k % 4]
        entity.mentions = (0..<(k % 4)).map { m in
            var mention = Folio_V1_Mention()
            mention.block = [0, 1, 127, 128, 70_000, .max][(k + m) % 6]
            mention.start = UInt32((k * 7 + m) % 300)
            mention.end = mention.start + UInt32(m)
            mention.field = [.block, .headline, .subtitle, .caption, .UNRECOGNIZED(200)][(k + m) % 5]
            return mention
        }
        if k % 3 == 0 {
            var quantity = Folio_V1_Quantity()
            quantity.value = [0, -0.0, 172_000, 2.2, -5, .nan, .infinity, 1e300][k % 8]
            quantity.unit = k % 2 == 0 ? "平方米" : ""
            quantity.upTo = [0, 3, -0.0, 2.5][k % 4]
            entity.quantity = quantity
        }
        return entity
    }

    @Test func entitiesOfEveryKind() throws {
        for n in 0..<60 {
            var article = Folio_V1_Article()
            article.id = "p-\(n)"
            article.headline = n % 2 == 0 ? "标题" : ""
            article.body = [.with { $0.text = "正文"; $0.lines = [1, 2] }]
            article.entities = (0..<n).map { Self.entity($0 * 13 + n) }
            if n % 3 == 0 { article.lines = .with { $0.first = UInt32(n); $0.last = UInt32(n + 4) } }
            if n % 4 == 1 { article.lines = Folio_V1_LineRange() }
            if n % 5 == 0 { article.diagnostics = [.with { $0.code = "dateline-repaired"; $0.line = 3; $0.severity = .warning }] }
            article.date = n % 2 == 1 ? "1998-01-0\(n % 9 + 1)" : ""
            try Self.expectSame(article)
        }
    }

    @Test(.enabled(if: SharedCorpus.isPresent, "the shared corpus (../shared) is not here"))
    func pfrArticles() throws {
        let articles = try PFRCorpus.articles(jsonl: SharedCorpus.pfrArticlesPath)
        #expect(articles.count > 500)
        for article in articles { try Self.expectSame(article) }
    }

    /// Values this writer leaves to swift-protobuf: the same bytes through it.
    @Test func fallsBackOnWhatItDoesNotWrite() throws {
        var article = Folio_V1_Article()
        article.entities = [Self.entity(1)]
        article.entities[0].type = .UNRECOGNIZED(-3)
        try Self.expectSame(article)
        article.entities[0].type = .person
        article.entities[0].mentions = [.with { $0.field = .UNRECOGNIZED(-1); $0.start = 2 }]
        try Self.expectSame(article)
        // Field 31 (varint 5), unknown to the schema: read back, it is kept as an unknown field.
        let withUnknown = try Folio_V1_Article(serializedBytes: try article.serializedBytes() + [0xF8, 0x01, 0x05])
        #expect(!withUnknown.unknownFields.data.isEmpty)
        try Self.expectSame(withUnknown)
    }

    /// The writer knows every field of these messages: one added to the schema must be added there too.
    @Test func knowsEveryField() {
        func fields(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label).sorted() }
        #expect(fields(Folio_V1_Entity()) == ["_quantity", "mentions", "normalized", "text", "type", "unknownFields"])
        #expect(fields(Folio_V1_Mention()) == ["block", "end", "field", "start", "unknownFields"])
        #expect(fields(Folio_V1_Quantity()) == ["unit", "unknownFields", "upTo", "value"])
    }
}
