import Foundation
import Testing
@testable import FolioEntities

/// The tagger's lookup tables and its weight file's header: a cheap check that the committed
/// model is the format the code reads (the full rebuild check is `scripts/train-tagger.py --check`).
@Suite struct TaggerTablesTests {
    @Test func pairIndexFindsEveryPairAndNothingElse() {
        var index = PairIndex(capacity: 1000)
        var rng = SplitMix(seed: 7)
        var pairs: [(UInt32, UInt32)] = []
        for k in 0..<1000 {
            let a = UInt32.random(in: 0x4E00...0x9FFF, using: &rng), b = UInt32.random(in: 0x4E00...0x9FFF, using: &rng)
            if index.insert(a, b, index: UInt32(k)) { pairs.append((a, b)) }
        }
        #expect(pairs.count > 990)
        // A pair is refused twice, and bos/eos (outside Unicode) fit.
        let again = index.insert(pairs[0].0, pairs[0].1, index: 5)
        let edges = index.insert(TaggerModel.bos, TaggerModel.eos, index: PairIndex.maxIndex)
        #expect(!again && edges)
        index.withSlots { slots in
            index.filter.words.withUnsafeBufferPointer { filter in
                var k = 0
                for (a, b) in pairs {
                    #expect(index.get(a, b, in: slots, filter: filter) >= 0)
                    k += 1
                }
                #expect(index.get(TaggerModel.bos, TaggerModel.eos, in: slots, filter: filter) == Int32(PairIndex.maxIndex))
                #expect(index.get(0x41, 0x42, in: slots, filter: filter) == -1)
                #expect(index.get(0xFFFF_FFFF, 0x42, in: slots, filter: filter) == -1)
            }
        }
    }

    @Test func committedModelHeader() throws {
        let data = try Data(contentsOf: EntityRecognizer.dataDirectory!.appendingPathComponent("tagger.bin"))
        #expect(data.prefix(4) == Data("FTAG".utf8))
        let word = { (k: Int) in data[k..<(k + 4)].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) } }
        #expect(word(4) == 5)          // version: rows most frequent first, word lexicon folded in
        #expect(word(8) == 13)         // labels: O, B I E S × PER LOC ORG
        let model = try #require(TaggerModel(data: data))
        #expect(model.hasNames && model.bytes == data.count)
    }

    /// The tagging-side tables built at load read the same rows as the loader's own: the 16-bit
    /// character index, the zero row read for offsets a pair has no row at, and the name list's
    /// first-pair table (one probe for the first two edges of a walk).
    @Test func taggingTablesAgreeWithTheLoadedModel() throws {
        let data = try Data(contentsOf: EntityRecognizer.dataDirectory!.appendingPathComponent("tagger.bin"))
        let model = try #require(TaggerModel(data: data))
        #expect(model.charBlock.count == model.charRow.count)
        for slot in model.charRow.indices {
            let row = model.charRow[slot], block = Int32(model.charBlock[slot])
            #expect(row < 0 ? block == 0 : block * 5 - 5 == row)
        }
        #expect(model.bigram16[Int(model.zeroBigramRow)] == TaggerModel.Packed())
        #expect(Int(model.zeroBigramRow) == model.bigram16.count - 1)
    }

    /// The copies `tag` reads (TaggerTables, one region of huge pages) hold exactly the
    /// model's tables, each on a 64-byte line, in one region.
    @Test func hugePageTablesCopyTheModelExactly() throws {
        let data = try Data(contentsOf: EntityRecognizer.dataDirectory!.appendingPathComponent("tagger.bin"))
        let model = try #require(TaggerModel(data: data))
        let t = TaggerTables(model)
        #expect(Array(t.charBlock) == model.charBlock)
        #expect(Array(t.unigram) == model.unigram16)
        #expect(Array(t.bigram) == model.bigram16)
        #expect(Array(t.classRows) == model.classRows16)
        #expect(Array(t.nameRows) == model.nameRows)
        #expect(Array(t.bigramFilter) == model.bigramIndex.filter.words)
        #expect(Array(t.bigramSlots) == model.bigramIndex.withSlots { Array($0) })
        #expect(Array(t.nameStarts) == model.names.starts.withSlots { Array($0) })
        model.names.withTables { slots, filter, payloads in
            #expect(Array(t.nameSlots) == Array(slots))
            #expect(Array(t.nameFilter) == Array(filter))
            #expect(Array(t.namePayloads) == Array(payloads))
        }
        let addresses = [UnsafeRawPointer(t.charBlock.baseAddress!), UnsafeRawPointer(t.unigram.baseAddress!),
                         UnsafeRawPointer(t.bigram.baseAddress!), UnsafeRawPointer(t.bigramSlots.baseAddress!),
                         UnsafeRawPointer(t.nameRows.baseAddress!)].map { UInt(bitPattern: $0) }
        #expect(addresses.allSatisfy { $0 % 64 == 0 })
        #expect(addresses.max()! - addresses.min()! < 8 << 20)
    }

    /// Taggers made and dropped in turn (each maps its own region and unmaps it when freed)
    /// find the same names as the shared one.
    @Test func taggersOfTheSameModelTagAlike() {
        let text = "国家主席江泽民在北京会见了日本首相桥本龙太郎。"
        let first = EntityRecognizer.taggerOnly.tagNames(text)
        for _ in 0..<3 {
            let other = EntityRecognizer(dataDirectory: EntityRecognizer.dataDirectory, names: .tagger)
            let again = other.tagNames(text)
            #expect(again.map { "\($0.type)\($0.start)\($0.end)" } == first.map { "\($0.type)\($0.start)\($0.end)" })
        }
        #expect(!first.isEmpty)
    }

    @Test func nameWalkFromTheFirstPairTable() {
        var names = NameList()
        // Invented names: 甲乙 (PER), 甲乙丙 (LOC), 甲乙丙丁戊 (ORG), 丁戊 (PER).
        let words: [([UInt32], Int)] = [("甲乙", 0), ("甲乙丙", 1), ("甲乙丙丁戊", 2), ("丁戊", 0)].map { ($0.0.unicodeScalars.map(\.value), $0.1) }
        for (w, t) in words {
            let stored = names.insert(w, type: t)
            #expect(stored)
        }
        let text = "甲乙丙丁戊己".unicodeScalars.map(\.value)
        text.withUnsafeBufferPointer { s in
            names.withTables { slots, filter, payloads in
                names.starts.withSlots { starts in
                    let second = names.starts.get(s[0], s[1], in: starts)
                    #expect(second >= 0)
                    let found = names.longest(s, from: 0, second: UInt32(second), slots: slots, filter: filter, payloads: payloads)
                    #expect(found == SIMD4<Int32>(2, 3, 5, 0))
                    let later = names.starts.get(s[3], s[4], in: starts)
                    let atFour = names.longest(s, from: 3, second: UInt32(later), slots: slots, filter: filter, payloads: payloads)
                    #expect(atFour == SIMD4<Int32>(2, 0, 0, 0))
                    // 乙丙 opens no listed name.
                    #expect(names.starts.get(s[1], s[2], in: starts) == -1)
                }
            }
        }
    }

    @Test func lanesCoverEveryLabelOnce() {
        #expect(Set(TaggerModel.lane).count == TaggerModel.labelCount)
        #expect(Set(TaggerModel.lane).isDisjoint(with: TaggerModel.unusedLanes))
        // The opening labels (O, B-x, S-x) are lanes 0…6: the Viterbi's 8-lane step.
        let opening = (0..<TaggerModel.labelCount).filter { $0 == 0 || ($0 - 1) % 4 == 0 || ($0 - 1) % 4 == 3 }
        #expect(Set(opening.map { TaggerModel.lane[$0] }) == Set(0..<7))
    }
}
