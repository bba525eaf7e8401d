import Foundation

/// The team's corpus beside the repository (`../shared`, see docs/developing.md); users of the
/// repository and CI's clean checkouts do not have it. Suites that need it are
/// `.enabled(if: SharedCorpus.isPresent)`, so without it they are reported as skipped; where it is
/// expected (`FOLIO_REQUIRE_CORPUS=1`) `SharedCorpus.requireIfExpected()` fails loudly instead.
public enum SharedCorpus {
    /// `$FOLIO_SHARED`, else `shared` next to the package root.
    public static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["FOLIO_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared").standardizedFileURL
    }()

    public static var pfrArticlesPath: String { root.appendingPathComponent("corpus/pfr1998/articles-01-20.jsonl").path }
    public static var seedPagePath: String { root.appendingPathComponent("corpus/seed-page.txt").path }

    /// The PFR articles and the seed page are both there.
    public static var isPresent: Bool {
        FileManager.default.fileExists(atPath: pfrArticlesPath) && FileManager.default.fileExists(atPath: seedPagePath)
    }

    /// `FOLIO_REQUIRE_CORPUS=1`: this machine is meant to have the corpus.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["FOLIO_REQUIRE_CORPUS"] == "1" }

    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// Throws when the corpus is required here and absent (a test calls it to fail loudly).
    public static func requireIfExpected() throws {
        if isRequired && !isPresent {
            throw Missing(description: "FOLIO_REQUIRE_CORPUS=1 but the shared corpus is not at \(root.path)")
        }
    }
}

/// A deterministic generator (SplitMix64): tests must not depend on the run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
