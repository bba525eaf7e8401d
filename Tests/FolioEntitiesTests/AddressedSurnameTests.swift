import Foundation
import Testing
import FolioModel
@testable import FolioEntities

/// A bare surname addressed by a title (叶省长) is a person of one character, added to the tagger's
/// names where they leave it uncovered, and only at a boundary (not 全 in 全省长期).
@Suite struct AddressedSurnameTests {
    static let scanner = NameScanner(lex: EntityLexicon(directory: EntityRecognizer.dataDirectory))

    /// The spans added to `tagged` (the tagger's candidates) for `text`.
    func added(_ text: String, tagged: [Candidate] = []) -> [Range<Int>] {
        let s = text.unicodeScalars.map(\.value)
        var out = tagged
        s.withUnsafeBufferPointer { Self.scanner.addressedSurnames($0, taggerFrom: 0, into: &out) }
        return out[tagged.count...].map { $0.start..<$0.end }
    }

    @Test func surnameBeforeATitleAtABoundary() {
        #expect(added("叶省长说，") == [0..<1])
        #expect(added("“彭司令来了") == [1..<2])
        #expect(added("见到了江主席") == [3..<4])
    }

    @Test func notInsideAWordNorWhereTheTaggerSpoke() {
        #expect(added("全省长期坚持").isEmpty)                // 全: not after a boundary
        #expect(added("以色列总理").isEmpty)                  // 列 closes a place: not after a boundary
        let place = Candidate(type: .place, start: 0, end: 1, rank: Rank.context)
        #expect(added("叶省长", tagged: [place]).isEmpty)
        #expect(added("").isEmpty && added("叶").isEmpty && added("叶省").isEmpty)
    }

    @Test func taggerRecognizerFindsTheAddressedSurname() {
        let text = "叶省长说，今年全省长期坚持植树。"
        let people = EntityRecognizer.taggerOnly.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: nil)
            .filter { $0.type == .person }.map(\.normalized)
        #expect(people.contains("叶"))
        #expect(!people.contains("全"))
    }
}

/// A transliterated name the tagger cut in two is joined; Chinese names side by side are not.
@Suite struct ForeignNamePiecesTests {
    static let lexicon = EntityLexicon(directory: EntityRecognizer.dataDirectory)

    func joined(_ text: String, _ pieces: [(Folio_V1_EntityType, Int, Int)]) -> [Range<Int>] {
        let s = text.unicodeScalars.map(\.value)
        var out = pieces.map { Candidate(type: $0.0, start: $0.1, end: $0.2, rank: Rank.context) }
        s.withUnsafeBufferPointer { EntityRecognizer.joinForeignPieces($0, &out, from: 0, lexicon: Self.lexicon) }
        return out.map { $0.start..<$0.end }
    }

    @Test func transliteratedPiecesAreOnePerson() {
        #expect(joined("帕帕佐普洛斯说", [(.person, 0, 3), (.person, 3, 6)]) == [0..<6])
        #expect(joined("阿莱科斯·帕帕佐普洛斯", [(.person, 0, 8), (.person, 8, 11)]) == [0..<11])
    }

    @Test func chineseNamesAndGapsStayApart() {
        #expect(joined("张育宾段建勋", [(.person, 0, 3), (.person, 3, 6)]) == [0..<3, 3..<6])
        #expect(joined("帕帕佐和普洛斯", [(.person, 0, 3), (.person, 4, 7)]) == [0..<3, 4..<7])
        #expect(joined("帕帕佐普洛斯", [(.person, 0, 3), (.place, 3, 6)]) == [0..<3, 3..<6])
        #expect(joined("", []).isEmpty)
    }
}
