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

    /// Names, sizes and modification times of the files in `directory` (not its subfolders), as
    /// one short hash: a parse that read them is keyed on it, so editing an installed table
    /// (a local district added to places.tsv) retires what was parsed with the old one.
    public static func stamp(of directory: URL?) -> String {
        guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return "none" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for name in names.sorted() {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path),
                  attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
            let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            for byte in "\(name)\t\(size)\t\(time)\n".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        return String(hash, radix: 16)
    }

    /// The running executable with symbolic links resolved (/proc/self/exe on Linux).
    static func executableURL() -> URL? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: target)
        }
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }
}
