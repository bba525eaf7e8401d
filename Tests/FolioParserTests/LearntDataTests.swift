import Foundation
@testable import FolioParser
import Testing

/// The parser's learnt data is read from resources (Data/bigrams.tsv, FolioEntities' surnames.tsv):
/// these pin a few counts the generators wrote, so a table that fails to load or parse shows here.
@Suite struct LearntDataTests {
    @Test func bigramTableLoadsItsCounts() {
        let model = BigramModel.shared
        #expect(model.count("中", "国") == 1686)
        #expect(model.count("人", "民") == 968)
        #expect(model.unigramLogFrequency("的") == log(26467 + 1))
        // Full-width forms are folded before the lookup, as the generator folded the text.
        #expect(model.count("１", "９") == model.count("1", "9"))
        #expect(model.count("1", "9") > 0)
        #expect(model.association("中", "国") > 2)
    }

    @Test func surnamesAreTheShortNameOpenersOfTheEntityTable() {
        let surnames = SurnameTable.surnames
        #expect(surnames.count == 256)
        #expect(surnames.contains("李") && surnames.contains("龚"))
        // 伊 opens three person names in training but only two of 2–3 glyphs: not a parser surname.
        #expect(!surnames.contains("伊"))
    }

    @Test func aMissingTableLeavesEveryPairUnseenWithoutCrashing() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("folio-no-bigrams-\(UUID())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let model = BigramModel(directory: empty)
        #expect(model.count("中", "国") == 0)
        #expect(model.association("中", "国").isFinite)
        #expect(model.joinScore(tail: ["中"], head: ["国"]).isFinite)
    }
}
