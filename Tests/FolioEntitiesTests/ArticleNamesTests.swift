import Foundation
import Testing
import FolioModel
@testable import FolioEntities

/// The tagger's article-level pass (ArticleNames, EntityRecognizer pass 2) and the name-start
/// flag the tagger keeps in its bigram index.
@Suite struct ArticleNamesTests {
    func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    /// At most `mostNames` distinct names a type, each counted once however often it is added.
    @Test func namesPerTypeAreBounded() {
        let all = (0..<(ArticleNames.mostNames + 10)).map { [0x4E00 + UInt32($0 / 64), 0x4E00 + UInt32($0 % 64)] }
        var article = ArticleNames()
        for name in all { article.add(name[...], type: 2); article.add(name[...], type: 2) }
        #expect(article.count(type: 2) == ArticleNames.mostNames)
        article.add(all[0][...], type: 1)
        #expect(article.count(type: 1) == 1)
        let text = all[0] + all[ArticleNames.mostNames - 1] + all[ArticleNames.mostNames]
        text.withUnsafeBufferPointer { s in
            #expect(article.longestMatch(s, at: 0)?.0 == 2)
            #expect(article.longestMatch(s, at: 2)?.0 == 4)
            #expect(article.longestMatch(s, at: 4) == nil)   // the name past the bound
        }
    }

    @Test func longestFoundNameWithItsType() {
        var names = ArticleNames()
        #expect(names.isEmpty)
        names.add(scalars("野村")[...], type: 1)
        names.add(scalars("野村证券")[...], type: 2)
        names.add(scalars("龙乐豪")[...], type: 2)
        names.add(scalars("龙乐豪")[...], type: 0)   // the same name as two types: the earlier type wins
        #expect(!names.isEmpty)
        let text = scalars("在野村证券内部，龙乐豪说野村。")
        text.withUnsafeBufferPointer { s in
            let m1 = names.longestMatch(s, at: 1)
            #expect(m1?.0 == 5 && m1?.1 == 2)
            let m8 = names.longestMatch(s, at: 8)
            #expect(m8?.0 == 11 && m8?.1 == 0)
            let m12 = names.longestMatch(s, at: 12)
            #expect(m12?.0 == 14 && m12?.1 == 1)
            #expect(names.longestMatch(s, at: 0) == nil)
            #expect(names.longestMatch(s, at: 2) == nil)
            // The last character: a name's prefix running off the text is no match.
            #expect(names.longestMatch(s, at: 14) == nil)
        }
    }

    /// A name added again and again is listed once: the matches are those of one addition, with
    /// few names and with more than the table's first size (its chains split as it grows).
    @Test func repeatedNamesMatchAsOnce() {
        var once = ArticleNames(), often = ArticleNames()
        let invented = (0..<300).map { k in scalars("甲乙") + [0x4E00 + UInt32(k)] }
        for (k, name) in invented.enumerated() {
            once.add(name[...], type: k % 3)
            for _ in 0..<(k % 4 + 1) { often.add(name[...], type: k % 3) }
            // Every name twice more, and a prefix of it once.
            often.add(name[...], type: k % 3); often.add(name[...], type: k % 3); often.add(name.prefix(2), type: 0)
            once.add(name.prefix(2), type: 0)
            #expect(once.count(type: k % 3) == often.count(type: k % 3))
            let text = scalars("在") + name + scalars("与甲乙及") + invented[k / 2] + scalars("。")
            text.withUnsafeBufferPointer { s in
                for i in 0..<s.count {
                    let a = once.longestMatch(s, at: i), b = often.longestMatch(s, at: i)
                    #expect(a?.0 == b?.0 && a?.1 == b?.1)
                }
                // The name itself, of its type (longer than its prefix, listed as a person).
                let m = once.longestMatch(s, at: 1)
                #expect(m?.0 == 1 + name.count && m?.1 == k % 3)
            }
        }
    }

    @Test func nameTypesAreTheThreeNameKinds() {
        #expect(ArticleNames.types.compactMap(ArticleNames.slot) == [0, 1, 2])
        #expect(ArticleNames.slot(.date) == nil && ArticleNames.slot(.quantity) == nil)
    }

    /// Every occurrence of a person, place or organization the tagger found somewhere in the
    /// article is a mention of it, unless a longer name covers it there.
    @Test func aNameFoundOnceIsFoundAtEveryOccurrence() {
        let recognizer = EntityRecognizer.taggerOnly
        let texts = ["日本大藏省决定对野村证券从重处罚，勒令其停业。",
                     "野村证券的教训是，监管要严。",
                     "在野村证券内部人员举报之前，无人知晓。",
                     "国家建材局局长张人为指出，短缺经济已经结束。",
                     "张人为说，建材行业要调整结构。"]
        let fields = texts.enumerated().map { EntityField(field: .block, index: $0.offset, text: $0.element) }
        let entities = recognizer.recognize(fields: fields, pageDate: "1998-01-14")
        var covered: [Int: [Range<Int>]] = [:]
        for e in entities where ArticleNames.slot(e.type) != nil {
            for m in e.mentions { covered[Int(m.block), default: []].append(Int(m.start)..<Int(m.end)) }
        }
        var checked = 0
        for e in entities where ArticleNames.slot(e.type) != nil && e.normalized.unicodeScalars.count >= 2 {
            let name = scalars(e.normalized)
            for (k, text) in texts.enumerated() {
                let s = scalars(text)
                guard s.count >= name.count else { continue }
                for i in 0...(s.count - name.count) where Array(s[i..<(i + name.count)]) == name {
                    let isMention = e.mentions.contains { Int($0.block) == k && Int($0.start) == i && Int($0.end) == i + name.count }
                    let longer = covered[k, default: []].contains { $0.lowerBound <= i && i + name.count <= $0.upperBound && $0.count > name.count }
                    #expect(isMention || longer, "\(e.normalized) in field \(k) at \(i)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 4)
    }

    @Test func nameStartFlagJoinsAnExistingPairOrAddsOne() {
        var index = PairIndex(capacity: 16)
        let inserted = index.insert(0x4E2D, 0x56FD, index: 5 << 4 | 1)
        let joined = index.setBits(0x4E2D, 0x56FD, UInt32(TaggerModel.nameStartBit))
        let added = index.setBits(0x91CE, 0x6751, UInt32(TaggerModel.nameStartBit))
        #expect(inserted && joined && added)
        index.withSlots { slots in
            index.filter.words.withUnsafeBufferPointer { filter in
                let both = index.get(0x4E2D, 0x56FD, in: slots, filter: filter)
                let flagged = both & TaggerModel.nameStartBit != 0
                let row = (both >> 4) & TaggerModel.bigramFirstMask, offsets = both & 0xF
                #expect(flagged)
                #expect(row == 5 && offsets == 1)
                let flagOnly = index.get(0x91CE, 0x6751, in: slots, filter: filter)
                #expect(flagOnly == TaggerModel.nameStartBit)
                #expect(index.get(0x91CE, 0x4E2D, in: slots, filter: filter) == -1)
            }
        }
    }
}
