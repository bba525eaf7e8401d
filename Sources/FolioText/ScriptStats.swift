/// Counts of characters that betray a script, for a page or any text.
public struct ScriptStats: Equatable, Sendable {
    public enum Dominant: String, Sendable { case unknown, simplified, traditional, mixed }

    public var traditionalOnly: Int
    public var simplifiedOnly: Int

    public init(traditionalOnly: Int = 0, simplifiedOnly: Int = 0) {
        self.traditionalOnly = traditionalOnly
        self.simplifiedOnly = simplifiedOnly
    }

    /// Traditional or Simplified when one script has at least two thirds of the telling
    /// characters (a Traditional page with Simplified left over is still Traditional), mixed
    /// otherwise, unknown when no character tells.
    public var dominant: Dominant {
        let total = traditionalOnly + simplifiedOnly
        guard total > 0 else { return .unknown }
        if traditionalOnly * 3 >= total * 2 { return .traditional }
        if simplifiedOnly * 3 >= total * 2 { return .simplified }
        return .mixed
    }

    /// Counts Traditional-only and Simplified-only characters with the per-character table.
    public static func count(_ text: String, fold: CharacterFold = .shared) -> ScriptStats {
        var stats = ScriptStats()
        for s in text.unicodeScalars {
            let f = fold.scriptFlags(s)
            if f.contains(.traditionalOnly) { stats.traditionalOnly += 1 }
            if f.contains(.simplifiedOnly) { stats.simplifiedOnly += 1 }
        }
        return stats
    }
}
