import FolioIndex
import FolioText
import Testing
@testable import FolioStore

/// A snapshot is keyed by both folds it was built under: the parser's (`CharacterFold`, with its
/// folds outside the BMP) and the index's (`IndexFold`: ○ → 〇, variation selectors passed over),
/// so that an index whose folded keys would differ is built again rather than read.
@Suite struct SnapshotFoldKeyTests {
    @Test func theSnapshotKeyNamesBothFolds() {
        let tag = SnapshotFile(dataDirectory: "/nonexistent-folio-data", indexKind: "folioindex").buildTag
        let parser = String(CharacterFold.shared.withTableBytes { WordHash.fnv1a($0) }, radix: 16)
        #expect(tag.contains("|fold:\(parser)-\(String(IndexFold.shared.fingerprint, radix: 16))|"))
        // The parser fold's bytes cover its folds outside the BMP, not only the BMP table.
        #expect(CharacterFold.shared.withTableBytes { $0.count } == 0x10000 * 2 + CharacterFold.shared.widePairs.count * 8)
    }
}
