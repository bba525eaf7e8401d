import Foundation

/// Where an installed Folio keeps the data files its modules ship (learnt entity tables, the
/// sample page). `make install` copies them to `<prefix>/share/folio/`; the binaries sit in
/// `<prefix>/bin/`. A build run from its build folder finds none there and uses `Bundle.module`
/// (which on Linux looks beside the executable and then in the build folder, and stops the
/// process when both are missing: so the installed copy is looked for first).
public enum InstalledResources {
    /// `$FOLIO_RESOURCES/<name>`, else `<executable's folder>/../share/folio/<name>`, when it exists.
    public static func url(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        var roots: [URL] = []
        if let given = environment["FOLIO_RESOURCES"], !given.isEmpty { roots.append(URL(fileURLWithPath: given)) }
        if let executable = executableURL() {
            roots.append(executable.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("share/folio"))
        }
        return roots.lazy.map { $0.appendingPathComponent(name) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The running executable with symbolic links resolved (/proc/self/exe on Linux).
    static func executableURL() -> URL? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: target)
        }
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }
}
