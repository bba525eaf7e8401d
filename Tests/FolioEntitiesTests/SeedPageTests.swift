import Foundation
import Testing
import FolioModel
import FolioEntities
import FolioTestSupport

/// The seed page's paragraphs straight into the recognizer; page-level sets of folded entity
/// texts against the gold, as score_parse.py compares them.
@Suite(.enabled(if: FolioTestSupport.SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) struct SeedPageTests {
    static let types: [(String, Folio_V1_EntityType)] = [
        ("person", .person), ("organization", .organization), ("place", .place),
        ("quantity", .quantity), ("date", .date),
    ]

    @Test func recallOnSeedPageIsAtLeast80PercentPerType() throws {
        let page = try String(contentsOf: SharedCorpus.seedPage, encoding: .utf8)
        let gold = try JSONSerialization.jsonObject(with: Data(contentsOf: SharedCorpus.seedGold)) as? [String: Any]
        let goldEntities = try #require(gold?["entities"] as? [String: [String]])
        // Every non-empty line is one block field and the whole page one call: the parser splits
        // the page into articles, which only changes which mention is "first" for the text.
        let blocks = page.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let fields = blocks.enumerated().map { EntityField(field: .block, index: $0.offset, text: $0.element) }
        let entities = EntityRecognizer.shared.recognize(fields: fields, pageDate: "2022-11-01")
        // An entity's text is its first mention's form (model.proto): over the whole page in one
        // call, 今年 on an earlier line than 2022年 names the date. Recall counts every form found.
        let scalars = blocks.map { Array($0.unicodeScalars) }
        func form(_ m: Folio_V1_Mention) -> String {
            String(String.UnicodeScalarView(scalars[Int(m.block)][Int(m.start)..<Int(m.end)]))
        }
        for (name, type) in Self.types {
            let found = entities.filter { $0.type == type }
            let predicted = Set(try SharedCorpus.fold(found.map(\.text) + found.flatMap { $0.mentions.map(form) }))
            let expected = Set(try SharedCorpus.fold(goldEntities[name] ?? []))
            let recall = Double(expected.intersection(predicted).count) / Double(max(1, expected.count))
            print("seed \(name): recall \(String(format: "%.3f", recall)) missing \(expected.subtracting(predicted).sorted())")
            print("seed \(name): predicted \(predicted.sorted())")
            #expect(recall >= 0.8, "\(name) recall \(recall)")
        }
    }
}
