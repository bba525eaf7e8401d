/// What `--version` prints: the package version, the protocol version and the git commit.
/// The commit comes from the C target CFolioBuildInfo, which only the executables import: a new
/// commit then recompiles one C file and the executables, not the libraries (FolioServer uses
/// `packageVersion`).
public enum FolioBuildInfo {
    /// The package's release version (also ServerInfoResponse.version).
    public static let packageVersion = "0.1.0"

    /// One line, e.g. `folio 0.1.0 (protocol 1, commit 1a2b3c4)`.
    public static func versionLine(tool: String, protocolVersion: UInt32, commit: String) -> String {
        "\(tool) \(packageVersion) (protocol \(protocolVersion), commit \(commit))"
    }
}
