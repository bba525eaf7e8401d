import Foundation
import Testing
import FolioModel
@testable import FolioEntities

/// What the recognizer drops from the tagger's names: a magnitude and a unit (万台 in a table's
/// header, where 万 reads as a surname) is a quantity; a name inside a word that names nothing
/// (中国 in 发展中国家) is no mention.
@Suite struct TaggerPostFilterTests {
    func candidate(_ text: String) -> Bool {
        let s = text.unicodeScalars.map(\.value)
        let units = NumericScanner.buildUnits()
        return s.withUnsafeBufferPointer {
            EntityRecognizer.isUnitOfMagnitude($0, Candidate(type: .person, start: 0, end: s.count, rank: Rank.context), units: units)
        }
    }

    @Test func magnitudeAndUnitIsNoPerson() {
        #expect(candidate("万台") && candidate("万辆") && candidate("亿元") && candidate("千吨"))
        #expect(!candidate("万里") && !candidate("百川") && !candidate("万") && !candidate("万台山"))
    }

    @Test func tableHeadersKeepNoPerson() {
        let text = "拖拉机（万台）２６，运输车（万辆）２３，国务院总理李鹏出席。"
        let people = EntityRecognizer.taggerOnly.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: nil)
            .filter { $0.type == .person }.map(\.normalized)
        #expect(!people.contains("万台") && !people.contains("万辆"))
        #expect(people.contains("李鹏"))
    }

    func inside(_ text: String, _ start: Int, _ end: Int) -> Bool {
        let s = text.unicodeScalars.map(\.value)
        let words = ["发展中国家", "蒙古族"].map { $0.unicodeScalars.map(\.value) }
        return s.withUnsafeBufferPointer {
            EntityRecognizer.insideBlockedWord($0, Candidate(type: .place, start: start, end: end, rank: Rank.context), words)
        }
    }

    @Test func nameInsideABlockedWord() {
        #expect(inside("发展中国家", 2, 4) && inside("是发展中国家的", 3, 5) && inside("乌兰（蒙古族）", 3, 5))
        #expect(!inside("中国人民", 0, 2) && !inside("发展中国", 2, 4) && !inside("发展中国家", 0, 5) && !inside("蒙古", 0, 2))
    }

    @Test func developingCountriesNameNoPlace() throws {
        let text = "中国是最大的发展中国家，中国人民欢迎你。"
        let places = EntityRecognizer.taggerOnly.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: nil)
            .filter { $0.type == .place }
        let china = try #require(places.first { $0.normalized == "中国" })
        // 中国 at 0 and at 12, not the one inside 发展中国家 (8..<10).
        #expect(china.mentions.map(\.start) == [0, 12])
    }

    @Test func noPersonEndsLikeAPlace() {
        let text = "南昆线穿城而过，南昆线最大的桥梁在此。李鹏视察了北京站和张家口市。"
        let people = EntityRecognizer.taggerOnly.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: nil)
            .filter { $0.type == .person }.map(\.normalized)
        #expect(people.contains("李鹏"))
        #expect(!people.contains { EntityRecognizer.placeEnds.contains($0.unicodeScalars.last!.value) })
    }
}
