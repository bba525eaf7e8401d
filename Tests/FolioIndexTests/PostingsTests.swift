import Testing
@testable import FolioIndex

@Suite struct PostingsTests {
    @Test func phraseIntersectionJumpsOverBlocksCorrectly() throws {
        // 中国 in every document, 国银 only in every 97th: the cursor on 中国 must skip blocks.
        let articles = (0..<2000).map { number in
            TestCorpus.article(id: String(format: "s-%04d", number), page: "s",
                               headline: "第\(number)篇", body: [number % 97 == 0 ? "中国银行发布公告" : "中国人民银行"])
        }
        let index = SearchIndex()
        index.add(articles: articles)
        let expected = Set((0..<2000).filter { $0 % 97 == 0 }.map { String(format: "s-%04d", $0) })
        #expect(Set(try index.matchingArticleIDs("中国银行")) == expected)
        #expect(Set(try index.matchingArticleIDs("国银行发")) == expected)
        #expect(try index.matchingArticleIDs("人民银行").count == 2000 - expected.count)
        #expect(try index.matchingArticleIDs("中国").count == 2000)
    }

    @Test func termTableGrowsAndFindsEveryKey() {
        var table = TermTable(capacity: 4)
        for key in 0..<5000 { table.insert(UInt64(key) * 7919, UInt32(key)) }
        #expect(table.count == 5000)
        #expect((0..<5000).allSatisfy { table[UInt64($0) * 7919] == UInt32($0) })
        #expect(table[3] == nil)
        table.insert(7919, 42)
        #expect(table[7919] == 42 && table.count == 5000)
    }

    @Test func varIntsRoundTrip() {
        let values: [UInt32] = [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 21, UInt32.max]
        var bytes: [UInt8] = []
        for value in values { VarInt.append(value, to: &bytes) }
        var position = 0
        let decoded = bytes.withUnsafeBufferPointer { buffer in values.map { _ in VarInt.read(buffer, &position) } }
        #expect(decoded == values)
        #expect(position == bytes.count)
    }
}
