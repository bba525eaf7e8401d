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

    /// The per-character table `count` reads, packed two bits a BMP scalar (the
    /// `CharacterFold.ScriptFlags` raw value of scalar v is `table[v >> 5] >> (2 * (v & 31)) & 3`),
    /// for a pass over a page that decodes its scalars anyway and counts as it goes.
    @inlinable
    public static func withPackedFlags<R>(fold: CharacterFold = .shared, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        fold.packedFlags.withUnsafeBufferPointer(body)
    }

    /// Counts Traditional-only and Simplified-only characters with the per-character table
    /// (over the UTF-8 bytes: a whole page per call).
    public static func count(_ text: String, fold: CharacterFold = .shared) -> ScriptStats {
        fold.flags.withUnsafeBufferPointer { flags in
            var traditional = 0, simplified = 0
            UTF8Scalars.forEach(text) { v in
                guard v < 0x10000 else { return }
                let f = flags[Int(v)]
                traditional &+= Int(f & CharacterFold.ScriptFlags.traditionalOnly.rawValue)
                simplified &+= Int((f & CharacterFold.ScriptFlags.simplifiedOnly.rawValue) >> 1)
            }
            return ScriptStats(traditionalOnly: traditional, simplifiedOnly: simplified)
        }
    }
}
