import Foundation
import Testing
@testable import FolioEntities
import FolioTestSupport

/// The weight file's share table across versions: version 3 carries a fifth share per character
/// (inside a transliterated person name), version 4 a sixth (a given-name character) and share rows
/// for the characters at −2…2; all folded into that character's unigram rows at load.
@Suite struct TaggerFormatTests {
    static let L = TaggerModel.labelCount
    static let character: UInt32 = 0x514B        // 克
    static let beginPerson = 1                    // B-PER in file label order

    /// A model with no weights but one share row: offset `offset` (0 unless given), kind `kind`,
    /// bucket 3, B-PER weight 1. The character's buckets are 3 for every kind the version has.
    static func file(version: UInt32, kind: UInt32, offset: Int = 0) -> Data {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func i16(_ v: Int16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        d.append(contentsOf: Array("FTAG".utf8))
        u32(version); u32(UInt32(L)); u32(Float(0.5).bitPattern)
        for _ in 0..<(L * L + L) { i16(0) }          // transitions, bias
        for _ in 0..<5 { u32(0) }                     // characters, bigrams, skip pairs, classes, name features
        u32(0)                                        // names
        u32(1)                                        // one share row
        let firstOffset = version == 4 ? -2 : -1
        u32(UInt32(offset - firstOffset) * 64 + kind * 8 + 3)
        for k in 0..<L { i16(k == beginPerson ? 2 : 0) }
        u32(1)                                        // one character with shares
        u32(character)
        d.append(contentsOf: [UInt8](repeating: 3, count: version == 4 ? 6 : version >= 3 ? 5 : 4))
        return d
    }

    /// The character's B-PER weight at `offset` (row offset + 2 of its five rows), as tagging reads it.
    static func beginPersonWeight(_ m: TaggerModel, offset: Int = 0) -> Float {
        let first = Int(m.charRow[Int(character)])
        return Float(m.unigram16[first + 2 + offset][TaggerModel.lane[beginPerson]]) * m.emissionScale
    }

    @Test func versionFourFoldsTheGivenNameShare() throws {
        let m = try #require(TaggerModel(data: Self.file(version: 4, kind: 5)))
        #expect(abs(Self.beginPersonWeight(m) - 1) < 0.001)
        #expect(Self.beginPersonWeight(m, offset: 1) == 0)
    }

    @Test func versionFourReadsSharesTwoCharactersAway() throws {
        let before = try #require(TaggerModel(data: Self.file(version: 4, kind: 3, offset: -2)))
        #expect(abs(Self.beginPersonWeight(before, offset: -2) - 1) < 0.001)
        #expect(Self.beginPersonWeight(before) == 0)
        let after = try #require(TaggerModel(data: Self.file(version: 4, kind: 5, offset: 2)))
        #expect(abs(Self.beginPersonWeight(after, offset: 2) - 1) < 0.001)
    }

    @Test func versionThreeFoldsTheTransliterationShare() throws {
        let m = try #require(TaggerModel(data: Self.file(version: 3, kind: 4)))
        #expect(abs(Self.beginPersonWeight(m) - 1) < 0.001)
    }

    @Test func versionTwoStillReadsFourShares() throws {
        let m = try #require(TaggerModel(data: Self.file(version: 2, kind: 3)))
        #expect(abs(Self.beginPersonWeight(m) - 1) < 0.001)
        // A fifth-kind row in a version 2 file weighs nothing: the character has four buckets.
        let without = try #require(TaggerModel(data: Self.file(version: 2, kind: 4)))
        #expect(Self.beginPersonWeight(without) == 0)
    }

    @Test func truncatedShareTableIsRefused() {
        let full = Self.file(version: 3, kind: 4)
        #expect(TaggerModel(data: full.dropLast(1)) == nil)
        #expect(TaggerModel(data: Self.file(version: 4, kind: 5).dropLast(1)) == nil)
        #expect(TaggerModel(data: Self.file(version: 5, kind: 4).dropLast(1)) == nil)
        #expect(TaggerModel(data: Self.file(version: 6, kind: 4)) == nil)
    }

    /// Every cut of a file is refused, wherever it falls (counts and rows are checked against the
    /// bytes left), and a file handed over as a slice of a larger buffer reads as the file itself.
    @Test func everyPrefixIsRefusedAndSlicesRead() throws {
        let full = Self.file(version: 4, kind: 5)
        for length in 0..<full.count { #expect(TaggerModel(data: full.prefix(length)) == nil, "cut at \(length)") }
        let padded = Data([0xFF, 0xFF, 0xFF]) + full
        let slice = padded[3...]
        #expect(slice.startIndex == 3)
        let m = try #require(TaggerModel(data: slice))
        #expect(abs(Self.beginPersonWeight(m) - 1) < 0.001)
    }

    /// The shipped model with bytes overwritten loads as a model or as none, never a trap.
    @Test func damagedShippedModelNeverTraps() throws {
        let url = try #require(EntityRecognizer.dataDirectory?.appendingPathComponent("tagger.bin"))
        let original = try Data(contentsOf: url)
        var random = SplitMix64(seed: 1998)
        for _ in 0..<12 {
            var damaged = original
            for _ in 0..<8 {
                // Mostly the header and the tables' counts, where a bad value would mislead the reader.
                let at = Int(random.next() % UInt64(random.next() % 2 == 0 ? 4096 : damaged.count))
                damaged[at] = UInt8(truncatingIfNeeded: random.next())
            }
            _ = TaggerModel(data: damaged)
        }
    }

    /// Version 5 has version 3's tables (its rows most frequent first): the fifth share kind folds
    /// in the same way.
    @Test func versionFiveReadsLikeVersionThree() throws {
        let m = try #require(TaggerModel(data: Self.file(version: 5, kind: 4)))
        #expect(abs(Self.beginPersonWeight(m) - 1) < 0.001)
        #expect(Self.beginPersonWeight(m, offset: 1) == 0)
    }
}
