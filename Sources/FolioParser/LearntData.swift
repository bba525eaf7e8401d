import Foundation
import FolioEntities
import FolioText

/// Where the parser's learnt data lives: Data/*.tsv (written by scripts/learn-bigrams.py),
/// installed in share/folio/parser, else this module's bundle. Surnames are FolioEntities' table.
public enum LearntData {
    public static var directory: URL? {
        InstalledResources.url("parser") ?? Bundle.module.url(forResource: "Data", withExtension: nil)
    }
}

/// Single-glyph surnames that open at least three 2–3 glyph Chinese person names in the training
/// days (the third column of FolioEntities' surnames.tsv). Simplified: look them up with folded text.
enum SurnameTable {
    static let minimumCount = 3
    static let surnames: Set<Unicode.Scalar> = {
        var found = Set<Unicode.Scalar>()
        for row in DataTable.rows(EntityRecognizer.dataDirectory, "surnames.tsv") where row.count >= 3 {
            let scalars = row[0].unicodeScalars
            guard scalars.count == 1, let first = scalars.first, let n = Int(row[2]), n >= minimumCount else { continue }
            found.insert(first)
        }
        return found
    }()

    /// Two-glyph surnames (欧阳, 司马: the hand list in surnames.tsv), folded.
    static let compound: Set<String> = {
        var found = Set<String>()
        for row in DataTable.rows(EntityRecognizer.dataDirectory, "surnames.tsv") where row[0].unicodeScalars.count == 2 {
            found.insert(String(row[0]))
        }
        return found
    }()
}
