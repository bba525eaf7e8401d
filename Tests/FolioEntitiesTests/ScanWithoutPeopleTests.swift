import Foundation
import Testing
import FolioModel
@testable import FolioEntities

/// The rules' scan without people (the combined recognizer's) skips the positions where only a
/// person's name starts: it finds no person, and the same places and organizations as the full scan.
@Suite struct ScanWithoutPeopleTests {
    static let scanner = NameScanner(lex: EntityLexicon(directory: EntityRecognizer.dataDirectory))

    func scan(_ text: String, people: Bool) -> [Candidate] {
        let s = text.unicodeScalars.map(\.value)
        var out: [Candidate] = []
        var index = SpanIndex(count: 0)
        s.withUnsafeBufferPointer { Self.scanner.scan($0, index: &index, into: &out, people: people) }
        return out
    }

    func key(_ c: Candidate) -> String { "\(c.type.rawValue):\(c.start)-\(c.end)" }

    @Test(arguments: [
        "江泽民主席在北京会见了锦州市自然资源局局长李鹏，国务院副总理钱其琛出席。",
        "王大川和张三到辽宁俏牌生物科技有限公司考察，省交通厅和营口港负责人陪同。",
        "朱镕基总理视察了上海浦东新区和七里河经济开发区。",
        "",
        "李",
    ])
    func sameNamesButPeople(text: String) {
        let full = scan(text, people: true), withoutPeople = scan(text, people: false)
        #expect(!withoutPeople.contains { $0.type == .person })
        #expect(Set(withoutPeople.map(key)) == Set(full.filter { $0.type != .person }.map(key)))
    }

    @Test func fullScanStillFindsListedPeople() {
        #expect(scan("江泽民主席在北京会见了李鹏。", people: true).contains { $0.type == .person })
    }
}
