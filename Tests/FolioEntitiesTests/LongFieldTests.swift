import Testing
import FolioModel
import FolioTestSupport
@testable import FolioEntities

/// Text far longer than any printed paragraph (a page dumped as one line): recognized stretch by
/// stretch, with the same answers as the direct forms of each step, and offsets into the field.
@Suite struct LongFieldTests {
    func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    @Test func shortFieldsAreNotCut() {
        let s = scalars(String(repeating: "锦州港开展多式联运。", count: 400))   // 4000 scalars
        s.withUnsafeBufferPointer { #expect(EntityRecognizer.segments($0) == [0, s.count]) }
    }

    @Test func longFieldsAreCutAfterSentenceEndsElseClausesElseAnywhere() {
        let sentences = scalars(String(repeating: "王大川在北京，会见了李四。", count: 1000))
        let clauses = scalars(String(repeating: "王大川在北京，会见了李四", count: 1000))
        let nothing = scalars(String(repeating: "测", count: 10_000))
        for (s, end) in [(sentences, "。"), (clauses, "，"), (nothing, nil)] {
            s.withUnsafeBufferPointer { b in
                let cuts = EntityRecognizer.segments(b, length: 1000)
                #expect(cuts.first == 0 && cuts.last == s.count)
                for (from, to) in zip(cuts, cuts.dropFirst()) {
                    #expect(to > from && to - from <= 1000)
                    if let end, to < s.count { #expect(b[to - 1] == end.unicodeScalars.first!.value) }
                }
                if end == nil { #expect(cuts == Array(stride(from: 0, to: s.count, by: 1000)) + [s.count]) }
            }
        }
    }

    @Test func namesOfEveryStretchAtTheirFieldOffsets() throws {
        // 25 sentences of 16 scalars: the field is cut about every 4096 scalars.
        var text = ""
        var at: [Int] = []
        for i in 0..<1000 {
            at.append(text.unicodeScalars.count + 2)
            text += i % 2 == 0 ? "昨天李鹏在北京会见了外宾。" : "今天他到上海市参观了工厂。"
        }
        #expect(text.unicodeScalars.count > 3 * EntityRecognizer.segmentLength)
        let found = EntityRecognizer.combined.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: nil)
        let person = try #require(found.first { $0.type == .person && $0.normalized == "李鹏" })
        let starts = person.mentions.map { Int($0.start) }
        // Every mention, including those past the first cut, sits on 李鹏 in the field.
        #expect(starts == stride(from: 0, to: 1000, by: 2).map { at[$0] })
    }

    @Test func wordCountsOfALongArticleMatchAScan() {
        var random = SplitMix64(seed: 7)
        let alphabet = scalars("王李张刘在北京上海会见了。")
        let text = (0..<(WordCounts.indexFrom + 5000)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        let counts = WordCounts()
        text.withUnsafeBufferPointer { t in
            for _ in 0..<300 {
                let length = 2 + Int(random.next() % 4)
                let start = Int(random.next() % UInt64(t.count - length))
                // Words of the text and words it may not hold.
                var word = Array(t[start..<(start + length)])
                if random.next() % 3 == 0 { word[length - 1] = 0x4E00 + UInt32(random.next() % 64) }
                word.withUnsafeBufferPointer { w in
                    #expect(counts.count(w, in: t) == EntityRecognizer.count(w, in: t))
                    #expect(counts.count(w, in: t) == EntityRecognizer.count(w, in: t))   // asked again
                }
            }
        }
    }

    @Test func taggedNamesAnswerLikeAPassOverAll() {
        var random = SplitMix64(seed: 11)
        let types: [Folio_V1_EntityType] = [.person, .place, .organization]
        var names: [Candidate] = [Candidate(type: .place, start: 0, end: 0, rank: 0)]   // index 0 left out below
        for _ in 0..<400 {
            let start = Int(random.next() % 2000), length = 1 + Int(random.next() % (random.next() % 10 == 0 ? 300 : 6))
            names.append(Candidate(type: types[Int(random.next() % 3)], start: start, end: start + length, rank: Rank.context))
        }
        let slice = names[1...]
        let tagged = TaggedNames(slice)
        for _ in 0..<500 {
            let start = Int(random.next() % 2100), end = start + 1 + Int(random.next() % 12)
            let all = slice.indices.filter { slice[$0].start < end && start < slice[$0].end }
            #expect(tagged.overlapping(start, end) == all)
            let r = Candidate(type: .organization, start: start, end: end, rank: Rank.rule)
            #expect(tagged.hasPlace(openingAndShorterThan: r)
                    == slice.contains { $0.start == r.start && $0.end < r.end && $0.type == .place })
            let first = tagged.first(startingAt: start) { $0.type == .person }
            let expected = slice.first { $0.start == start && $0.type == .person }
            #expect(first?.end == expected?.end && first?.type == expected?.type)
        }
    }
}
