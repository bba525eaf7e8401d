/// English month names, for dates in Latin script (`Jan. 5`, `January 10, 1998`, `Sept 30`).
public enum EnglishMonths {
    public static let names = ["january", "february", "march", "april", "may", "june", "july", "august",
                               "september", "october", "november", "december"]

    /// The month (1…12) a word names: a whole name or its first three letters or more (`Jan`, `Sept`),
    /// in any case; nil for anything else.
    public static func number(of word: String) -> Int? {
        let w = word.lowercased()
        guard w.count >= 3, let k = names.firstIndex(where: { $0.hasPrefix(w) }) else { return nil }
        return k + 1
    }
}
