import Foundation

/// Traditional and Taiwan phrases whose Simplified form is another phrase (計畫 → 计划, 彷彿 →
/// 仿佛, 義大利 → 意大利): a per-character fold joins neither. Data/phrase-forms.tsv, written by
/// scripts/learn-phrase-forms.py from OpenCC's dictionaries and the training days; installed in
/// share/folio/text, else this module's bundle.
public enum PhraseForms {
    public struct Pair: Sendable {
        /// The Traditional or Taiwan form, and the Simplified one, as written in the table.
        public let other: [Unicode.Scalar]
        public let simplified: [Unicode.Scalar]

        public init(other: [Unicode.Scalar], simplified: [Unicode.Scalar]) {
            self.other = other
            self.simplified = simplified
        }
    }

    public static let pairs: [Pair] = {
        let directory = InstalledResources.url("text") ?? Bundle.module.url(forResource: "Data", withExtension: nil)
        return DataTable.rows(directory, "phrase-forms.tsv").compactMap { row in
            guard row.count == 2, !row[0].isEmpty, !row[1].isEmpty else { return nil }
            return Pair(other: Array(row[0].unicodeScalars), simplified: Array(row[1].unicodeScalars))
        }
    }()
}
