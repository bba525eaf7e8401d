import CFolioBuildInfo

/// What `--version` prints: the package version, the protocol version and the git commit.
public enum FolioBuildInfo {
    /// The package's release version (also ServerInfoResponse.version).
    public static let packageVersion = "0.1.0"

    /// The commit the binary was built from: `FOLIO_GIT_COMMIT` at build time, else the
    /// checkout's HEAD as Package.swift read it, else "unknown".
    public static var gitCommit: String { String(cString: folio_build_git_commit()) }

    /// One line, e.g. `folio 0.1.0 (protocol 1, commit 1a2b3c4)`.
    public static func versionLine(tool: String, protocolVersion: UInt32) -> String {
        "\(tool) \(packageVersion) (protocol \(protocolVersion), commit \(gitCommit))"
    }
}
