import Foundation
import Testing
import FolioModel
@testable import FolioEntities

/// Reporters named in credits are people for the tagger's recognizer: after 记者 up to the credit's
/// end, and the name opening a short credit line; not words after 记者 (记者从, 记者了解到).
@Suite struct CreditNamesTests {
    static let scanner = NameScanner(lex: EntityLexicon(directory: EntityRecognizer.dataDirectory))

    /// The spans the credit rule finds in `text` (already folded: Simplified, half-width).
    func credits(_ text: String) -> [Range<Int>] {
        let s = text.unicodeScalars.map(\.value)
        var out: [Candidate] = []
        s.withUnsafeBufferPointer { Self.scanner.creditNames($0, into: &out) }
        #expect(out.allSatisfy { $0.type == .person })
        return out.map { $0.start..<$0.end }
    }

    @Test func nameAfterReporterUpToTheCreditsEnd() {
        #expect(credits("报讯 记者崔治报道 近日") == [5..<7])
        #expect(credits("新华社记者王建民摄") == [5..<8])
        #expect(credits("本报记者王能标") == [4..<7])
        #expect(credits("记者张三、李四") == [2..<4])
    }

    @Test func creditLineOpeningName() {
        #expect(credits("赵一 本报记者 崔治") == [0..<2])
        // A long line is running text, not a credit line.
        #expect(credits("赵一 本报记者 崔治报道，今天上午举行了盛大的开幕式和文艺演出").contains(0..<2) == false)
    }

    @Test func wordsAfterReporterAreNotNames() {
        #expect(credits("记者从有关部门获悉").isEmpty)
        #expect(credits("记者了解到，今年").isEmpty)
        #expect(credits("记者们").isEmpty)
        #expect(credits("").isEmpty && credits("记者").isEmpty && credits("记者王").isEmpty)
    }

    @Test func taggerRecognizerFindsReportersInTraditionalText() {
        let fields = ["報訊 記者崔治報道 近日，全國第四批多式聯運示范工程評審會召開。", "趙一 本报记者 崔治"]
            .enumerated().map { EntityField(field: .block, index: $0.offset, text: $0.element) }
        let people = EntityRecognizer.taggerOnly.recognize(fields: fields, pageDate: "2022-11-01")
            .filter { $0.type == .person }.map(\.normalized)
        #expect(people.contains("崔治"))
        #expect(people.contains("赵一"))
    }
}

/// A credit line listing people with nothing between them is split into those people when the
/// tagger found one of them; not when it found a place there, nor in running text.
@Suite struct NameRunsTests {
    static let scanner = NameScanner(lex: EntityLexicon(directory: EntityRecognizer.dataDirectory))

    /// The people added to the tagger's spans `tagged` for `text` (folded).
    func added(_ text: String, _ tagged: [(Folio_V1_EntityType, Int, Int)]) -> [Range<Int>] {
        let s = text.unicodeScalars.map(\.value)
        var out = tagged.map { Candidate(type: $0.0, start: $0.1, end: $0.2, rank: Rank.context) }
        s.withUnsafeBufferPointer { Self.scanner.nameRuns($0, taggerFrom: 0, into: &out) }
        return out[tagged.count...].map { $0.start..<$0.end }
    }

    @Test func listInBracketsOrAloneIsSplitIntoPeople() {
        #expect(added("（谢守成周守学）", [(.person, 4, 7)]) == [1..<4])
        #expect(added("胡延奇郑斌杨书浩", [(.person, 0, 3)]) == [3..<5, 5..<8])
    }

    @Test func notWithoutATaggerPersonNorWithAPlaceNorInRunningText() {
        #expect(added("（谢守成周守学）", []).isEmpty)
        #expect(added("（江西宜丰县刘泽仁）", [(.place, 1, 3), (.person, 6, 9)]).isEmpty)
        #expect(added("张三说他们周守学习很好", [(.person, 5, 8)]).isEmpty)
        #expect(added("", []).isEmpty && added("周守学", [(.person, 0, 3)]).isEmpty)
    }
}
